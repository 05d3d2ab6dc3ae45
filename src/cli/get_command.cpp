#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gardensync/cli/commands.h"
#include "gardensync/cli/services.h"
#include "gardensync/cli/engine.h"
#include "gardensync/cli/sync_control.h"
#include "gardensync/mutagen/data_dir.h"
#include "gardensync/providers/provider.h"
#include "gardensync/ui/output.h"
#include "gardensync/ui/session_view.h"

namespace gardensync::cli {

namespace {

std::string joinOrDash(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
  return text.empty() ? "-" : text;
}

void printStatus(Context& context) {
  const auto& config = context.project();
  const auto provider = context.services().provider(config);
  provider->checkAvailable();
  const auto states = provider->describe(config.deploys());

  // The syncs as the daemon reports them; reading never starts a daemon.
  std::vector<ui::SessionView> views;
  Engine engine = context.services().engine(context, false, true);
  const bool daemonRunning = mutagen::daemonSocketAccepts(engine.dataDir.path);
  if (daemonRunning) {
    const mutagen::SessionClient client(*engine.mutagen);
    for (const auto& session : projectSessions(client, config.project.name, {})) views.push_back(ui::viewOf(session));
  }
  auto syncsOf = [&views](const std::string& deploy) {
    std::vector<std::string> syncs;
    for (const auto& view : views)
      if (view.deploy == deploy) syncs.push_back(view.name + " " + (view.paused ? "paused" : view.state));
    return syncs;
  };

  if (context.json()) {
    nlohmann::json deploys = nlohmann::json::array();
    for (const auto& state : states) {
      nlohmann::json syncs = nlohmann::json::array();
      for (const auto& view : views)
        if (view.deploy == state.deploy) syncs.push_back(view.name);
      deploys.push_back({{"deploy", state.deploy},
                         {"resource", state.resource},
                         {"running", state.running},
                         {"state", state.state},
                         {"image", state.image.empty() ? nlohmann::json(nullptr) : nlohmann::json(state.image)},
                         {"ports", state.ports},
                         {"syncs", syncs}});
    }
    nlohmann::json sessions = nlohmann::json::array();
    for (const auto& view : views) sessions.push_back(ui::toJson(view));
    ui::printJson({{"project", config.project.name},
                   {"environment", config.environment},
                   {"provider", config.provider.name},
                   {"deploys", deploys},
                   {"daemonRunning", daemonRunning},
                   {"sessions", sessions}});
    return;
  }
  ui::printLine(fmt::format("Project {}, environment {}, provider {}.", config.project.name, config.environment,
                            config.provider.name));
  if (states.empty()) {
    ui::printLine("The project has no Deploy actions.");
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& state : states)
    rows.push_back({state.deploy, state.state, state.resource, state.image.empty() ? "-" : state.image,
                    joinOrDash(state.ports), joinOrDash(syncsOf(state.deploy))});
  std::string table = ui::formatTable({"DEPLOY", "STATE", "RUNS AS", "IMAGE", "PORTS", "SYNCS"}, rows);
  table.pop_back();
  ui::printLine(table);
  if (!daemonRunning) ui::printLine("No syncs are running (the project's Mutagen daemon is not running).");
  else if (views.empty()) ui::printLine("No syncs are running (start them with `gardensync deploy --sync=*`).");
}

}  // namespace

void addGetCommands(CLI::App& app, Context& context) {
  auto* get = app.add_subcommand("get", "Show what this project runs");
  get->require_subcommand(1);
  get->footer("Examples:\n  gardensync get status\n  gardensync get status --output json");
  auto* status = get->add_subcommand(
      "status", "Each Deploy's state, image, published ports and sync sessions (starts and changes nothing)");
  status->footer("Examples:\n  gardensync get status\n  gardensync get status --output json\n\n"
                 "PORTS lists the published ports as <host address>:<host port>-><container port>/<protocol>;\n"
                 "`gardensync sync status` shows the syncs in detail.");
  status->callback([&context] { printStatus(context); });
}

}  // namespace gardensync::cli
