#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gardensync/cli/commands.h"
#include "gardensync/cli/services.h"
#include "gardensync/cli/deploy_runner.h"
#include "gardensync/cli/watcher_control.h"
#include "gardensync/config/action_graph.h"
#include "gardensync/config/template.h"
#include "gardensync/providers/provider.h"
#include "gardensync/sync/plan.h"
#include "gardensync/util/error.h"
#include "gardensync/util/process_info.h"
#include "gardensync/util/process.h"

namespace gardensync::cli {

namespace {

struct DeployFlags {
  std::vector<std::string> names;
  std::vector<std::string> sync;
  bool syncGiven = false;
  bool dryRun = false;
  bool detach = false;
};

std::string joinList(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
  return text.empty() ? "-" : text;
}

void printPlan(Context& context, const config::ProjectConfig& config,
               const std::vector<const config::Action*>& deploys,
               const std::vector<sync::PlannedSession>& sessions) {
  // What gardensync would leave out, in the order the deploy would reach it.
  std::vector<const config::Action*> skipped;
  for (const config::Action* action : config::dependencyOrder(deploys, config.actions))
    if (!action->runs()) skipped.push_back(action);
  if (context.json()) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& session : sessions) list.push_back(sync::toJson(session));
    ui::printJson({{"sessions", list},
                   {"skipped", skippedJson(skipped)},
                   {"afterSync", sync::afterSyncJson(config, sessions)},
                   {"rebuildOn", sync::rebuildOnJson(config, sessions)}});
    return;
  }
  ui::printLine(fmt::format("Dry run: nothing is built, deployed or synced. Provider {}, environment {}.",
                            config.provider.name, config.environment));
  for (const config::Action* action : skipped)
    ui::printLine(fmt::format("skip {} {}: {}", config::lowercaseKind(action->kind), action->name, action->skipReason));
  for (const config::Action* deploy : deploys) {
    if (!deploy->runs()) continue;
    if (deploy->type == "exec")
      ui::printLine(fmt::format("deploy {}: local command {}{}", deploy->name,
                                util::formatCommand(deploy->execCommand ? deploy->execCommand->argv
                                                                        : std::vector<std::string>{}),
                                deploy->persistent ? " (persistent)" : ""));
    else if (deploy->type == "container")
      ui::printLine(fmt::format("deploy {}: image {}", deploy->name, config::resolveBuildOutputs(deploy->image, {})));
    else if (deploy->type == "helm")
      ui::printLine(fmt::format("deploy {}: helm chart {} as release {}", deploy->name, deploy->helm->path.string(),
                                deploy->helm->releaseName));
    else
      ui::printLine(fmt::format("deploy {}: {} manifest(s)", deploy->name, deploy->manifests.size()));
  }
  if (sessions.empty()) {
    ui::printLine("No syncs selected (use --sync=* or --sync <names>).");
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& s : sessions) {
    std::string mode = s.gardenMode == s.mode ? s.mode : fmt::format("{} ({})", s.gardenMode, s.mode);
    std::vector<std::string> perms;
    if (s.defaultOwner) perms.push_back("owner " + *s.defaultOwner);
    if (s.defaultGroup) perms.push_back("group " + *s.defaultGroup);
    if (s.defaultFileMode) perms.push_back("file " + *s.defaultFileMode);
    if (s.defaultDirectoryMode) perms.push_back("dir " + *s.defaultDirectoryMode);
    rows.push_back({s.name, mode, s.alpha, s.beta, joinList(s.ignore), joinList(perms)});
  }
  ui::printLine("");
  std::string table = ui::formatTable({"SESSION", "MODE", "ALPHA", "BETA", "IGNORE", "CONTAINER SIDE"}, rows);
  table.pop_back();
  ui::printLine(table);
  const auto afterSync = sync::afterSyncJson(config, sessions);
  const auto rebuildOn = sync::rebuildOnJson(config, sessions);
  if (!afterSync.empty() || !rebuildOn.empty()) ui::printLine("");
  for (const auto& action : afterSync)
    ui::printLine(fmt::format("after sync {}: {}", action["session"].get<std::string>(),
                              action["restart"].get<bool>()
                                  ? std::string("restart the container")
                                  : "run " + util::formatCommand(action["run"].get<std::vector<std::string>>())));
  for (const auto& watch : rebuildOn)
    ui::printLine(fmt::format("rebuild {}: build {} and redeploy when {} change (in {})",
                              watch["deploy"].get<std::string>(), watch["build"].get<std::string>(),
                              joinList(watch["patterns"].get<std::vector<std::string>>()),
                              watch["folder"].get<std::string>()));
}

