// The Kubernetes objects gardensync applies for a Deploy, as JSON, and what it does to them:
// a container Deploy rendered as a Deployment (and a Service for its ports), a kubernetes
// Deploy's sync overrides set on its workloads, and the labels that let `cleanup deploy` find
// exactly what was applied and a redeploy tell whether anything changed. Pure.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gardensync/config/model.h"

namespace gardensync::providers {

// On applied objects: which checkout of the project applied them (a label value cannot hold the
// project's path, so a hash of it), and a hash of the objects as applied.
inline constexpr const char* kCheckoutLabel = "gardensync.io/checkout";
inline constexpr const char* kManifestHashLabel = "gardensync.io/manifest-hash";

std::string checkoutId(const std::filesystem::path& projectRoot);

// Deployment, StatefulSet, DaemonSet or Pod: the kinds whose pods gardensync waits for and syncs with.
bool isWorkloadKind(const std::string& kind);

nlohmann::json* findObject(std::vector<nlohmann::json>& manifests, const std::string& kind, const std::string& name);
const nlohmann::json* findObject(const std::vector<nlohmann::json>& manifests, const std::string& kind,
                                 const std::string& name);
// The name of the first container of a workload object's pod spec ("" when it has none).
std::string firstContainerName(const nlohmann::json& workload);

// Sync mode of a kubernetes Deploy: each `spec.sync.overrides[]` entry's command and args on the
// container of its target (or the Deploy's defaultTarget). Throws Error naming the override when
// its target or container is not among the manifests.
void applySyncOverrides(std::vector<nlohmann::json>& manifests, const config::Action& deploy);

// A container Deploy on a cluster: a Deployment of one replica whose container is named like the
// Deploy (plus a Service when it has ports). `withSync`: spec.sync.command/args replace the
// Deploy's own, as Garden does in sync mode.
std::vector<nlohmann::json> containerManifests(const config::ProjectConfig& config, const config::Action& deploy,
                                               bool withSync);

// Adds `labels` to every object's metadata, then kManifestHashLabel with the hash of the result;
// returns that hash.
std::string labelManifests(std::vector<nlohmann::json>& manifests, const std::map<std::string, std::string>& labels);

}  // namespace gardensync::providers
