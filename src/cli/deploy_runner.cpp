#include "gardensync/cli/deploy_runner.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "gardensync/cli/engine.h"
#include "gardensync/cli/sync_control.h"
#include "gardensync/config/action_graph.h"
#include "gardensync/config/template.h"
#include "gardensync/providers/local_docker.h"
#include "gardensync/ui/output.h"
#include "gardensync/util/error.h"

namespace gardensync::cli {

namespace {

struct DeployedContainer {
  std::string deploy;
  std::string container;
  std::string image;
  std::string outcome;
};

void requireLocalDocker(const config::ProjectConfig& config) {
  if (config.provider.name == "local-docker") return;
  throw Error(fmt::format("deploying with the {} provider is not available in this version of gardensync",
                          config.provider.name),
              "use the local-docker provider (the default when no provider is configured), or --dry-run to print "
              "the plan");
}

// Builds what the Deploys need and runs their containers, in dependency order.
std::vector<DeployedContainer> buildAndDeploy(const config::ProjectConfig& config,
                                              const std::vector<const config::Action*>& deploys,
                                              const std::vector<const config::Action*>& syncDeploys,
                                              const providers::LocalDocker& local) {
  std::map<std::string, std::string> outputs;
  std::vector<DeployedContainer> deployed;
  for (const config::Action* action : config::dependencyOrder(deploys, config.actions)) {
    if (action->kind == config::ActionKind::Build) {
      spdlog::info("build {}: checking", action->name);
      auto result = local.build(*action, [](std::string_view chunk) { spdlog::debug("{}", chunk); });
      outputs[action->name + ".deploymentImageId"] = result.imageId;
      outputs[action->name + ".version"] = result.version;
      spdlog::info("build {}: {} ({})", action->name, result.imageId, result.built ? "built" : "up to date");
      continue;
    }
    if (action->type != "container")
      throw Error(fmt::format("Deploy {} has type {}, which the local-docker provider cannot run", action->name, action->type),
                  "local-docker runs Deploys of type container");
    const std::string image = config::resolveBuildOutputs(action->image, outputs);
    const bool withSync = std::find(syncDeploys.begin(), syncDeploys.end(), action) != syncDeploys.end();
    auto result = local.deploy(*action, image, withSync);
    spdlog::info("deploy {}: container {} {}", action->name, result.container, providers::toString(result.outcome));
    deployed.push_back({action->name, result.container, image, providers::toString(result.outcome)});
  }
  return deployed;
}

}  // namespace

void runDeployment(Context& context, const std::vector<const config::Action*>& deploys,
                   const std::vector<sync::PlannedSession>& sessions, bool detach) {
  const config::ProjectConfig& config = context.project();
  requireLocalDocker(config);
  providers::DockerCli docker;
  docker.checkAvailable();
  providers::LocalDocker local(config, docker);

  std::vector<const config::Action*> syncDeploys;
  std::vector<std::string> syncDeployNames;
  for (const auto& session : sessions) {
    if (std::find(syncDeployNames.begin(), syncDeployNames.end(), session.deploy) != syncDeployNames.end()) continue;
    syncDeployNames.push_back(session.deploy);
    syncDeploys.push_back(config.find(config::ActionKind::Deploy, session.deploy));
  }
  // Check local folders before anything changes, so a refusal leaves everything as it was.
  std::optional<Engine> engine;
  std::vector<mutagen::SessionStatus> running;
  if (!sessions.empty()) {
    engine = openEngine(context, true);
    mutagen::SessionClient client(*engine->mutagen);
    running = projectSessions(client, config.project.name, syncDeployNames);
    checkLocalSources(context, sessions, running);
  }

  const auto deployed = buildAndDeploy(config, deploys, syncDeploys, local);

  std::vector<ui::SessionView> views;
  if (!sessions.empty()) {
    mutagen::SessionClient client(*engine->mutagen);
    for (const auto& name : syncDeployNames) local.checkAgentHost(sync::dockerContainerName(config.project.name, name));
    for (const auto& session : sessions)
      if (session.containerIsAlpha)
        local.ensureDirectory(sync::dockerContainerName(config.project.name, session.deploy), session.containerPath);
    // A new container starts from its image: Mutagen's history of the old one would read as
    // deletions and propagate them to the local side, so its sessions start afresh.
    std::vector<std::string> stale;
    std::erase_if(running, [&](const mutagen::SessionStatus& s) {
      auto deploy = s.labels.find(sync::kDeployLabel);
      const bool fresh = std::any_of(deployed.begin(), deployed.end(), [&](const DeployedContainer& d) {
        return deploy != s.labels.end() && d.deploy == deploy->second && (d.outcome == "replaced" || d.outcome == "created");
      });
      if (fresh) stale.push_back(s.identifier);
      return fresh;
    });
    client.terminate(stale);
    auto summary = applySessions(client, config.project.name, syncDeployNames, sessions, running);
    spdlog::info("syncs: {} started, {} unchanged, {} stopped", summary.created, summary.unchanged, summary.terminated);
    std::vector<std::string> names;
    for (const auto& s : sessions) names.push_back(s.name);
    views = waitForInitialSync(client, config.project.name, names);
  }

  if (context.json()) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& d : deployed)
      list.push_back({{"deploy", d.deploy}, {"container", d.container}, {"image", d.image}, {"outcome", d.outcome}});
    nlohmann::json sessionList = nlohmann::json::array();
    for (const auto& v : views) sessionList.push_back(ui::toJson(v));
    ui::printJson({{"deploys", list}, {"sessions", sessionList}});
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const auto& d : deployed) rows.push_back({d.deploy, d.container, d.image, d.outcome});
    std::string table = ui::formatTable({"DEPLOY", "CONTAINER", "IMAGE", "RESULT"}, rows);
    if (!views.empty()) table += "\n" + ui::statusTable(views);
    table.pop_back();
    ui::printLine(table);
  }
  if (sessions.empty() || detach || context.json() || !ui::stdoutIsTty() || !ui::stderrIsTty()) {
    if (!sessions.empty()) spdlog::info("syncs keep running in the background; `gardensync sync stop` stops them");
    return;
  }
  mutagen::SessionClient client(*engine->mutagen);
  followSessions(client, config.project.name);
}

}  // namespace gardensync::cli
