#include "gardensync/cli/deploy_runner.h"

#include <algorithm>
#include <functional>
#include <future>
#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "gardensync/cli/after_sync.h"
#include "gardensync/cli/engine.h"
#include "gardensync/cli/initial_copies.h"
#include "gardensync/cli/services.h"
#include "gardensync/cli/project_lock.h"
#include "gardensync/cli/sync_control.h"
#include "gardensync/cli/sync_follow.h"
#include "gardensync/cli/watcher_control.h"
#include "gardensync/config/action_graph.h"
#include "gardensync/config/template.h"
#include "gardensync/providers/build_output.h"
#include "gardensync/providers/provider.h"
#include "gardensync/ui/terminal.h"
#include "gardensync/ui/output.h"
#include "gardensync/util/error.h"

namespace gardensync::cli {

namespace {

using providers::DeployOutcome;

// A copy of the Deploy with `${actions.build.*.outputs.*}` replaced by the builds' results.
config::Action withBuildOutputs(const config::Action& deploy, const std::map<std::string, std::string>& outputs) {
  config::Action resolved = deploy;
  auto resolve = [&](std::string& text) {
    text = config::resolveBuildOutputs(text, outputs);
    if (text.find("<pending:") != std::string::npos)
      throw Error(fmt::format("{} {}: a build output is not available: {}", config::toString(deploy.kind), deploy.name,
                              text),
                  "list the Build under the action's dependencies; a Build gardensync does not build has no outputs");
  };
  auto resolveList = [&](std::optional<std::vector<std::string>>& list) {
    if (list)
      for (auto& item : *list) resolve(item);
  };
  std::function<void(nlohmann::json&)> resolveJson = [&](nlohmann::json& value) {
    if (value.is_string()) resolve(value.get_ref<std::string&>());
    else if (value.is_structured())
      for (auto& item : value) resolveJson(item);
  };
  resolve(resolved.image);
  resolveList(resolved.command);
  resolveList(resolved.args);
  for (auto& [name, value] : resolved.env) resolve(value);
  if (resolved.sync) {
    resolveList(resolved.sync->command);
    resolveList(resolved.sync->args);
  }
  for (auto* command : {&resolved.execCommand, &resolved.statusCommand, &resolved.cleanupCommand})
    if (*command)
      for (auto& item : (*command)->argv) resolve(item);
  for (auto& manifest : resolved.manifests) resolveJson(manifest.body);
  if (resolved.helm) resolveJson(resolved.helm->values);
  return resolved;
}

// Runs the Builds the Deploys need, in dependency order, and returns the Deploys with their
// build outputs filled in. Actions gardensync does not run are reported and left out.
std::vector<config::Action> buildAll(const config::ProjectConfig& config, const std::vector<const config::Action*>& deploys,
                                     const providers::Provider& provider, std::vector<const config::Action*>& skipped) {
  const auto order = config::dependencyOrder(deploys, config.actions);
  for (const config::Action* action : order)
    if (action->kind == config::ActionKind::Deploy && action->runs()) provider.checkDeploySupported(*action);
  std::map<std::string, std::string> outputs;
  std::vector<config::Action> resolved;
  for (const config::Action* action : order) {
    if (!action->runs()) {
      spdlog::info("{} {}: skipped ({})", config::lowercaseKind(action->kind), action->name, action->skipReason);
      skipped.push_back(action);
      continue;
    }
    if (action->kind == config::ActionKind::Deploy) {
      resolved.push_back(withBuildOutputs(*action, outputs));
      continue;
    }
    spdlog::info("build {}: checking", action->name);
    const config::Action build = withBuildOutputs(*action, outputs);
    auto result = provider.build(build, [&action](std::string_view line) {
      // The steps show a long build's progress; what they print is for --log-level debug.
      if (providers::isBuildStepLine(line)) spdlog::info("build {}: {}", action->name, line);
      else if (!line.empty()) spdlog::debug("{}", line);
    });
    outputs[action->name + ".deploymentImageId"] = result.imageId;
    outputs[action->name + ".version"] = result.version;
    spdlog::info("build {}: {} ({})", action->name, result.imageId, result.built ? "built" : "up to date");
  }
  return resolved;
}

bool freshContainer(DeployOutcome outcome) {
  return outcome == DeployOutcome::Created || outcome == DeployOutcome::Replaced;
}

std::string joinPorts(const std::vector<std::string>& ports) {
  std::string text;
  for (const auto& port : ports) text += (text.empty() ? "" : ", ") + port;
  return text.empty() ? "-" : text;
}

void printResult(Context& context, const std::vector<providers::DeployPlan>& plans,
                 const std::vector<providers::DeployState>& states, const std::vector<ui::SessionView>& views,
                 const std::vector<const config::Action*>& skipped) {
  auto portsOf = [&states](const std::string& deploy) {
    for (const auto& state : states)
      if (state.deploy == deploy) return state.ports;
    return std::vector<std::string>{};
  };
  if (context.json()) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& p : plans)
      list.push_back({{"deploy", p.deploy->name},
                      {"container", p.container.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.container)},
                      {"resource", p.resource},
                      {"image", p.image.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.image)},
                      {"outcome", providers::toString(p.outcome)},
                      {"ports", portsOf(p.deploy->name)}});
    nlohmann::json sessionList = nlohmann::json::array();
    for (const auto& v : views) sessionList.push_back(ui::toJson(v));
    ui::printJson({{"deploys", list}, {"sessions", sessionList}, {"skipped", skippedJson(skipped)}});
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& p : plans)
    rows.push_back({p.deploy->name, p.resource, p.image.empty() ? "-" : p.image, providers::toString(p.outcome),
                    joinPorts(portsOf(p.deploy->name))});
  for (const config::Action* action : skipped)
    if (action->kind == config::ActionKind::Deploy) rows.push_back({action->name, "-", "-", "skipped", "-"});
  const bool containers = std::all_of(plans.begin(), plans.end(), [](const auto& p) { return !p.container.empty(); });
  std::string table =
      ui::formatTable({"DEPLOY", containers ? "CONTAINER" : "RUNS AS", "IMAGE", "RESULT", "PORTS"}, rows);
  if (!views.empty()) table += "\n" + ui::statusTable(views);
  table.pop_back();
  ui::printLine(table);
}

}  // namespace

