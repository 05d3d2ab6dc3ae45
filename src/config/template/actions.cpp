#include "gardensync/config/template/actions.h"

#include <algorithm>
#include <cctype>

#include "gardensync/config/template.h"
#include "gardensync/util/text.h"

namespace gardensync::config::tmpl {

namespace {

// `map[key]` without yaml-cpp's operator[], which on a missing key of a const node gives a node that
// throws when looked at.
YAML::Node child(const YAML::Node& map, const char* key) {
  if (map.IsMap())
    for (const auto& entry : map)
      if (entry.first.IsScalar() && entry.first.Scalar() == key) return entry.second;
  return YAML::Node(YAML::NodeType::Undefined);
}

std::string key(std::string_view kind, std::string_view name) {
  return std::string(kind) + "." + std::string(name);
}

}  // namespace

void ActionRegistry::add(const YAML::Node& document, const std::filesystem::path& configFile,
                         const std::string& displayFile, const Value& rendered) {
  if (!document.IsMap()) return;
  const YAML::Node kind = child(document, "kind");
  const YAML::Node name = child(document, "name");
  if (!kind.IsScalar() || !name.IsScalar()) return;
  const std::string lowerKind = util::asciiLowercase(kind.Scalar());
  if (lowerKind != "build" && lowerKind != "deploy" && lowerKind != "run" && lowerKind != "test") return;
  TemplateAction action;
  action.kind = lowerKind;
  action.name = name.Scalar();
  action.configFile = configFile;
  action.displayFile = displayFile;
  action.sourcePath = configFile.parent_path();
  const YAML::Node source = child(document, "source");
  if (child(source, "path").IsScalar())
    action.sourcePath = (action.sourcePath / child(source, "path").Scalar()).lexically_normal();
  // An exec Build runs in a copy of its sources unless `buildAtSource` (providers/local_exec.h).
  action.buildPath = action.sourcePath;
  const YAML::Node type = child(document, "type");
  const YAML::Node atSource = child(document, "buildAtSource");
  if (lowerKind == "build" && type.IsScalar() && type.Scalar() == "exec" && !projectRoot.empty() &&
      !(atSource.IsScalar() && atSource.Scalar() == "true"))
    action.buildPath = projectRoot / ".garden" / "build" / action.name;
  const YAML::Node disabled = child(document, "disabled");
  action.disabled = disabled.IsScalar() && disabled.Scalar() == "true";
  action.document = document;
  action.rendered = rendered;
  actions_.emplace(key(action.kind, action.name), std::move(action));
}

TemplateAction* ActionRegistry::find(std::string_view kind, std::string_view name) {
  auto it = actions_.find(key(kind, name));
  return it == actions_.end() ? nullptr : &it->second;
}

std::vector<std::string> ActionRegistry::names(std::string_view kind) const {
  std::vector<std::string> names;
  const std::string prefix = std::string(kind) + ".";
  for (auto it = actions_.lower_bound(prefix); it != actions_.end() && it->first.starts_with(prefix); ++it)
    names.push_back(it->second.name);
  return names;
}

const Value* ActionRegistry::variablesOf(TemplateAction& action) {
  if (action.state == TemplateAction::State::Resolved) return &action.variables;
  if (action.state == TemplateAction::State::Resolving || !resolveVariables) return nullptr;
  action.state = TemplateAction::State::Resolving;
  resolveVariables(action);
  action.state = TemplateAction::State::Resolved;
  return &action.variables;
}

std::string actionMode(const CommandInfo& command, std::string_view kind, std::string_view name) {
  if (kind != "deploy" || command.name != "deploy" || !command.params.contains("sync")) return "default";
  // gardensync's `deploy --sync a,b` (or `--sync=*`); a bare `--sync` syncs the Deploys named on
  // the command line, or all of them.
  std::vector<std::string> synced;
  auto addNames = [&](const Value& value) {
    auto addText = [&](const std::string& text) {
      size_t start = 0;
      while (start <= text.size()) {
        size_t comma = text.find(',', start);
        if (comma == std::string::npos) comma = text.size();
        if (comma > start) synced.push_back(text.substr(start, comma - start));
        start = comma + 1;
      }
    };
    if (value.is_string()) addText(value.get<std::string>());
    if (value.is_array())
      for (const auto& item : value)
        if (item.is_string()) addText(item.get<std::string>());
  };
  addNames(command.params["sync"]);
  if (synced.empty() && command.params.contains("names")) addNames(command.params["names"]);
  if (synced.empty()) return "sync";
  const bool match = std::any_of(synced.begin(), synced.end(),
                                 [&](const std::string& synced) { return synced == "*" || synced == name; });
  return match ? "sync" : "default";
}

Value describeAction(const TemplateAction& action, const CommandInfo& command, const Value& variables) {
  Value description = Value::object();
  description["name"] = action.name;
  description["kind"] = action.kind;
  description["mode"] = actionMode(command, action.kind, action.name);
  description["sourcePath"] = action.sourcePath.string();
  description["buildPath"] = action.buildPath.string();
  description["disabled"] = action.disabled;
  description["var"] = variables;
  return description;
}

}  // namespace gardensync::config::tmpl
