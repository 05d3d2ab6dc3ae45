#include "gardensync/providers/manifests.h"

#include <cctype>
#include <utility>

#include <fmt/format.h>

#include "gardensync/sync/plan.h"
#include "gardensync/util/error.h"
#include "gardensync/util/hash.h"

namespace gardensync::providers {

namespace {

const nlohmann::json* podSpecOf(const nlohmann::json& workload) {
  const auto pointer = nlohmann::json::json_pointer(workload.value("kind", "") == "Pod" ? "/spec" : "/spec/template/spec");
  return workload.contains(pointer) ? &workload.at(pointer) : nullptr;
}

nlohmann::json* podSpecOf(nlohmann::json& workload) {
  return const_cast<nlohmann::json*>(podSpecOf(std::as_const(workload)));
}

std::string describeTarget(const config::WorkloadTarget& target) {
  return fmt::format("{}/{}", target.kind, target.name);
}

// A Kubernetes name for a volume written without one, or with characters a name cannot have.
std::string volumeName(const config::VolumeSpec& volume, size_t index) {
  std::string name;
  for (char c : volume.name) {
    const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    name += std::isalnum(static_cast<unsigned char>(lower)) ? lower : '-';
  }
  while (!name.empty() && name.front() == '-') name.erase(0, 1);
  while (!name.empty() && name.back() == '-') name.pop_back();
  if (name.empty() || name.size() > 63) name = fmt::format("volume-{}", index);
  return name;
}

}  // namespace

std::string checkoutId(const std::filesystem::path& projectRoot) {
  return util::sha256Hex(projectRoot.lexically_normal().string()).substr(0, 12);
}

bool isWorkloadKind(const std::string& kind) {
  return kind == "Deployment" || kind == "StatefulSet" || kind == "DaemonSet" || kind == "Pod";
}

const nlohmann::json* findObject(const std::vector<nlohmann::json>& manifests, const std::string& kind,
                                 const std::string& name) {
  for (const auto& manifest : manifests)
    if (manifest.value("kind", "") == kind && manifest.contains("metadata") &&
        manifest["metadata"].value("name", "") == name)
      return &manifest;
  return nullptr;
}

nlohmann::json* findObject(std::vector<nlohmann::json>& manifests, const std::string& kind, const std::string& name) {
  return const_cast<nlohmann::json*>(findObject(std::as_const(manifests), kind, name));
}

std::string firstContainerName(const nlohmann::json& workload) {
  const nlohmann::json* spec = podSpecOf(workload);
  if (!spec || !spec->contains("containers") || !(*spec)["containers"].is_array() || (*spec)["containers"].empty())
    return "";
  return (*spec)["containers"][0].value("name", "");
}

void applySyncOverrides(std::vector<nlohmann::json>& manifests, const config::Action& deploy) {
  if (!deploy.sync) return;
  for (size_t i = 0; i < deploy.sync->overrides.size(); ++i) {
    const auto& override = deploy.sync->overrides[i];
    if (!override.command && !override.args) continue;
    const std::string where = fmt::format("Deploy {}: spec.sync.overrides[{}]", deploy.name, i);
    const auto target = override.target ? override.target : deploy.defaultTarget;
    if (!target || target->kind.empty())
      throw Error(fmt::format("{} needs a target of kind and name (a podSelector names no manifest to change)", where),
                  "give the override a target {kind, name}, or the Deploy a spec.defaultTarget with kind and name");
    nlohmann::json* workload = findObject(manifests, target->kind, target->name);
    nlohmann::json* spec = workload ? podSpecOf(*workload) : nullptr;
    if (!spec || !spec->contains("containers") || !(*spec)["containers"].is_array())
      throw Error(fmt::format("{}: its target {} is not among the Deploy's manifests", where, describeTarget(*target)),
                  "overrides change the manifests gardensync applies; name a Deployment, StatefulSet, DaemonSet or "
                  "Pod of spec.manifests or spec.files");
    nlohmann::json* container = nullptr;
    for (auto& candidate : (*spec)["containers"])
      if (target->containerName.empty() || candidate.value("name", "") == target->containerName) {
        container = &candidate;
        break;
      }
    if (!container)
      throw Error(fmt::format("{}: {} has no container {}", where, describeTarget(*target), target->containerName),
                  "fix the target's containerName");
    if (override.command) (*container)["command"] = *override.command;
    if (override.args) (*container)["args"] = *override.args;
  }
}

std::vector<nlohmann::json> containerManifests(const config::ProjectConfig& config, const config::Action& deploy,
                                               bool withSync) {
  auto command = deploy.command;
  auto args = deploy.args;
  if (withSync && deploy.sync) {
    if (deploy.sync->command) command = deploy.sync->command;
    if (deploy.sync->args) args = deploy.sync->args;
  }
  const nlohmann::json selector{{sync::kProjectLabel, config.project.name}, {sync::kDeployLabel, deploy.name}};
  // IfNotPresent: images are tagged by content, so a tag never changes what it names, and a
  // cluster that may only pull from its own registry is never asked for :latest again.
  nlohmann::json container{{"name", deploy.name}, {"image", deploy.image}, {"imagePullPolicy", "IfNotPresent"}};
  if (command) container["command"] = *command;
  if (args) container["args"] = *args;
  if (!deploy.env.empty()) {
    nlohmann::json env = nlohmann::json::array();
    for (const auto& [name, value] : deploy.env) env.push_back({{"name", name}, {"value", value}});
    container["env"] = env;
  }
  nlohmann::json ports = nlohmann::json::array();
  nlohmann::json servicePorts = nlohmann::json::array();
  for (const auto& port : deploy.ports) {
    nlohmann::json entry{{"containerPort", port.containerPort}, {"protocol", port.protocol}};
    const std::string name = port.name.empty() ? fmt::format("port-{}", port.containerPort) : port.name;
    entry["name"] = name;
    ports.push_back(entry);
    servicePorts.push_back({{"name", name}, {"port", port.containerPort}, {"targetPort", port.containerPort},
                            {"protocol", port.protocol}});
  }
  if (!ports.empty()) container["ports"] = ports;
  nlohmann::json volumes = nlohmann::json::array();
  nlohmann::json mounts = nlohmann::json::array();
  for (size_t i = 0; i < deploy.volumes.size(); ++i) {
    const auto& volume = deploy.volumes[i];
    const std::string name = volumeName(volume, i);
    // A host path is the node's: on a local cluster that is this machine, as with local-docker.
    nlohmann::json source = volume.hostPath
        ? nlohmann::json{{"name", name}, {"hostPath", {{"path", *volume.hostPath}, {"type", "DirectoryOrCreate"}}}}
        : nlohmann::json{{"name", name}, {"emptyDir", nlohmann::json::object()}};
    volumes.push_back(source);
    mounts.push_back({{"name", name}, {"mountPath", volume.containerPath}});
  }
  if (!mounts.empty()) container["volumeMounts"] = mounts;
  nlohmann::json podSpec{{"containers", nlohmann::json::array({container})}};
  if (!volumes.empty()) podSpec["volumes"] = volumes;

  std::vector<nlohmann::json> manifests;
  manifests.push_back({{"apiVersion", "apps/v1"},
                       {"kind", "Deployment"},
                       {"metadata", {{"name", deploy.name}}},
                       {"spec",
                        {{"replicas", 1},
                         {"selector", {{"matchLabels", selector}}},
                         {"template", {{"metadata", {{"labels", selector}}}, {"spec", podSpec}}}}}});
  if (!servicePorts.empty())
    manifests.push_back({{"apiVersion", "v1"},
                         {"kind", "Service"},
                         {"metadata", {{"name", deploy.name}}},
                         {"spec", {{"selector", selector}, {"ports", servicePorts}}}});
  return manifests;
}

std::string labelManifests(std::vector<nlohmann::json>& manifests, const std::map<std::string, std::string>& labels) {
  for (auto& manifest : manifests) {
    auto& metadata = manifest["metadata"];
    if (!metadata.contains("labels") || !metadata["labels"].is_object()) metadata["labels"] = nlohmann::json::object();
    for (const auto& [key, value] : labels) metadata["labels"][key] = value;
    metadata["labels"].erase(kManifestHashLabel);
  }
  std::string canonical;
  for (const auto& manifest : manifests) canonical += manifest.dump() + '\n';  // object keys are sorted
  const std::string hash = util::sha256Hex(canonical).substr(0, 16);
  for (auto& manifest : manifests) manifest["metadata"]["labels"][kManifestHashLabel] = hash;
  return hash;
}

}  // namespace gardensync::providers
