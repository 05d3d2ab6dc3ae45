#include "gardensync/providers/local_docker.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <optional>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "gardensync/config/locate.h"
#include "gardensync/providers/agent_probe.h"
#include "gardensync/providers/image_build.h"
#include "gardensync/sync/plan.h"
#include "gardensync/util/error.h"
#include "gardensync/util/parallel.h"
#include "gardensync/util/text.h"

namespace gardensync::providers {

namespace fs = std::filesystem;

namespace {

using namespace std::chrono_literals;

struct ContainerPlan : PlanDetails {
  ContainerPlan(ContainerSpec spec, bool withSync) : spec(std::move(spec)), withSync(withSync) {}
  ContainerSpec spec;
  bool withSync;  // runs spec.sync.command/args when the Deploy has them
};

const ContainerPlan& detailsOf(const DeployPlan& plan) { return static_cast<const ContainerPlan&>(*plan.details); }
const ContainerSpec& specOf(const DeployPlan& plan) { return detailsOf(plan).spec; }

// How long a container just started must keep running to count as started: a command that fails
// at once (a missing file, a bad flag) exits well within it.
constexpr auto kStartSettle = 1500ms;

// The published port of `deploy` that Docker's error names, for "port is already allocated" and
// "address already in use".
// The published port of `deploy` that Docker's error names ("port is already allocated", "address
// already in use"), with its index in spec.ports.
std::optional<std::pair<size_t, config::PortSpec>> takenPort(const config::Action& deploy,
                                                             const std::string& stderrText) {
  if (stderrText.find("already allocated") == std::string::npos &&
      stderrText.find("address already in use") == std::string::npos)
    return std::nullopt;
  for (size_t i = 0; i < deploy.ports.size(); ++i) {
    const auto& port = deploy.ports[i];
    if (!port.hostPort) continue;
    const std::string text = fmt::format(":{}", *port.hostPort);
    for (size_t at = stderrText.find(text); at != std::string::npos; at = stderrText.find(text, at + 1)) {
      const size_t end = at + text.size();
      if (end == stderrText.size() || !std::isdigit(static_cast<unsigned char>(stderrText[end])))
        return std::make_pair(i, port);
    }
  }
  return std::nullopt;
}

std::string indentLines(const std::string& text) {
  std::string result;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    result += "\n    " + text.substr(start, end - start);
    start = end + 1;
  }
  return result;
}

// `docker pause` freezes the container with the Mutagen agent in it: the session's connection
// stays open, so Mutagen shows it as watching, and its next cycle waits for the agent forever.
std::string pausedProblem(const std::string& container) {
  return fmt::format("container {} is paused, so Mutagen cannot reach it", container);
}

std::string unpauseHint(const std::string& container) {
  return fmt::format("unpause it with `docker unpause {}`", container);
}

Error pausedError(const std::string& container, const sync::PlannedSession& session) {
  return Error(fmt::format("sync {} ({}): its {}", session.name, session.deploy, pausedProblem(container)),
               unpauseHint(container) + ", then run the command again");
}

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
  auto details = std::make_shared<ContainerPlan>(containerSpec(config_, deploy, deploy.image, withSync), withSync);
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
  try {
    switch (plan.outcome) {
      case DeployOutcome::Unchanged: return;
      case DeployOutcome::Started: docker_.start(spec.name); return;
      case DeployOutcome::Replaced: docker_.remove(spec.name); break;
      case DeployOutcome::Created: break;
    }
    docker_.run(spec.runArgs);
  } catch (const ToolError& e) {
    // `docker run` creates the container before it fails to start it; left behind, the next
    // deploy would only try to start it again. Gone, the next deploy creates it afresh.
    try {
      docker_.remove(spec.name);
    } catch (const Error& removal) {
      throw ToolError(fmt::format("{} (and its container {} could not be removed: {})", e.what(), spec.name,
                                  removal.what()),
                      e.command(), e.stderrText(), e.hint());
    }
    const config::Action& deploy = *plan.deploy;
    if (const auto taken = takenPort(deploy, e.stderrText())) {
      const auto& [index, port] = *taken;
      const std::string base = fmt::format("spec.ports[{}]", index);
      const auto position = config::locateActionKey(deploy, {base + ".hostPort", base + ".localPort", base},
                                                    config_.project.root);
      const std::string where =
          position ? fmt::format("{}:{}:{}", position->file, position->line, position->column)
                   : deploy.configFile.lexically_relative(config_.project.root).generic_string();
      throw Error(fmt::format("Deploy {}: host port {} is already in use, so its container cannot start\n  {}: {} "
                              "publishes it (container port {})",
                              deploy.name, *port.hostPort, where, base, port.containerPort),
                  fmt::format("stop what listens on port {} (`ss -ltnp 'sport = :{}'` or `docker ps --filter "
                              "publish={}` names it) or publish another host port there, then deploy again",
                              *port.hostPort, *port.hostPort, *port.hostPort));
    }
    throw;
  }
}

