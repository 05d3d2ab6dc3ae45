#include "gardensync/config/locate.h"

#include <regex>

#include "gardensync/config/yaml_text.h"

namespace gardensync::config {

namespace {

// The node at "a.b[2].c" below `root`, or an undefined node. Walks with reset(): assigning a
// yaml-cpp Node would overwrite the node it refers to, not rebind it.
YAML::Node descend(const YAML::Node& root, const std::string& keyPath) {
  YAML::Node node;
  node.reset(root);
  static const std::regex segment(R"(([^.\[\]]+)|\[(\d+)\])");
  for (auto it = std::sregex_iterator(keyPath.begin(), keyPath.end(), segment); it != std::sregex_iterator(); ++it) {
    if (!node.IsDefined() || node.IsNull()) return YAML::Node(YAML::NodeType::Undefined);
    if ((*it)[1].matched) {
      if (!node.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
      const YAML::Node child = static_cast<const YAML::Node&>(node)[(*it)[1].str()];
      if (!child.IsDefined()) return YAML::Node(YAML::NodeType::Undefined);
      node.reset(child);
    } else {
      const size_t index = std::stoul((*it)[2].str());
      if (!node.IsSequence() || index >= node.size()) return YAML::Node(YAML::NodeType::Undefined);
      const YAML::Node child = static_cast<const YAML::Node&>(node)[index];
      if (!child.IsDefined()) return YAML::Node(YAML::NodeType::Undefined);
      node.reset(child);
    }
  }
  return node;
}

}  // namespace

std::optional<Position> locateActionKey(const Action& action, const std::vector<std::string>& keyPaths,
                                        const std::filesystem::path& projectRoot) {
  std::vector<YAML::Node> documents;
  try {
    documents = loadYamlDocuments(action.configFile);
  } catch (const YAML::Exception&) {
    return std::nullopt;
  }
  const std::string kind = toString(action.kind);
  for (const auto& doc : documents) {
    if (!doc.IsMap() || !doc["kind"] || !doc["name"] || doc["kind"].as<std::string>("") != kind ||
        doc["name"].as<std::string>("") != action.name)
      continue;
    for (const auto& keyPath : keyPaths) {
      const YAML::Node node = descend(doc, keyPath);
      if (!node.IsDefined() || node.Mark().is_null()) continue;
      return Position{action.configFile.lexically_relative(projectRoot).generic_string(), node.Mark().line + 1,
                      node.Mark().column + 1};
    }
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace gardensync::config
