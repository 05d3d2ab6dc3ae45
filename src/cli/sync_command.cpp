#include <algorithm>
#include <future>
#include <map>
#include <memory>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "gardensync/cli/commands.h"
#include "gardensync/cli/engine.h"
#include "gardensync/cli/initial_copies.h"
#include "gardensync/cli/project_lock.h"
#include "gardensync/cli/services.h"
#include "gardensync/cli/sync_control.h"
#include "gardensync/cli/sync_follow.h"
#include "gardensync/cli/watcher_control.h"
#include "gardensync/mutagen/data_dir.h"
#include "gardensync/providers/local_docker.h"
#include "gardensync/providers/local_process.h"
#include "gardensync/providers/provider.h"
#include "gardensync/ui/terminal.h"
#include "gardensync/util/error.h"
#include "gardensync/util/process_info.h"

namespace gardensync::cli {

namespace {

// Checks the names against the project's Deploys (when its config loads); empty means all.
void checkDeployNames(Context& context, const std::vector<std::string>& names) {
  if (!context.configLoaded()) return;
  for (const auto& name : names)
    if (!context.project().find(config::ActionKind::Deploy, name))
      throw UsageError(fmt::format("no Deploy named \"{}\"", name), "`gardensync validate --output json` lists them");
}

nlohmann::json watcherJson(const WatcherState& watcher) {
  return {{"running", watcher.pid.has_value()},
          {"pid", watcher.pid ? nlohmann::json(*watcher.pid) : nlohmann::json(nullptr)},
          {"sessions", watcher.sessions}};
}

std::string watcherLine(const WatcherState& watcher) {
  std::string names;
  for (const auto& name : watcher.sessions) names += (names.empty() ? "" : ", ") + name;
  if (watcher.sessions.empty())
    return "File watcher: not used; Mutagen watches these syncs' files itself (changes can take up to 10 s).";
  if (watcher.pid)
    return fmt::format("File watcher: running (pid {}) for {}; changes are synced as soon as they settle.",
                       *watcher.pid, names);
  return fmt::format("File watcher: NOT RUNNING; local changes of {} are not synced, and changes in their "
                     "containers wait for Mutagen's rescan, until it runs again. Any gardensync command starts it "
                     "(e.g. `gardensync sync status`).",
                     names);
}

void printSessions(Context& context, const std::vector<mutagen::SessionStatus>& sessions,
                   const WatcherState& watcher) {
  std::vector<ui::SessionView> views;
  for (const auto& s : sessions) views.push_back(ui::viewOf(s));
  if (context.json()) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& v : views) list.push_back(ui::toJson(v));
    ui::printJson({{"daemonRunning", true}, {"sessions", list}, {"watcher", watcherJson(watcher)}});
    return;
  }
  if (views.empty()) {
    ui::printLine("No syncs are running for this project (start them with `gardensync deploy --sync=*`).");
    return;
  }
  std::string table = ui::statusTable(views);
  table.pop_back();
  ui::printLine(table);
  for (const auto& v : views) {
    for (const auto& line : ui::describeConflicts(v)) ui::printLine(line);
    for (const auto& line : ui::describeProblems(v)) ui::printLine(line);
  }
  for (const auto& s : sessions)
    if (mutagen::isHalted(s)) ui::printLine(fmt::format("{}: halted — {}", s.name, mutagen::haltAdvice(s)));
  for (const auto& s : sessions)
    if (s.paused) ui::printLine(fmt::format("{}: paused — {}", s.name, pausedAdvice(s)));
  ui::printLine(watcherLine(watcher));
}