Error LocalDockerProvider::stoppedError(const config::Action& deploy, const ContainerInfo& container,
                                        bool withSync) const {
  std::string logText;
  try {
    logText = util::trimEnd(docker_.logs(container.name, 10));
  } catch (const Error& e) {
    logText = fmt::format("(cannot read its log: {})", e.what());
  }
  const std::string file = deploy.configFile.lexically_relative(config_.project.root).generic_string();
  const bool syncCommand = withSync && deploy.sync && (deploy.sync->command || deploy.sync->args);
  std::string message =
      container.state == "created"
          ? fmt::format("Deploy {}: its container {} was created but never started{}", deploy.name, container.name,
                        container.error.empty() ? "" : ": " + container.error)
          : fmt::format("Deploy {} is not running: its container {} exited with code {}", deploy.name,
                        container.name, container.exitCode);
  message += logText.empty() ? "\n  its log is empty" : "\n  last lines of its log:" + indentLines(logText);
  return Error(message,
               fmt::format("a Deploy's command must keep running; fix {} in {} (`gardensync logs {}` shows the whole "
                           "log), then deploy again",
                           syncCommand ? "spec.sync.command/args" : "spec.command/args (or the image's own command)",
                           file, deploy.name));
}

void LocalDockerProvider::checkStarted(const std::vector<DeployPlan>& plans, const StatusFunction& onStatus) const {
  std::vector<const DeployPlan*> started;
  for (const auto& plan : plans)
    if (plan.outcome != DeployOutcome::Unchanged) started.push_back(&plan);
  if (started.empty()) return;
  onStatus(fmt::format("checking that {} container(s) keep running", started.size()));
  const auto deadline = std::chrono::steady_clock::now() + kStartSettle;
  while (true) {
    for (const DeployPlan* plan : started) {
      auto info = docker_.inspectContainer(plan->container);
      if (!info)
        throw Error(fmt::format("Deploy {}: its container {} disappeared right after it started", plan->deploy->name,
                                plan->container),
                    "something removed it (`docker rm`, another `gardensync cleanup deploy`); deploy again");
      if (!info->running) throw stoppedError(*plan->deploy, *info, detailsOf(*plan).withSync);
    }
    if (std::chrono::steady_clock::now() >= deadline) return;
    std::this_thread::sleep_for(250ms);
  }
}

std::vector<DeployState> LocalDockerProvider::describe(const std::vector<const config::Action*>& deploys) const {
  std::vector<DeployState> states(deploys.size());
  // One docker inspect per Deploy, side by side.
  util::runAllInParallel(deploys.size(), kParallelContainerChecks, [&](size_t i) {
    DeployState& state = states[i];
    state.deploy = deploys[i]->name;
    state.resource = containerOf(*deploys[i]);
    if (auto info = docker_.inspectContainer(state.resource); info && belongsToThisCheckout(*info, config_.project.root)) {
      state.running = info->running;
      // Docker counts a paused container as running, but nothing in it runs, syncs included.
      state.state = info->state == "paused" ? "paused"
                    : info->running        ? "running"
                    : info->state == "exited" ? fmt::format("exited (code {})", info->exitCode)
                                              : info->state;
      state.image = info->image;
      state.ports = info->ports;
    } else {
      state.state = info ? "deployed by another checkout" : "not deployed";
    }
  });
  return states;
}

void LocalDockerProvider::requireRunning(const config::Action& deploy) const {
  requireRunningAs(deploy, docker_.inspectContainer(containerOf(deploy)));
}

