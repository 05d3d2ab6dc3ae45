#include "gardensync/providers/helm_post_render.h"

#include <yaml-cpp/yaml.h>

#include <fmt/format.h>

#include "gardensync/config/manifest_yaml.h"
#include "gardensync/config/yaml_reader.h"
#include "gardensync/providers/manifests.h"
#include "gardensync/util/error.h"

namespace gardensync::providers {

namespace {

nlohmann::json targetJson(const std::optional<config::WorkloadTarget>& target) {
  if (!target) return nullptr;
  return {{"kind", target->kind}, {"name", target->name}, {"containerName", target->containerName}};
}

std::optional<config::WorkloadTarget> targetOf(const nlohmann::json& json) {
  if (!json.is_object()) return std::nullopt;
  return config::WorkloadTarget{json.value("kind", ""), json.value("name", ""), {}, json.value("containerName", "")};
}

std::optional<std::vector<std::string>> listOf(const nlohmann::json& json) {
  if (!json.is_array()) return std::nullopt;
  return json.get<std::vector<std::string>>();
}

}  // namespace

nlohmann::json postRenderSpec(const config::Action& deploy, bool withSync, const std::map<std::string, std::string>& labels,
                              const std::string& manifestHash) {
  nlohmann::json overrides = nlohmann::json::array();
  if (withSync && deploy.sync)
    for (const auto& override : deploy.sync->overrides)
      overrides.push_back({{"target", targetJson(override.target)},
                           {"command", override.command ? nlohmann::json(*override.command) : nlohmann::json(nullptr)},
                           {"args", override.args ? nlohmann::json(*override.args) : nlohmann::json(nullptr)}});
  return {{"deploy", deploy.name},
          {"labels", labels},
          {"manifestHash", manifestHash},
          {"defaultTarget", targetJson(deploy.defaultTarget)},
          {"overrides", overrides}};
}

std::vector<nlohmann::json> parseYamlObjects(std::string_view yaml) {
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(std::string(yaml));
  } catch (const YAML::ParserException& e) {
    throw Error(fmt::format("the chart's rendered objects are not YAML (line {}: {})", e.mark.line + 1, e.msg));
  }
  config::Diagnostics diagnostics;
  config::YamlReader reader("helm output", diagnostics, nullptr);  // no templates: helm's text as it is
  std::vector<nlohmann::json> objects;
  for (size_t i = 0; i < documents.size(); ++i) {
    if (documents[i].IsNull()) continue;
    auto object = config::yamlToJson(reader, documents[i], fmt::format("documents[{}]", i));
    if (!object || !diagnostics.errors.empty())
      throw Error(fmt::format("the chart's rendered object {} cannot be read: {}", i,
                              diagnostics.errors.empty() ? "unknown error" : diagnostics.errors.front().format()));
    if (object->is_object() && !object->empty()) objects.push_back(std::move(*object));
  }
  return objects;
}

std::string postRender(std::string_view yaml, const nlohmann::json& spec) {
  auto objects = parseYamlObjects(yaml);
  config::Action deploy;
  deploy.name = spec.value("deploy", "");
  deploy.defaultTarget = targetOf(spec.contains("defaultTarget") ? spec["defaultTarget"] : nlohmann::json());
  config::SyncConfig sync;
  const auto empty = nlohmann::json::object();
  const auto& overrides = spec.contains("overrides") ? spec["overrides"] : empty;
  for (const auto& override : overrides)
    sync.overrides.push_back({listOf(override.contains("command") ? override["command"] : empty),
                              listOf(override.contains("args") ? override["args"] : empty),
                              targetOf(override.contains("target") ? override["target"] : empty)});
  deploy.sync = sync;
  applySyncOverrides(objects, deploy);
  std::map<std::string, std::string> labels;
  for (const auto& [key, value] : (spec.contains("labels") ? spec["labels"] : empty).items())
    if (value.is_string()) labels[key] = value.get<std::string>();
  labelManifests(objects, labels);
  if (const std::string hash = spec.value("manifestHash", ""); !hash.empty())
    for (auto& object : objects) object["metadata"]["labels"][kManifestHashLabel] = hash;
  std::string out;
  for (const auto& object : objects) out += "---\n" + object.dump() + "\n";
  return out;
}

}  // namespace gardensync::providers