// Sessions that do not sync as they should: halted, paused, with problems or an error, or with
// a container side that cannot be reached (`unreachable`: by Deploy).
std::vector<std::string> unhealthySessions(const std::vector<mutagen::SessionStatus>& sessions,
                                           const std::map<std::string, std::string>& unreachable) {
  std::vector<std::string> unhealthy;
  for (const auto& s : sessions) {
    const auto view = ui::viewOf(s);
    if (mutagen::isHalted(s)) unhealthy.push_back(s.name + " (halted)");
    else if (s.paused) unhealthy.push_back(s.name + " (paused)");
    else if (!view.problems.empty()) unhealthy.push_back(s.name + " (problems)");
    else if (!s.lastError.empty()) unhealthy.push_back(s.name + " (error)");
    else if (unreachable.count(view.deploy)) unhealthy.push_back(s.name + " (unreachable)");
  }
  return unhealthy;
}

// The Deploys (of `names`, or all) that the provider knows their syncs cannot reach, with why, or
// why it could not tell. Mutagen shows a session into a paused container as watching: only the
// provider can tell.
struct Reachability {
  std::map<std::string, std::string> unreachable;
  std::string checkFailed;
};

// Starts the provider's look in a thread of its own, so that it costs no time beside the Mutagen
// call `sync status` makes anyway.
std::future<Reachability> checkReachability(Context& context, const std::vector<std::string>& names) {
  if (!context.configLoaded()) return std::async(std::launch::deferred, [] { return Reachability{}; });
  const auto& config = context.project();
  std::vector<const config::Action*> deploys;
  for (const auto* deploy : config.deploys())
    if (names.empty() || std::find(names.begin(), names.end(), deploy->name) != names.end()) deploys.push_back(deploy);
  std::shared_ptr<const providers::Provider> provider = context.services().provider(config);
  return std::async(std::launch::async, [provider, deploys] {
    Reachability result;
    try {
      result.unreachable = provider->unreachableSyncTargets(deploys);
    } catch (const Error& e) {
      result.checkFailed = e.what();
    }
    return result;
  });
}

// The unreachable Deploys among those with `sessions`; a failed look is worth a warning only then.
std::map<std::string, std::string> unreachableDeploys(std::future<Reachability>& pending,
                                                      const std::vector<mutagen::SessionStatus>& sessions) {
  Reachability reachability = pending.get();
  if (sessions.empty()) return {};
  if (!reachability.checkFailed.empty())
    spdlog::warn("cannot check whether the containers of these syncs can be reached: {}", reachability.checkFailed);
  return reachability.unreachable;
}

void runStatus(Context& context, const std::vector<std::string>& names) {
  const auto project = context.identity();
  checkDeployNames(context, names);
  // Reading the state never starts the daemon: one started here would stay behind, and would
  // resume syncs the user may have meant to leave stopped.
  Engine engine = context.services().engine(context, false, true);
  // A connect() on its socket rather than a `mutagen sync list` of its own: the one below is
  // enough to find a daemon that listens but does not answer.
  if (!mutagen::daemonSocketAccepts(engine.dataDir.path)) {
    const size_t stored = mutagen::storedSessionCount(engine.dataDir.path);
    if (context.json())
      ui::printJson({{"daemonRunning", false},
                     {"sessions", nlohmann::json::array()},
                     {"watcher", watcherJson(watcherState(engine, {}))}});
    else ui::printLine("No syncs are running for this project: its Mutagen daemon is not running.");
    if (stored > 0) {
      spdlog::warn("{} sync session(s) of this project are stored but not running; `gardensync sync start` runs "
                   "them again",
                   stored);
      context.setExitCode(1);
    }
    return;
  }
  auto reachability = checkReachability(context, names);
  mutagen::SessionClient client(*engine.mutagen);
  const auto all = projectSessions(client, project.name, {});
  // The daemon runs: a watcher its sessions rely on is started again if it died, as by every
  // other command.
  reviveWatcher(engine, project.name, all);
  const auto sessions = names.empty() ? all : selectDeploySessions(all, names);
  const auto unreachable = unreachableDeploys(reachability, sessions);
  printSessions(context, sessions, watcherState(engine, sessions));
  if (!context.json())
    for (const auto& session : sessions)
      if (auto it = unreachable.find(ui::viewOf(session).deploy); it != unreachable.end())
        ui::printLine(fmt::format("{}: unreachable — {}", session.name, it->second));
  // For CI scripts: a sync that does not sync is a failure.
  if (const auto unhealthy = unhealthySessions(sessions, unreachable); !unhealthy.empty()) {
    std::string list;
    for (const auto& item : unhealthy) list += (list.empty() ? "" : ", ") + item;
    spdlog::warn("not syncing as they should: {}", list);
    context.setExitCode(1);
  }
}

