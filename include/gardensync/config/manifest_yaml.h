// Free-form YAML as JSON: the Kubernetes manifests of a `kubernetes` Deploy and the values of a
// `helm` Deploy. Every string goes through template resolution like any other config string;
// unquoted scalars get the types kubectl would give them, so `replicas: 2` stays a number and
// `defaultMode: 0644` the octal it means in a manifest.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "gardensync/config/yaml_reader.h"

namespace gardensync::config {

// The JSON form of `node`; nullopt after recording errors (a bad template, a non-text key).
std::optional<nlohmann::json> yamlToJson(YamlReader& reader, const YAML::Node& node, const std::string& keyPath);

// The value an unquoted scalar stands for: null, a boolean, an integer (decimal, 0x hex, and
// octal written 0o17 or, as Kubernetes' YAML 1.1 reader has it, 017), a float, else a string.
// Pure.
nlohmann::json plainScalarValue(std::string_view text);

}  // namespace gardensync::config