nlohmann::json skippedJson(const std::vector<const config::Action*>& skipped) {
  nlohmann::json list = nlohmann::json::array();
  for (const config::Action* action : skipped)
    list.push_back({{"action", action->key()},
                    {"kind", config::toString(action->kind)},
                    {"name", action->name},
                    {"type", action->type},
                    {"reason", action->skipReason}});
  return list;
}

namespace {

// What one deploy did, for its result and for following its syncs.
struct Deployment {
  // The Deploys with their build outputs; `plans` point into it, so it moves with them (a moved
  // vector keeps its elements where they are).
  std::vector<config::Action> resolved;
  std::vector<providers::DeployPlan> plans;
  std::vector<ui::SessionView> views;
  std::vector<const config::Action*> skipped;
  std::optional<Engine> engine;
};

// Builds, deploys and starts the syncs of `deploys`: everything `deploy` does before it prints its
// result. Also what a rebuildOn change runs for one Deploy (after-sync actions).
Deployment deployAndSync(Context& context, const providers::Provider& provider,
                         const std::vector<const config::Action*>& deploys,
                         const std::vector<sync::PlannedSession>& sessions) {
  const config::ProjectConfig& config = context.project();
  Deployment done;
  std::optional<util::FileLock> writer(lockProject(context));

  std::set<std::string> syncDeploys;
  for (const auto& session : sessions) syncDeploys.insert(session.deploy);

  // Decide everything before changing anything.
  done.resolved = buildAll(config, deploys, provider, done.skipped);
  std::vector<providers::DeployPlan>& plans = done.plans;
  for (const auto& deploy : done.resolved) plans.push_back(provider.planDeploy(deploy, syncDeploys.count(deploy.name) > 0));

  // A new container starts from its image: Mutagen's history of the old one would read as
  // deletions and propagate them to the local side. So the sessions of a container about to be
  // replaced stop before it does, and start afresh after (asking again where that may overwrite
  // local files).
  std::set<std::string> freshDeploys;
  for (const auto& plan : plans)
    if (freshContainer(plan.outcome) && plan.hostsSyncs) freshDeploys.insert(plan.deploy->name);
  std::optional<Engine>& engine = done.engine;
  std::vector<mutagen::SessionStatus> running, stale;
  if (!sessions.empty() || !freshDeploys.empty()) {
    engine = context.services().engine(context, true, false);  // refreshWatcher below
    mutagen::SessionClient client(*engine->mutagen);
    std::vector<std::string> touched(syncDeploys.begin(), syncDeploys.end());
    touched.insert(touched.end(), freshDeploys.begin(), freshDeploys.end());
    for (auto& session : projectSessions(client, config.project.name, touched)) {
      const bool fresh = freshDeploys.count(session.labels[sync::kDeployLabel]) > 0;
      (fresh ? stale : running).push_back(std::move(session));
    }
  }
  checkLocalSources(context, sessions, running);

  if (!stale.empty()) {
    std::vector<std::string> ids;
    for (const auto& s : stale) ids.push_back(s.identifier);
    spdlog::info("stopping {} sync session(s) of containers being replaced", ids.size());
    mutagen::SessionClient(*engine->mutagen).terminate(ids);
  }
  for (const auto& name : freshDeploys)
    if (!syncDeploys.count(name) && std::any_of(stale.begin(), stale.end(), [&](auto& s) { return s.labels[sync::kDeployLabel] == name; }))
      spdlog::warn("the syncs of {} were stopped because its container is replaced; `gardensync sync start {}` "
                   "starts them again",
                   name, name);
  {
    ui::StatusLine status;
    for (const auto& plan : plans) {
      provider.applyDeploy(plan, [&status](const std::string& line) { status.show(line); });
      status.clear();
    }
  }
  // Only a container that keeps running counts as deployed: one whose command ends at once is
  // reported with its exit code and log. With syncs, that check takes its time while the sync
  // targets are prepared, the initial files copied and the sessions created (a container that
  // stops meanwhile fails those with the same report, and its new sessions are stopped again).
  auto reportDeployed = [&plans] {
    for (const auto& plan : plans)
      spdlog::info("deploy {}: {} {}", plan.deploy->name, plan.resource, providers::toString(plan.outcome));
  };
  std::future<void> started;
  if (sessions.empty()) {
    ui::StatusLine status;
    provider.checkStarted(plans, [&status](const std::string& line) { status.show(line); });
    status.clear();
    reportDeployed();
  } else {
    started = std::async(std::launch::async,
                         [&provider, &plans] { provider.checkStarted(plans, [](const std::string&) {}); });
  }
  auto keptRunning = [&] {
    if (!started.valid()) return;
    started.get();
    reportDeployed();
  };

  if (!sessions.empty()) {
    mutagen::SessionClient client(*engine->mutagen);
    {
      ui::StatusLine status;
      provider.prepareSyncTargets(sessions, [&status](const std::string& line) { status.show(line); });
    }
    const std::vector<std::string> names(syncDeploys.begin(), syncDeploys.end());
    std::vector<providers::InitialCopy> copies;
    ApplySummary summary;
    try {
      summary = applySessions(client, config.project.name, names, sessions, running,
                              providerCreateHooks(provider, engine->transport, copies));
    } catch (...) {
      keptRunning();  // a container that stopped explains a failed create better than Mutagen
      throw;
    }
    try {
      keptRunning();
    } catch (...) {  // no sessions are left behind for a container that did not keep running
      client.terminate(summary.createdIdentifiers);
      throw;
    }
    spdlog::info("syncs: {} started, {} unchanged, {} stopped", summary.created, summary.unchanged,
                 summary.terminated + stale.size());
    refreshWatcher(*engine, config.project.name, summary.created + summary.terminated + stale.size() > 0);
    done.views = waitForInitialSync(client, config.project.name, summary.identifiers);
    settleInitialCopies(client, config.project.name, copies);
  } else if (engine) {
    refreshWatcher(*engine, config.project.name, !stale.empty());
  }
  return done;  // releases the lock: following the syncs is not a change, `sync stop` from another terminal must not wait
}

// After-sync actions while following (cli/after_sync.h). A rebuildOn change redeploys one Deploy
// exactly as `deploy --sync=<name>` does: the same build, the same stop-before-replace of its
// sessions, the same start and initial sync after.
AfterSyncRunner makeAfterSyncRunner(Context& context, const providers::Provider& provider,
                                    const std::vector<sync::PlannedSession>& sessions,
                                    AfterSyncRunner::EmitFunction emit) {
  const config::ProjectConfig& config = context.project();
  std::vector<const config::Action*> synced;
  for (const auto& session : sessions)
    if (const config::Action* deploy = config.find(config::ActionKind::Deploy, session.deploy))
      if (std::find(synced.begin(), synced.end(), deploy) == synced.end()) synced.push_back(deploy);
  auto redeploy = [&context, &provider, sessions](const config::Action& deploy) {
    redeployWithSync(context, provider, deploy, sessions);
  };
  return AfterSyncRunner(config, provider, sessions, synced, redeploy, std::move(emit));
}

}  // namespace