// `sync status --watch`: the status, then its events until Ctrl-C or until no sync is left.
// Like status, it never starts the daemon.
void runStatusWatch(Context& context, const std::vector<std::string>& names) {
  const auto project = context.identity();
  checkDeployNames(context, names);
  Engine engine = context.services().engine(context, false, true);
  if (!engine.mutagen->daemonResponds())
    throw Error("no syncs are running for this project: its Mutagen daemon is not running",
                "start them with `gardensync deploy --sync=*` or `gardensync sync start`");
  reviveWatcher(engine, project.name);
  // With jsonl the events alone are the output: the first `started` events are the status.
  if (!context.jsonLines()) {
    mutagen::SessionClient client(*engine.mutagen);
    const auto sessions = projectSessions(client, project.name, names);
    printSessions(context, sessions, watcherState(engine, sessions));
  }
  FollowOptions options;
  options.deploys = names;
  options.jsonLines = context.jsonLines();
  followSessions(*engine.mutagen, project.name, options);
}

size_t stopSessions(Context& context, Engine& engine, const std::vector<std::string>& names) {
  mutagen::SessionClient client(*engine.mutagen);
  auto sessions = projectSessions(client, context.identity().name, names);
  std::vector<std::string> ids;
  for (const auto& s : sessions) ids.push_back(s.identifier);
  client.terminate(ids);
  return ids.size();
}

void runStop(Context& context, const std::vector<std::string>& names) {
  context.identity();
  checkDeployNames(context, names);
  const util::FileLock writer = lockProject(context);
  Engine engine = context.services().engine(context, true, false);
  const size_t stopped = stopSessions(context, engine, names);
  refreshWatcher(engine, context.identity().name, true);
  if (context.json()) ui::printJson({{"stopped", stopped}});
  else ui::printLine(fmt::format("Stopped {} sync session(s); containers and files are left as they are.", stopped));
}