std::vector<std::exception_ptr> LocalDockerProvider::checkRunning(const std::vector<const config::Action*>& deploys) const {
  std::vector<std::string> names;
  for (const auto* deploy : deploys) names.push_back(containerOf(*deploy));
  const auto found = docker_.inspectContainers(names);  // one docker call for all
  std::vector<std::exception_ptr> problems(deploys.size());
  for (size_t i = 0; i < deploys.size(); ++i) {
    try {
      auto it = found.find(names[i]);
      requireRunningAs(*deploys[i], it == found.end() ? std::nullopt : std::optional<ContainerInfo>(it->second));
    } catch (...) {
      problems[i] = std::current_exception();
    }
  }
  return problems;
}

void LocalDockerProvider::requireRunningAs(const config::Action& deploy, const std::optional<ContainerInfo>& info) const {
  const std::string container = containerOf(deploy);
  if (!info)
    throw Error(fmt::format("Deploy {} is not running (no container {})", deploy.name, container),
                fmt::format("deploy it first: gardensync deploy --sync {}", deploy.name));
  if (!info->running) {
    const Error stopped = stoppedError(deploy, *info, true);
    throw Error(stopped.what(), fmt::format("{}; `gardensync deploy --sync {}` starts it again", stopped.hint(), deploy.name));
  }
}

std::map<std::string, std::string> LocalDockerProvider::unreachableSyncTargets(
    const std::vector<const config::Action*>& deploys) const {
  std::map<std::string, std::string> unreachable;
  if (deploys.empty()) return unreachable;
  const std::set<std::string> paused = docker_.pausedContainerNames();  // one `docker ps` for all
  for (const auto* deploy : deploys) {
    const std::string container = containerOf(*deploy);
    if (paused.count(container))
      unreachable[deploy->name] =
          fmt::format("{}; {}, and its syncs go on by themselves", pausedProblem(container), unpauseHint(container));
  }
  return unreachable;
}

void LocalDockerProvider::prepareSyncTargets(const std::vector<sync::PlannedSession>& sessions,
                                             const StatusFunction&) const {
  // A paused container keeps its sessions "watching" while nothing moves: named here, with one
  // question for all containers (the Engine's API, or one `docker ps`).
  if (!sessions.empty()) {
    const auto paused = docker_.pausedContainerNames();
    for (const auto& session : sessions)
      if (const std::string container = containerName(config_.project.name, session.deploy); paused.count(container))
        throw pausedError(container, session);
  }
  // Only reverse-mode roots are made here: whether a container can host the agent is checked
  // with the look at its folders for an initial copy (copyInitialFiles), or after a create
  // failed (explainFailedCreate). A `docker exec` costs far more CPU than the question, and a
  // session into a container that was fine a moment ago needs none.
  std::vector<std::pair<std::string, std::vector<const sync::PlannedSession*>>> byContainer;
  for (const auto& session : sessions) {
    if (!session.containerIsAlpha) continue;
    const std::string container = containerName(config_.project.name, session.deploy);
    auto it = std::find_if(byContainer.begin(), byContainer.end(), [&](const auto& c) { return c.first == container; });
    if (it == byContainer.end()) it = byContainer.insert(byContainer.end(), {container, {}});
    it->second.push_back(&session);
  }
  util::runAllInParallel(byContainer.size(), kParallelContainerChecks, [&](size_t i) {
    const auto& [container, itsSessions] = byContainer[i];
    probeContainer(container, *itsSessions.front());
    for (const auto* session : itsSessions) ensureDirectory(container, session->containerPath);
  });
}

std::vector<TargetAnswer> LocalDockerProvider::probeContainer(const std::string& container,
                                                              const sync::PlannedSession& first,
                                                              const std::vector<TargetQuestion>& folders) const {
  std::vector<std::string> command = agentProbeCommand();
  if (!folders.empty()) command.back() += fmt::format("\necho '{}'\n{}", kTargetProbeMarker, targetProbeScript(folders));
  auto result = docker_.exec(container, command);
  // A container that stopped since it was deployed, or is paused, cannot host anything: say so
  // rather than blame the agent.
  if (!result.ok()) explainUnreachable(container, first);
  std::vector<TargetAnswer> answers(folders.size());
  const size_t marker = result.stdoutText.find(std::string(kTargetProbeMarker) + "\n");
  if (marker != std::string::npos) {
    answers = readTargetProbe(result.stdoutText.substr(marker + kTargetProbeMarker.size() + 1), folders.size());
    result.stdoutText.resize(marker);
  }
  requireAgentHost(container, result);
  return answers;
}

