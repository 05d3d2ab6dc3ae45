// The specs of Deploys that run on a cluster: `kubernetes` (inline `spec.manifests` and the
// manifest files of `spec.files`) and `helm` (a local chart with values), as Garden documents
// them. Manifests and values are read as JSON with their strings resolved at load time; build
// output references in them resolve once the builds have run.
#pragma once

#include <filesystem>

#include <yaml-cpp/yaml.h>

#include "gardensync/config/model.h"
#include "gardensync/config/yaml_reader.h"

namespace gardensync::config {

// Reads `spec.manifests`, `spec.files` and `spec.namespace` of a `kubernetes` Deploy into `action`.
void parseKubernetesDeploySpec(YamlReader& reader, const YAML::Node& spec, Action& action,
                               const std::filesystem::path& projectRoot);

// Reads `spec.chart`, `spec.values`, `spec.valueFiles`, `spec.releaseName` and `spec.namespace`
// of a `helm` Deploy into `action`. Charts and value files may live anywhere: they are only read.
void parseHelmDeploySpec(YamlReader& reader, const YAML::Node& spec, Action& action);

}  // namespace gardensync::config
