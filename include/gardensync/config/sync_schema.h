// The sync part of the schema, exactly as Garden documents it: `spec.sync` of container and
// kubernetes/helm Deploys, and a provider's `sync.defaults`.
#pragma once

#include <filesystem>
#include <optional>

#include <yaml-cpp/yaml.h>

#include "gardensync/config/model.h"
#include "gardensync/config/yaml_reader.h"

namespace gardensync::config {

struct SyncSchemaContext {
  std::string deployType;             // container, kubernetes, helm
  std::filesystem::path actionDir;    // relative sources resolve here
  std::filesystem::path projectRoot;  // relative sources must stay below it
};

// Parses `spec.sync` (`node` is its value); nullopt when absent or broken (errors recorded).
std::optional<SyncConfig> parseSyncConfig(YamlReader& reader, const YAML::Node& node,
                                          const std::string& keyPath, const SyncSchemaContext& context);

// Parses a provider's `sync.defaults`.
SyncDefaults parseSyncDefaults(YamlReader& reader, const YAML::Node& node, const std::string& keyPath);

// Parses a `{kind, name, containerName}` workload reference.
std::optional<WorkloadTarget> parseWorkloadTarget(YamlReader& reader, const YAML::Node& node,
                                                  const std::string& keyPath);

}  // namespace gardensync::config