void redeployWithSync(Context& context, const providers::Provider& provider, const config::Action& deploy,
                      const std::vector<sync::PlannedSession>& sessions) {
  std::vector<sync::PlannedSession> own;
  for (const auto& session : sessions)
    if (session.deploy == deploy.name) own.push_back(session);
  deployAndSync(context, provider, {&deploy}, own);
}

void runDeployment(Context& context, const std::vector<const config::Action*>& deploys,
                   const std::vector<sync::PlannedSession>& sessions, bool detach) {
  const config::ProjectConfig& config = context.project();
  const auto provider = context.services().provider(config);
  provider->checkAvailable();
  Deployment done = deployAndSync(context, *provider, deploys, sessions);

  std::vector<const config::Action*> deployed;
  for (const auto& plan : done.plans) deployed.push_back(plan.deploy);
  printResult(context, done.plans, provider->describe(deployed), done.views, done.skipped);
  // Events are followed in a terminal, or as a JSON Lines stream that a script reads.
  const bool follow = context.jsonLines() || (!context.json() && ui::stdoutIsTty() && ui::stderrIsTty());
  if (sessions.empty() || detach || !follow) {
    if (!sessions.empty()) spdlog::info("syncs keep running in the background; `gardensync sync stop` stops them");
    return;
  }
  // After-sync actions run while the syncs are followed, and end with the following.
  AfterSyncRunner afterSync = makeAfterSyncRunner(context, *provider, sessions, {});
  FollowOptions options;
  options.jsonLines = context.jsonLines();
  options.onEvent = [&](const sync::SyncEvent& event, const std::function<void(const sync::SyncEvent&)>& emit) {
    // For people the runner logs its actions itself; a JSON Lines stream gets them as events.
    if (context.jsonLines()) afterSync.setEmit(emit);
    afterSync.onEvent(event);
  };
  options.onTick = [&] { afterSync.tick(); };
  followSessions(*done.engine->mutagen, config.project.name, options);
}

}  // namespace gardensync::cli