// Starts the syncs of deployed, running containers (`restart` stops them first).
void runStart(Context& context, const std::vector<std::string>& names, bool restart) {
  const auto& config = context.project();
  const std::string verb = restart ? "restart" : "start";
  auto deploys = sync::selectSyncDeploys(config, names);
  if (deploys.empty())
    throw UsageError(fmt::format("no Deploy in this project has sync paths (spec.sync.paths), so there is nothing to {}",
                                 verb),
                     "add spec.sync.paths to a Deploy, then `gardensync deploy --sync=*`");
  const auto provider = context.services().provider(config);
  provider->checkAvailable();
  const util::FileLock writer = lockProject(context);
  if (names.empty()) {
    // Without names: the Deploys that run now; the others are named, with why, and skipped.
    // One question for all of them where the provider can ask it so (one docker inspect).
    const auto errors = provider->checkRunning(deploys);
    std::vector<const config::Action*> running;
    for (size_t i = 0; i < deploys.size(); ++i) {
      try {
        if (errors[i]) std::rethrow_exception(errors[i]);
        running.push_back(deploys[i]);
      } catch (const ToolError&) {
        throw;
      } catch (const Error& e) {
        const std::string why = e.what();
        spdlog::warn("skipping {}: {}", deploys[i]->name, why.substr(0, why.find('\n')));
      }
    }
    if (running.empty())
      throw Error(fmt::format("none of the Deploys with sync paths is running, so there are no syncs to {}", verb),
                  "deploy them first: gardensync deploy --sync=*");
    deploys = running;
  }
  if (!names.empty())
    for (const auto& problem : provider->checkRunning(deploys))
      if (problem) std::rethrow_exception(problem);
  std::vector<std::string> deployNames;
  for (const auto* deploy : deploys) deployNames.push_back(deploy->name);
  const auto planned = sync::planSessions(config, deploys, [&](const auto& deploy, const auto& path, const auto& name) {
    return provider->syncEndpoint(deploy, path, name);
  }, {watcherWanted(), util::fileCreationMask()});
  {
    ui::StatusLine status;
    provider->prepareSyncTargets(planned, [&status](const std::string& line) { status.show(line); });
  }
  Engine engine = context.services().engine(context, true, false);  // refreshWatcher below
  mutagen::SessionClient client(*engine.mutagen);
  // Ask before stopping anything: a refusal must leave the running syncs as they are.
  auto running = projectSessions(client, config.project.name, deployNames);
  checkLocalSources(context, planned, restart ? std::vector<mutagen::SessionStatus>{} : running);
  if (restart) {
    stopSessions(context, engine, deployNames);
    running.clear();
  }
  std::vector<providers::InitialCopy> copies;
  auto summary = applySessions(client, config.project.name, deployNames, planned, running,
                               providerCreateHooks(*provider, engine.transport, copies));
  refreshWatcher(engine, config.project.name, restart || summary.created + summary.terminated > 0);
  waitForInitialSync(client, config.project.name, summary.identifiers);
  settleInitialCopies(client, config.project.name, copies);
  spdlog::info("syncs: {} started, {} unchanged, {} stopped", summary.created, summary.unchanged, summary.terminated);
  const auto sessions = projectSessions(client, config.project.name, deployNames);
  printSessions(context, sessions, watcherState(engine, sessions));
}

void runCleanup(Context& context, const std::vector<std::string>& names) {
  const auto project = context.identity();
  checkDeployNames(context, names);
  const util::FileLock writer = lockProject(context);
  Engine engine = context.services().engine(context, true, false);
  const size_t stopped = stopSessions(context, engine, names);
  refreshWatcher(engine, project.name, true);
  std::vector<std::string> removed;
  try {
    if (context.configLoaded()) {
      const auto provider = context.services().provider(context.project());
      provider->checkAvailable();
      removed = provider->cleanup(names);
    } else {
      // Without a config there is no provider to ask; the Docker Engine's containers carry the
      // project's labels, so they can still go. A cluster's need the provider's settings.
      spdlog::warn("cleaning up local-docker containers only; fix the configuration to clean up a cluster's workloads");
      providers::DockerCli docker;
      docker.checkAvailable();
      removed = providers::removeProjectContainers(docker, project, names);
      // The background processes of exec Deploys are recorded in the project: they can go too.
      const auto dir = providers::localProcessDir(project.root);
      for (const auto& record : providers::readLocalProcesses(dir))
        if (names.empty() || std::find(names.begin(), names.end(), record.deploy) != names.end())
          if (auto stopped = providers::stopLocalProcess(dir, record.deploy))
            removed.push_back(fmt::format("local process {} (pid {})", record.deploy, stopped->pid));
    }
  } catch (const ToolError& e) {
    throw ToolError(fmt::format("cleanup deploy stopped half-way: {}\n  already done: stopped {} sync session(s)",
                                e.what(), stopped),
                    e.command(), e.stderrText(),
                    (e.hint().empty() ? std::string() : e.hint() + "; then ") + "run `gardensync cleanup deploy` again");
  } catch (const Error& e) {
    throw Error(fmt::format("cleanup deploy stopped half-way: {}\n  already done: stopped {} sync session(s)", e.what(),
                            stopped),
                (e.hint().empty() ? std::string() : e.hint() + "; then ") + "run `gardensync cleanup deploy` again");
  }
  for (const auto& item : removed) spdlog::info("removed {}", item);
  // With everything cleaned up, nothing is left for the project's daemon to do; it would otherwise
  // run until the machine restarts. Sessions made by hand (`util mutagen sync create`) keep it.
  const bool daemonStopped = names.empty() && mutagen::SessionClient(*engine.mutagen).list().empty();
  if (daemonStopped) engine.mutagen->stopDaemon();
  if (context.json())
    ui::printJson({{"stoppedSessions", stopped},
                   {"removedContainers", removed.size()},
                   {"removed", removed},
                   {"stoppedDaemon", daemonStopped}});
  else ui::printLine(fmt::format("Stopped {} sync session(s) and removed {} {}.{}", stopped, removed.size(),
                                 context.configLoaded() && context.project().provider.name != "local-docker"
                                     ? "object(s)"
                                     : "container(s)",
                                 daemonStopped ? " The project's Mutagen daemon is stopped too." : ""));
}

}  // namespace