void runDeploy(Context& context, const DeployFlags& flags) {
  const config::ProjectConfig& config = context.project();
  // Deploys to act on: the named ones, or all.
  std::vector<const config::Action*> deploys;
  if (flags.names.empty()) {
    deploys = config.deploys();
  } else {
    for (const auto& name : flags.names) {
      const config::Action* deploy = config.find(config::ActionKind::Deploy, name);
      if (!deploy) throw UsageError(fmt::format("no Deploy named \"{}\"", name), "`gardensync validate --output json` lists them");
      deploys.push_back(deploy);
    }
  }
  std::vector<const config::Action*> syncDeploys;
  if (flags.syncGiven) {
    // `--sync` alone syncs the Deploys named on the command line (all when none are named).
    // Garden's forms: `--sync`, `--sync=*`, `--sync a,b` and `--sync a --sync b`.
    std::vector<std::string> names;
    for (const auto& value : flags.sync) {
      size_t start = 0;
      while (start <= value.size()) {
        const size_t comma = value.find(',', start);
        std::string name = value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!name.empty()) names.push_back(name);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    }
    if (names.empty()) names = flags.names;
    syncDeploys = sync::selectSyncDeploys(config, names);
    if (syncDeploys.empty()) {
      std::string deployNames;
      for (const config::Action* deploy : config.deploys()) deployNames += (deployNames.empty() ? "" : ", ") + deploy->name;
      throw UsageError(fmt::format("--sync{}: no Deploy in this project has sync paths (spec.sync.paths), so there is "
                                   "nothing to sync",
                                   flags.sync.empty() ? "" : "=" + flags.sync.front()),
                       deployNames.empty() ? "the project has no Deploy actions"
                                           : fmt::format("add spec.sync.paths to one of its Deploys ({}), or deploy "
                                                         "without --sync",
                                                         deployNames));
    }
    for (const config::Action* deploy : syncDeploys)
      if (std::find(deploys.begin(), deploys.end(), deploy) == deploys.end()) deploys.push_back(deploy);
  }
  const auto provider = context.services().provider(config);
  const std::vector<sync::PlannedSession> sessions =
      sync::planSessions(config, syncDeploys, [&](const auto& deploy, const auto& path, const auto& name) {
        return provider->syncEndpoint(deploy, path, name);
      }, {watcherWanted(), util::fileCreationMask()});
  if (flags.dryRun) {
    printPlan(context, config, deploys, sessions);
    return;
  }
  runDeployment(context, deploys, sessions, flags.detach);
}

}  // namespace

void addDeployCommand(CLI::App& app, Context& context) {
  auto flags = std::make_shared<DeployFlags>();
  auto* cmd = app.add_subcommand("deploy", "Build and deploy Deploy actions, optionally with sync");
  cmd->footer(
      "Examples:\n"
      "  gardensync deploy                         build and deploy every Deploy\n"
      "  gardensync deploy --sync=*                ... and sync every Deploy that has sync paths\n"
      "  gardensync deploy --sync api,worker       ... and sync only these\n"
      "  gardensync deploy api --sync              deploy api and sync it\n"
      "  gardensync deploy --sync=* --dry-run --output json   print the resolved sync sessions\n\n"
      "Syncs keep running after gardensync exits; stop them with `gardensync sync stop`.");
  cmd->add_option("names", flags->names, "Deploys to deploy (default: all)");
  auto* syncOption = cmd->add_option("--sync", flags->sync, "Deploys to sync: names separated by commas, or * for all")
                         ->expected(0, 1)
                         ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
                         ->type_name("NAMES|*");
  cmd->add_flag("--dry-run", flags->dryRun,
                "Print the plan (and the sync sessions) without touching Docker, the cluster or Mutagen");
  cmd->add_flag("--detach", flags->detach, "Exit once the initial sync is done instead of streaming sync events");
  cmd->callback([&context, flags, syncOption] {
    flags->syncGiven = syncOption->count() > 0;
    runDeploy(context, *flags);
  });
}

}  // namespace gardensync::cli
