// Helm's post-renderer for `helm` Deploys: helm pipes the rendered objects through
// `gardensync __helm-post-render <spec file>`, which labels them like every object gardensync
// applies (so `cleanup deploy` finds them and a redeploy sees what changed) and, in sync mode,
// sets the `spec.sync.overrides` command and args on their workloads, so the release itself
// carries them. Pure apart from reading the spec file.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "gardensync/config/model.h"

namespace gardensync::providers {

// What the post-renderer is to do, as the JSON written to its spec file: the labels, the hash to
// label with (empty: compute it from the result), and the Deploy's overrides when in sync mode.
nlohmann::json postRenderSpec(const config::Action& deploy, bool withSync,
                              const std::map<std::string, std::string>& labels, const std::string& manifestHash);

// The objects of a YAML stream (helm's output), as JSON; empty documents are skipped. Throws
// Error when it is not YAML.
std::vector<nlohmann::json> parseYamlObjects(std::string_view yaml);

// Applies `spec` to the objects of `yaml` and returns them as YAML documents (JSON is YAML).
std::string postRender(std::string_view yaml, const nlohmann::json& spec);

}  // namespace gardensync::providers