void addSyncCommands(CLI::App& app, Context& context) {
  auto* sync = app.add_subcommand("sync", "Start, stop, restart and inspect this project's syncs");
  sync->require_subcommand(1);
  sync->footer("Examples:\n  gardensync sync status\n  gardensync sync status --output json\n"
               "  gardensync sync stop api\n  gardensync sync restart\n\n"
               "Syncs run in the project's Mutagen daemon and keep running after gardensync exits.");
  struct Spec {
    const char* name;
    const char* help;
  };
  const Spec specs[] = {
      {"status", "Show each sync's source, target, mode, state, conflicts and problems"},
      {"stop", "Stop the syncs of the named Deploys (all when none named); containers and files stay"},
      {"start", "Start the syncs of deployed, running Deploys (all with sync paths when none named)"},
      {"restart", "Stop and start the syncs of the named Deploys afresh"},
  };
  for (const auto& spec : specs) {
    auto names = std::make_shared<std::vector<std::string>>();
    auto watch = std::make_shared<bool>(false);
    auto* cmd = sync->add_subcommand(spec.name, spec.help);
    cmd->add_option("names", *names, "Deploy names (default: all)");
    const std::string name = spec.name;
    cmd->footer(fmt::format("Examples:\n  gardensync sync {}\n  gardensync sync {} api worker", name, name));
    if (name == "status") {
      cmd->add_flag("--watch,-w", *watch,
                    "After the status, follow the syncs: changed files with their direction, conflicts, problems, "
                    "state changes (with --output jsonl: one JSON object per event), until Ctrl-C or until the "
                    "syncs are stopped");
      cmd->footer("Examples:\n  gardensync sync status\n  gardensync sync status api worker\n"
                  "  gardensync sync status --watch\n  gardensync sync status --watch --output jsonl   "
                  "events for scripts (docs/status-json.md#events)");
    }
    cmd->callback([&context, names, name, watch] {
      if (name == "status" && *watch) runStatusWatch(context, *names);
      else if (name == "status") runStatus(context, *names);
      else if (name == "stop") runStop(context, *names);
      else runStart(context, *names, name == "restart");
    });
  }

  auto* cleanup = app.add_subcommand("cleanup", "Remove what gardensync deployed");
  cleanup->require_subcommand(1);
  auto names = std::make_shared<std::vector<std::string>>();
  auto* deploy = cleanup->add_subcommand(
      "deploy", "Stop the syncs and remove what the named Deploys deployed (all when none named): containers, or a cluster's objects");
  deploy->add_option("names", *names, "Deploy names (default: all)");
  deploy->footer("Examples:\n  gardensync cleanup deploy\n  gardensync cleanup deploy api\n\n"
                 "Local files are never touched; only containers and cluster objects labelled for this\n"
                 "project's checkout are removed.");
  deploy->callback([&context, names] { runCleanup(context, *names); });
}

}  // namespace gardensync::cli
