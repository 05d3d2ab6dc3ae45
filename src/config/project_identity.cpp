#include "gardensync/config/project_identity.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "gardensync/config/action_parser.h"
#include "gardensync/config/file_scan.h"
#include "gardensync/config/yaml_text.h"
#include "gardensync/util/error.h"

namespace gardensync::config {

ProjectIdentity readProjectIdentity(const LoadOptions& options) {
  ProjectIdentity identity;
  identity.root = findProjectRoot(options);
  for (const char* name : kProjectFileNames) {
    const auto file = identity.root / name;
    if (!std::filesystem::exists(file)) continue;
    try {
      for (const auto& doc : loadYamlDocuments(file)) {
        if (!doc.IsMap() || !doc["kind"] || doc["kind"].as<std::string>("") != "Project") continue;
        identity.name = doc["name"] ? doc["name"].as<std::string>("") : "";
        if (isValidIdentifier(identity.name)) return identity;
        throw ConfigError({{name, doc.Mark().line + 1, doc.Mark().column + 1, "name",
                            fmt::format("\"{}\" is not a valid project name", identity.name)}});
      }
    } catch (const YAML::Exception& e) {
      throw ConfigError({{name, e.mark.line + 1, e.mark.column + 1, "", fmt::format("YAML syntax error: {}", e.msg)}});
    }
  }
  throw UsageError(fmt::format("no Project document in {}", identity.root.string()));
}

}  // namespace gardensync::config
