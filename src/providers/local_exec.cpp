#include "gardensync/providers/local_exec.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include <fmt/format.h>

#include "gardensync/config/file_scan.h"
#include "gardensync/providers/image_build.h"
#include "gardensync/providers/local_process.h"
#include "gardensync/util/error.h"
#include "gardensync/util/hash.h"

namespace gardensync::providers {

namespace fs = std::filesystem;

namespace {

bool isExec(const config::Action& action) { return action.type == "exec"; }

// What the plan keeps for applyDeploy.
struct ExecPlanDetails : PlanDetails {
  fs::path directory;
  std::string specHash;
};

std::string describeCommand(const config::Action& deploy) {
  return deploy.persistent ? "local process" : "local command";
}

// Garden's exec actions run with GARDEN_* variables besides their own; gardensync sets the ones a
// command can use without Garden.
std::map<std::string, std::string> commandEnvironment(const config::ProjectConfig& config,
                                                      const config::Action& action) {
  std::map<std::string, std::string> env{{"GARDEN_PROJECT_NAME", config.project.name},
                                         {"GARDEN_ENVIRONMENT", config.environment},
                                         {"GARDEN_ACTION_NAME", action.name}};
  for (const auto& [name, value] : action.env) env[name] = value;
  return env;
}

}  // namespace

fs::path buildPathOf(const config::ProjectConfig& config, const config::Action& build) {
  if (!isExec(build) || build.buildAtSource) return build.dir;
  return config.project.root / ".garden" / "build" / build.name;
}

fs::path execWorkingDirectory(const config::ProjectConfig& config, const config::Action& deploy) {
  if (!deploy.build.empty())
    if (const config::Action* build = config.find(config::ActionKind::Build, deploy.build))
      return buildPathOf(config, *build);
  return deploy.dir;
}

std::string execSpecHash(const config::ProjectConfig& config, const config::Action& action) {
  std::string text = action.persistent ? "persistent\n" : "once\n";
  text += execWorkingDirectory(config, action).string() + "\n";
  for (const auto* command : {&action.execCommand, &action.statusCommand}) {
    text += "command\n";
    if (*command)
      for (const auto& item : (*command)->argv) text += item + '\0';
  }
  for (const auto& [name, value] : action.env) text += "env " + name + "=" + value + '\0';
  return util::sha256Hex(text).substr(0, 16);
}

void copyBuildContext(const fs::path& from, const fs::path& to, const std::optional<std::vector<std::string>>& include,
                      const std::vector<std::string>& exclude) {
  std::error_code ec;
  fs::remove_all(to, ec);
  if (ec) throw Error(fmt::format("cannot empty the build folder {}: {}", to.string(), ec.message()));
  fs::create_directories(to, ec);
  if (ec) throw Error(fmt::format("cannot create the build folder {}: {}", to.string(), ec.message()));
  auto selected = [&](const std::string& relative) {
    for (const auto& pattern : exclude)
      if (config::globMatch(pattern, relative)) return false;
    if (!include) return true;
    for (const auto& pattern : *include)
      if (config::globMatch(pattern, relative)) return true;
    return false;
  };
  fs::recursive_directory_iterator it(from, fs::directory_options::none, ec), end;
  if (ec) throw Error(fmt::format("cannot read {}: {}", from.string(), ec.message()));
  for (; it != end; it.increment(ec)) {
    if (ec) throw Error(fmt::format("cannot read {}: {}", from.string(), ec.message()));
    const fs::path source = it->path();
    const std::string name = source.filename().string();
    // The copy may be below the source (an action at the project root): never copy it into itself.
    if (it->is_directory(ec) && !it->is_symlink(ec)) {
      if (name == ".git" || name == ".garden" || source == to) it.disable_recursion_pending();
      continue;
    }
    const std::string relative = source.lexically_relative(from).generic_string();
    if (!selected(relative)) continue;
    const fs::path target = to / source.lexically_relative(from);
    fs::create_directories(target.parent_path(), ec);
    if (!ec) {
      if (it->is_symlink(ec)) fs::copy_symlink(source, target, ec);
      else fs::copy_file(source, target, fs::copy_options::overwrite_existing, ec);
    }
    if (ec) throw Error(fmt::format("cannot copy {} to the build folder: {}", source.string(), ec.message()));
  }
}

LocalExecProvider::LocalExecProvider(const config::ProjectConfig& config, std::unique_ptr<Provider> inner,
                                     const util::CommandRunner& runner)
    : config_(config), inner_(std::move(inner)), runner_(runner) {}

std::string LocalExecProvider::syncEndpoint(const config::Action& deploy, const config::SyncPath& path,
                                            const std::string& sessionName) const {
  return inner_->syncEndpoint(deploy, path, sessionName);
}

std::map<std::string, std::string> LocalExecProvider::prepareTransport(const TransportContext& transport) const {
  return inner_->prepareTransport(transport);
}

void LocalExecProvider::checkDeploySupported(const config::Action& deploy) const {
  if (!isExec(deploy)) inner_->checkDeploySupported(deploy);
}

void LocalExecProvider::checkAvailable() const { inner_->checkAvailable(); }

util::ProcessOptions LocalExecProvider::optionsFor(const config::Action& action, const fs::path& directory,
                                                   int timeoutSeconds) const {
  util::ProcessOptions options;
  options.workingDirectory = directory;
  options.environment.set = commandEnvironment(config_, action);
  options.timeout = std::chrono::seconds(timeoutSeconds);
  return options;
}

BuildResult LocalExecProvider::build(const config::Action& build, const OutputFunction& onOutput) const {
  if (!isExec(build)) return inner_->build(build, onOutput);
  const fs::path directory = buildPathOf(config_, build);
  if (!build.buildAtSource) copyBuildContext(build.dir, directory, build.include, build.exclude);
  BuildResult result;
  result.version = "v-" + buildVersion(build).substr(0, 12);
  result.built = true;
  if (!build.execCommand || build.execCommand->argv.empty()) return result;
  util::ProcessOptions options = optionsFor(build, directory, build.timeoutSeconds);
  options.onStdout = onOutput;
  options.onStderr = onOutput;
  const auto& argv = build.execCommand->argv;
  util::requireSuccess(argv, options, runner_.run(argv, options), fmt::format("the command of Build {}", build.name));
  return result;
}

bool LocalExecProvider::statusSucceeds(const config::Action& deploy) const {
  if (!deploy.statusCommand) return false;
  const auto& argv = deploy.statusCommand->argv;
  return runner_.run(argv, optionsFor(deploy, execWorkingDirectory(config_, deploy), deploy.statusTimeoutSeconds)).ok();
}

DeployPlan LocalExecProvider::planDeploy(const config::Action& deploy, bool withSync) const {
  if (!isExec(deploy)) return inner_->planDeploy(deploy, withSync);
  auto details = std::make_shared<ExecPlanDetails>();
  details->directory = execWorkingDirectory(config_, deploy);
  details->specHash = execSpecHash(config_, deploy);
  DeployPlan plan;
  plan.deploy = &deploy;
  plan.resource = describeCommand(deploy);
  plan.hostsSyncs = false;
  plan.details = details;
  if (deploy.persistent) {
    const auto record = readLocalProcess(localProcessDir(config_.project.root), deploy.name);
    const bool running = record && isRunning(*record);
    if (running) plan.resource = fmt::format("local process (pid {})", record->pid);
    if (running && record->specHash == details->specHash) plan.outcome = DeployOutcome::Unchanged;
    else plan.outcome = running ? DeployOutcome::Replaced : DeployOutcome::Created;
    // A process that runs with another spec is replaced whatever its status says.
    if (!running && statusSucceeds(deploy)) plan.outcome = DeployOutcome::Unchanged;
    return plan;
  }
  // Garden runs the statusCommand first: exit 0 means deployed already.
  plan.outcome = statusSucceeds(deploy) ? DeployOutcome::Unchanged : DeployOutcome::Created;
  return plan;
}

void LocalExecProvider::applyDeploy(const DeployPlan& plan, const StatusFunction& onStatus) const {
  const auto* details = dynamic_cast<const ExecPlanDetails*>(plan.details.get());
  if (!details) {
    inner_->applyDeploy(plan, onStatus);
    return;
  }
  const config::Action& deploy = *plan.deploy;
  if (plan.outcome == DeployOutcome::Unchanged) return;
  const auto& argv = deploy.execCommand->argv;
  if (!deploy.persistent) {
    onStatus(fmt::format("deploy {}: running {}", deploy.name, util::formatCommand(argv)));
    const auto options = optionsFor(deploy, details->directory, deploy.timeoutSeconds);
    util::requireSuccess(argv, options, runner_.run(argv, options),
                         fmt::format("the deployCommand of Deploy {}", deploy.name));
    return;
  }
  const fs::path dir = localProcessDir(config_.project.root);
  stopLocalProcess(dir, deploy.name);
  const auto record = startLocalProcess(dir, deploy.name, argv, commandEnvironment(config_, deploy),
                                        details->directory, details->specHash);
  if (!deploy.statusCommand) return;  // Garden counts it ready once started
  // Garden runs the statusCommand until it succeeds or statusTimeout passes.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(deploy.statusTimeoutSeconds);
  while (true) {
    onStatus(fmt::format("deploy {}: waiting for {} to succeed", deploy.name,
                         util::formatCommand(deploy.statusCommand->argv)));
    if (statusSucceeds(deploy)) return;
    if (!isRunning(record))
      throw Error(fmt::format("Deploy {}: {} exited before its statusCommand succeeded; its last output:\n{}",
                              deploy.name, util::formatCommand(argv), localProcessLog(dir, deploy.name, 20)),
                  fmt::format("its whole output is in {}", (dir / (deploy.name + ".log")).string()));
    if (std::chrono::steady_clock::now() >= deadline)
      throw Error(fmt::format("Deploy {}: its statusCommand {} did not succeed within {} s (statusTimeout)",
                              deploy.name, util::formatCommand(deploy.statusCommand->argv),
                              deploy.statusTimeoutSeconds),
                  fmt::format("the process keeps running; its output is in {}",
                              (dir / (deploy.name + ".log")).string()));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

std::map<std::string, std::string> LocalExecProvider::unreachableSyncTargets(
    const std::vector<const config::Action*>& deploys) const {
  std::vector<const config::Action*> containers;  // a local process is always reachable
  for (const auto* deploy : deploys)
    if (!isExec(*deploy)) containers.push_back(deploy);
  return containers.empty() ? std::map<std::string, std::string>() : inner_->unreachableSyncTargets(containers);
}

void LocalExecProvider::requireRunning(const config::Action& deploy) const {
  if (!isExec(deploy)) {
    inner_->requireRunning(deploy);
    return;
  }
  if (!deploy.persistent) return;  // its command ran to its end; there is nothing to find
  const auto record = readLocalProcess(localProcessDir(config_.project.root), deploy.name);
  if (!record || !isRunning(*record))
    throw Error(fmt::format("Deploy {}: its local process is not running", deploy.name),
                fmt::format("deploy it first: gardensync deploy {}", deploy.name));
}

std::vector<std::exception_ptr> LocalExecProvider::checkRunning(const std::vector<const config::Action*>& deploys) const {
  std::vector<const config::Action*> containers;  // asked of the inner provider, all at once
  std::vector<size_t> at;
  std::vector<std::exception_ptr> problems(deploys.size());
  for (size_t i = 0; i < deploys.size(); ++i) {
    if (!isExec(*deploys[i])) {
      containers.push_back(deploys[i]);
      at.push_back(i);
      continue;
    }
    try {
      requireRunning(*deploys[i]);
    } catch (...) {
      problems[i] = std::current_exception();
    }
  }
  const auto inner = inner_->checkRunning(containers);
  for (size_t k = 0; k < at.size(); ++k) problems[at[k]] = inner[k];
  return problems;
}

void LocalExecProvider::prepareSyncTargets(const std::vector<sync::PlannedSession>& sessions,
                                           const StatusFunction& onStatus) const {
  inner_->prepareSyncTargets(sessions, onStatus);
}

std::vector<InitialCopy> LocalExecProvider::copyInitialFiles(const std::vector<sync::PlannedSession>& fresh,
                                                             const StatusFunction& onStatus) const {
  return inner_->copyInitialFiles(fresh, onStatus);
}

void LocalExecProvider::beforeSessionCreate(const sync::PlannedSession& session,
                                            const TransportContext& transport) const {
  inner_->beforeSessionCreate(session, transport);
}

void LocalExecProvider::explainFailedCreate(const sync::PlannedSession& session) const {
  inner_->explainFailedCreate(session);
}

util::ProcessResult LocalExecProvider::exec(const config::Action& deploy,
                                            const std::vector<std::string>& command) const {
  if (!isExec(deploy)) return inner_->exec(deploy, command);
  throw UsageError(fmt::format("Deploy {} is an exec Deploy: it runs on this machine, not in a container",
                               deploy.name),
                   "run the command here directly");
}

util::ProcessResult LocalExecProvider::execInSyncTarget(const config::Action& deploy, const config::SyncPath& path,
                                                        const std::vector<std::string>& command) const {
  if (!isExec(deploy)) return inner_->execInSyncTarget(deploy, path, command);
  return exec(deploy, command);  // throws: an exec Deploy has no container to run it in
}

bool LocalExecProvider::restartSyncTarget(const config::Action& deploy, const config::SyncPath& path,
                                          const StatusFunction& onStatus) const {
  if (!isExec(deploy)) return inner_->restartSyncTarget(deploy, path, onStatus);
  throw UsageError(fmt::format("Deploy {} is an exec Deploy: it has no container to restart", deploy.name));
}

std::string LocalExecProvider::logs(const config::Action& deploy, int tail) const {
  if (!isExec(deploy)) return inner_->logs(deploy, tail);
  if (!deploy.persistent)
    throw UsageError(fmt::format("Deploy {} runs a command to its end and keeps no log", deploy.name));
  return localProcessLog(localProcessDir(config_.project.root), deploy.name, tail);
}

void LocalExecProvider::checkStarted(const std::vector<DeployPlan>& plans, const StatusFunction& onStatus) const {
  // An exec Deploy's command was waited for (or, persistent, started) by applyDeploy itself.
  std::vector<DeployPlan> others;
  for (const auto& plan : plans)
    if (!isExec(*plan.deploy)) others.push_back(plan);
  inner_->checkStarted(others, onStatus);
}

std::vector<DeployState> LocalExecProvider::describe(const std::vector<const config::Action*>& deploys) const {
  std::vector<const config::Action*> others;
  for (const auto* deploy : deploys)
    if (!isExec(*deploy)) others.push_back(deploy);
  const auto described = inner_->describe(others);
  std::vector<DeployState> states;
  size_t next = 0;
  for (const auto* deploy : deploys) {
    if (!isExec(*deploy)) {
      states.push_back(described.at(next++));
      continue;
    }
    DeployState state;
    state.deploy = deploy->name;
    if (deploy->persistent) {
      const auto record = readLocalProcess(localProcessDir(config_.project.root), deploy->name);
      state.running = record && isRunning(*record);
      state.resource = record ? fmt::format("local process (pid {})", record->pid) : "local process";
      state.state = state.running ? "running" : record ? "stopped" : "not deployed";
    } else {
      state.resource = "local command";
      state.state = "runs to its end";
    }
    states.push_back(state);
  }
  return states;
}

std::vector<std::string> LocalExecProvider::interactiveExec(const config::Action& deploy,
                                                            const std::vector<std::string>& command, bool tty) const {
  if (!isExec(deploy)) return inner_->interactiveExec(deploy, command, tty);
  exec(deploy, command);  // throws: an exec Deploy has no container to run it in
  return {};
}

void LocalExecProvider::followLogs(const config::Action& deploy, int tail, const OutputFunction& onOutput) const {
  if (!isExec(deploy)) return inner_->followLogs(deploy, tail, onOutput);
  throw UsageError(fmt::format("Deploy {} runs on this machine: `logs -f` follows containers only", deploy.name),
                   fmt::format("`gardensync logs {}` prints its log so far", deploy.name));
}

std::vector<std::string> LocalExecProvider::cleanup(const std::vector<std::string>& deploys) const {
  std::vector<std::string> removed = inner_->cleanup(deploys);
  auto selected = [&](const std::string& name) {
    return deploys.empty() || std::find(deploys.begin(), deploys.end(), name) != deploys.end();
  };
  const fs::path dir = localProcessDir(config_.project.root);
  // Recorded processes, also of Deploys since removed from the config.
  for (const auto& record : readLocalProcesses(dir))
    if (selected(record.deploy))
      if (auto stopped = stopLocalProcess(dir, record.deploy))
        removed.push_back(fmt::format("local process {} (pid {})", record.deploy, stopped->pid));
  for (const config::Action* deploy : config_.deploys()) {
    if (!isExec(*deploy) || !deploy->runs() || !deploy->cleanupCommand || !selected(deploy->name)) continue;
    const auto& argv = deploy->cleanupCommand->argv;
    const auto options = optionsFor(*deploy, execWorkingDirectory(config_, *deploy), deploy->timeoutSeconds);
    util::requireSuccess(argv, options, runner_.run(argv, options),
                         fmt::format("the cleanupCommand of Deploy {}", deploy->name));
    removed.push_back(fmt::format("Deploy {} (cleanupCommand {})", deploy->name, util::formatCommand(argv)));
  }
  return removed;
}

}  // namespace gardensync::providers