void LocalDockerProvider::explainFailedCreate(const sync::PlannedSession& session) const {
  try {
    probeContainer(containerName(config_.project.name, session.deploy), session);
  } catch (const ToolError&) {
    // The check itself could not run: Mutagen's error says more than that.
  }
}

void LocalDockerProvider::explainUnreachable(const std::string& container, const sync::PlannedSession& first) const {
  auto info = docker_.inspectContainer(container);
  const config::Action* deploy = config_.find(config::ActionKind::Deploy, first.deploy);
  if (info && !info->running && deploy) throw stoppedError(*deploy, *info, true);
  if (info && info->state == "paused") throw pausedError(container, first);
}

void LocalDockerProvider::beforeSessionCreate(const sync::PlannedSession&, const TransportContext&) const {
  // A container that is replaced is replaced by `deploy`, which starts its sessions afresh.
}

util::ProcessResult LocalDockerProvider::exec(const config::Action& deploy, const std::vector<std::string>& command) const {
  requireRunning(deploy);
  return docker_.exec(containerOf(deploy), command, std::chrono::minutes(10));
}

// A container Deploy is one container: every sync path reaches it.
util::ProcessResult LocalDockerProvider::execInSyncTarget(const config::Action& deploy, const config::SyncPath&,
                                                          const std::vector<std::string>& command) const {
  return exec(deploy, command);
}

bool LocalDockerProvider::restartSyncTarget(const config::Action& deploy, const config::SyncPath&,
                                            const StatusFunction& onStatus) const {
  requireRunning(deploy);
  const std::string container = containerOf(deploy);
  onStatus(fmt::format("restarting container {}", container));
  docker_.restart(container);
  // A command that ends at once after the restart is reported like one that ended after deploy.
  const auto info = docker_.inspectContainer(container);
  if (!info || !info->running)
    throw Error(fmt::format("container {} did not keep running after the restart{}", container,
                            info ? fmt::format(" ({}, exit code {})", info->state, info->exitCode) : std::string()),
                fmt::format("`gardensync logs {}` shows why", deploy.name));
  return false;  // same container, same files
}

std::vector<std::string> LocalDockerProvider::interactiveExec(const config::Action& deploy,
                                                              const std::vector<std::string>& command, bool tty) const {
  requireRunning(deploy);
  return DockerCli::execArgv(containerOf(deploy), command, tty);
}

std::string LocalDockerProvider::logs(const config::Action& deploy, int tail) const {
  requireDeployed(deploy);
  return docker_.logs(containerOf(deploy), tail);
}

void LocalDockerProvider::followLogs(const config::Action& deploy, int tail, const OutputFunction& onOutput) const {
  requireDeployed(deploy);
  auto result = docker_.followLogs(containerOf(deploy), tail, onOutput);
  if (!result.ok() && result.signal == 0)
    throw ToolError(fmt::format("cannot follow the log of container {}", containerOf(deploy)),
                    util::formatCommand(DockerCli::logsArgv(containerOf(deploy), tail, true)),
                    util::trimEnd(result.stderrText));
}

void LocalDockerProvider::requireDeployed(const config::Action& deploy) const {
  if (!docker_.inspectContainer(containerOf(deploy)))
    throw Error(fmt::format("Deploy {} is not deployed (no container {})", deploy.name, containerOf(deploy)),
                fmt::format("deploy it first: gardensync deploy {}", deploy.name));
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
    try {
      docker.remove(container.id);
    } catch (const ToolError& e) {
      if (removed.empty()) throw;
      std::string list;
      for (const auto& item : removed) list += (list.empty() ? "" : ", ") + item;
      throw ToolError(fmt::format("{} (already removed: {})", e.what(), list), e.command(), e.stderrText(), e.hint());
    }
    removed.push_back("container " + container.name);
  }
  return removed;
}

void LocalDockerProvider::requireAgentHost(const std::string& container, const util::ProcessResult& result) const {
  const auto probe = readAgentProbe(result);
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
