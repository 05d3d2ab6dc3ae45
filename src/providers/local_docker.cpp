#include "gardensync/providers/local_docker.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "gardensync/providers/agent_probe.h"
#include "gardensync/providers/image_build.h"
#include "gardensync/sync/plan.h"
#include "gardensync/util/error.h"
#include "gardensync/util/text.h"

namespace gardensync::providers {

namespace fs = std::filesystem;

namespace {

struct ContainerPlan : PlanDetails {
  explicit ContainerPlan(ContainerSpec spec) : spec(std::move(spec)) {}
  ContainerSpec spec;
};

const ContainerSpec& specOf(const DeployPlan& plan) { return static_cast<const ContainerPlan&>(*plan.details).spec; }

}  // namespace

LocalDockerProvider::LocalDockerProvider(const config::ProjectConfig& config, const util::CommandRunner& runner)
    : config_(config), docker_(runner) {}

std::string LocalDockerProvider::containerOf(const config::Action& deploy) const {
  return containerName(config_.project.name, deploy.name);
}

std::string LocalDockerProvider::syncEndpoint(const config::Action& deploy, const config::SyncPath& path,
                                              const std::string&) const {
  return fmt::format("docker://{}{}", containerOf(deploy), path.containerPath);
}

std::map<std::string, std::string> LocalDockerProvider::prepareTransport(const TransportContext&) const {
  return {};  // Mutagen's docker transport runs the docker CLI on the daemon's PATH
}

void LocalDockerProvider::checkDeploySupported(const config::Action& deploy) const {
  if (deploy.type == "container") return;
  throw Error(fmt::format("Deploy {} has type {}, which the local-docker provider cannot run", deploy.name, deploy.type),
              "local-docker runs Deploys of type container; kubernetes and helm Deploys need the kubernetes or "
              "local-kubernetes provider (docs/kubernetes.md)");
}

void LocalDockerProvider::checkAvailable() const { docker_.checkAvailable(); }

BuildResult LocalDockerProvider::build(const config::Action& build, const OutputFunction& onOutput) const {
  return buildImage(docker_, config_, build, fmt::format("gardensync/{}-{}", config_.project.name, build.name), onOutput);
}

bool belongsToThisCheckout(const ContainerInfo& container, const fs::path& projectRoot) {
  auto root = container.labels.find(sync::kProjectRootLabel);
  return root == container.labels.end() || root->second == projectRoot.string();
}

DeployPlan LocalDockerProvider::planDeploy(const config::Action& deploy, bool withSync) const {
  auto details = std::make_shared<ContainerPlan>(containerSpec(config_, deploy, deploy.image, withSync));
  const ContainerSpec& spec = details->spec;
  DeployPlan plan{&deploy, spec.name, spec.name, spec.image, DeployOutcome::Created, details};
  auto existing = docker_.inspectContainer(spec.name);
  if (!existing) return plan;
  const auto project = existing->labels.find(sync::kProjectLabel);
  if (project == existing->labels.end() || project->second != config_.project.name)
    throw Error(fmt::format("a container named {} exists but was not created by gardensync for project {}",
                            spec.name, config_.project.name),
                fmt::format("rename or remove it (`docker rm -f {}`) if it is not needed", spec.name));
  if (!belongsToThisCheckout(*existing, config_.project.root))
    throw Error(fmt::format("container {} belongs to another checkout of project {}, at {}", spec.name,
                            config_.project.name, existing->labels.at(sync::kProjectRootLabel)),
                fmt::format("one Docker Engine runs one checkout of a project at a time: run `gardensync cleanup "
                            "deploy` in {} first, or give this checkout another project name",
                            existing->labels.at(sync::kProjectRootLabel)));
  const auto label = existing->labels.find(kContainerSpecLabel);
  const bool same = label != existing->labels.end() && label->second == spec.specHash;
  plan.outcome = !same ? DeployOutcome::Replaced : existing->running ? DeployOutcome::Unchanged : DeployOutcome::Started;
  return plan;
}

void LocalDockerProvider::applyDeploy(const DeployPlan& plan, const StatusFunction&) const {
  const ContainerSpec& spec = specOf(plan);
  switch (plan.outcome) {
    case DeployOutcome::Unchanged: return;
    case DeployOutcome::Started: docker_.start(spec.name); return;
    case DeployOutcome::Replaced: docker_.remove(spec.name); break;
    case DeployOutcome::Created: break;
  }
  docker_.run(spec.runArgs);
}

void LocalDockerProvider::requireRunning(const config::Action& deploy) const {
  const std::string container = containerOf(deploy);
  auto info = docker_.inspectContainer(container);
  if (!info || !info->running)
    throw Error(fmt::format("Deploy {} is not running (no running container {})", deploy.name, container),
                fmt::format("deploy it first: gardensync deploy --sync {}", deploy.name));
}

void LocalDockerProvider::prepareSyncTargets(const std::vector<sync::PlannedSession>& sessions,
                                             const StatusFunction&) const {
  std::set<std::string> checked;
  for (const auto& session : sessions) {
    const std::string container = containerName(config_.project.name, session.deploy);
    if (checked.insert(container).second) checkAgentHost(container);
    if (session.containerIsAlpha) ensureDirectory(container, session.containerPath);
  }
}

void LocalDockerProvider::beforeSessionCreate(const sync::PlannedSession&, const TransportContext&) const {
  // A container that is replaced is replaced by `deploy`, which starts its sessions afresh.
}

util::ProcessResult LocalDockerProvider::exec(const config::Action& deploy, const std::vector<std::string>& command) const {
  requireRunning(deploy);
  return docker_.exec(containerOf(deploy), command, std::chrono::minutes(10));
}

std::string LocalDockerProvider::logs(const config::Action& deploy, int tail) const {
  return docker_.logs(containerOf(deploy), tail);
}

std::vector<std::string> LocalDockerProvider::cleanup(const std::vector<std::string>& deploys) const {
  return removeProjectContainers(docker_, {config_.project.root, config_.project.name}, deploys);
}

std::vector<std::string> removeProjectContainers(const DockerCli& docker, const config::ProjectIdentity& project,
                                                 const std::vector<std::string>& deploys) {
  // By label, so containers of Deploys since removed from the config go too.
  std::vector<std::string> removed;
  for (const auto& container : docker.listContainers({{sync::kProjectLabel, project.name}})) {
    if (!belongsToThisCheckout(container, project.root)) continue;
    auto deploy = container.labels.find(sync::kDeployLabel);
    const std::string deployName = deploy == container.labels.end() ? "" : deploy->second;
    if (!deploys.empty() && std::find(deploys.begin(), deploys.end(), deployName) == deploys.end()) continue;
    docker.remove(container.id);
    removed.push_back("container " + container.name);
  }
  return removed;
}

void LocalDockerProvider::checkAgentHost(const std::string& container) const {
  const auto probe = readAgentProbe(docker_.exec(container, agentProbeCommand()));
  if (!probe.probeRan)
    throw ToolError(fmt::format("cannot check container {} for the sync agent", container),
                    "docker exec " + container + " sh -c ...", probe.problem, agentHostHint());
  if (!probe.problem.empty())
    throw Error(fmt::format("container {} cannot host the sync agent: {}", container, probe.problem), agentHostHint());
}

void LocalDockerProvider::ensureDirectory(const std::string& container, const std::string& path) const {
  auto result = docker_.exec(container, {"mkdir", "-p", path});
  if (!result.ok())
    throw ToolError(fmt::format("cannot create {} in container {}", path, container),
                    util::formatCommand({"docker", "exec", container, "mkdir", "-p", path}), result.stderrText);
}

}  // namespace gardensync::providers
