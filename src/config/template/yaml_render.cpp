#include "gardensync/config/template/yaml_render.h"

#include <unordered_map>

#include "gardensync/config/template/yaml_value.h"

namespace gardensync::config::tmpl {

namespace {

bool isOperatorMapping(const Value& value) {
  return value.is_object() && (value.contains("$merge") || value.contains("$if") || value.contains("$forEach"));
}

bool hasConcatItem(const Value& value) {
  if (!value.is_array()) return false;
  for (const auto& item : value)
    if (item.is_object() && item.contains("$concat")) return true;
  return false;
}

void registerCreated(const YAML::Node& node, const YAML::Node& origin, YamlRenderSink& sink) {
  sink.created(node, origin);
  if (node.IsSequence()) {
    for (const auto& item : node) registerCreated(item, origin, sink);
  } else if (node.IsMap()) {
    for (const auto& entry : node) {
      sink.created(entry.first, origin);
      registerCreated(entry.second, origin, sink);
    }
  }
}

YAML::Node fresh(const Value& value, const YAML::Node& origin, YamlRenderSink& sink) {
  YAML::Node node = valueToYaml(value);
  registerCreated(node, origin, sink);
  return node;
}

// Gives `node` the content of `replacement`. yaml-cpp keeps the node itself (its parent still
// holds it) but not its position, which the sink keeps from before.
void replace(YAML::Node node, const YAML::Node& replacement, YamlRenderSink& sink) {
  sink.created(node, node);
  node = replacement;
}

// Makes `node` hold `resolved`, which was `raw`: in place where it can, so positions stay.
void writeBack(YAML::Node node, const Value& raw, const Value& resolved, YamlRenderSink& sink) {
  if (raw == resolved) return;
  if (resolved.is_null()) {
    replace(node, YAML::Node(YAML::NodeType::Null), sink);
    return;
  }
  if (!resolved.is_array() && !resolved.is_object()) {
    node = toText(resolved);  // a scalar is set in place, position and all
    return;
  }
  if (resolved.is_array()) {
    if (node.IsSequence() && raw.is_array() && raw.size() == resolved.size() && raw.size() == node.size() &&
        !hasConcatItem(raw)) {
      for (size_t i = 0; i < raw.size(); ++i) writeBack(node[i], raw[i], resolved[i], sink);
      return;
    }
    YAML::Node list(YAML::NodeType::Sequence);
    for (const auto& item : resolved) list.push_back(fresh(item, node, sink));
    replace(node, list, sink);
    return;
  }
  // A mapping: keys written in the source keep their key and value nodes.
  std::vector<std::pair<YAML::Node, YAML::Node>> written;
  if (node.IsMap() && raw.is_object() && !isOperatorMapping(raw)) {
    for (const auto& entry : node) written.emplace_back(entry.first, entry.second);
    bool sameKeys = written.size() == resolved.size() && raw.size() == resolved.size();
    if (sameKeys) {
      size_t i = 0;
      for (const auto& [key, item] : resolved.items()) {
        if (!written[i].first.IsScalar() || written[i].first.Scalar() != key) {
          sameKeys = false;
          break;
        }
        ++i;
      }
    }
    if (sameKeys) {
      size_t i = 0;
      for (const auto& [key, item] : resolved.items()) writeBack(written[i++].second, raw[key], item, sink);
      return;
    }
  } else if (node.IsMap() && raw.is_object() && raw.contains("$merge")) {
    for (const auto& entry : node)
      if (!entry.first.IsScalar() || entry.first.Scalar() != "$merge") written.emplace_back(entry.first, entry.second);
  }
  std::unordered_map<std::string, size_t> writtenByKey;
  for (size_t i = 0; i < written.size(); ++i)
    if (written[i].first.IsScalar()) writtenByKey.emplace(written[i].first.Scalar(), i);
  YAML::Node mapping(YAML::NodeType::Map);
  for (const auto& [key, item] : resolved.items()) {
    auto same = writtenByKey.find(key);
    if (same != writtenByKey.end() && raw.contains(key)) {
      const auto& [keyNode, valueNode] = written[same->second];
      writeBack(valueNode, raw[key], item, sink);
      mapping.force_insert(keyNode, valueNode);
      continue;
    }
    YAML::Node keyNode(key);
    sink.created(keyNode, node);
    mapping.force_insert(keyNode, fresh(item, node, sink));
  }
  replace(node, mapping, sink);
}

}  // namespace

YAML::Node nodeAt(const YAML::Node& node, const std::vector<Value>& path) {
  // Handles move with reset(): assigning one YAML::Node to another would change the node itself.
  YAML::Node at;
  at.reset(node);
  for (const auto& key : path) {
    YAML::Node next;
    bool found = false;
    if (key.is_number() && at.IsSequence()) {
      const size_t index = static_cast<size_t>(toDouble(key));
      if (index < at.size()) {
        next.reset(at[index]);
        found = true;
      }
    } else if (key.is_string() && at.IsMap()) {
      for (const auto& entry : at) {
        if (entry.first.IsScalar() && entry.first.Scalar() == key.get_ref<const std::string&>()) {
          next.reset(entry.second);
          found = true;
          break;
        }
      }
    }
    if (!found) break;
    at.reset(next);
  }
  return at;
}

void renderYaml(YAML::Node& node, const std::string& keyPath, const Scope& scope, const TreeOptions& options,
                YamlRenderSink& sink) {
  const Value raw = yamlToValue(node);
  TreeResult result = resolveTree(raw, scope, options);
  for (const auto& problem : result.errors)
    sink.error(nodeAt(node, problem.path), pathText(keyPath, problem.path), problem.message);
  for (const auto& path : result.failed) sink.failed(nodeAt(node, path));
  for (const auto& problem : result.deferred) sink.deferred(nodeAt(node, problem.path), problem.message);
  if (!result.undefined) writeBack(node, raw, result.value, sink);
}

}  // namespace gardensync::config::tmpl
