#include "gardensync/cli/commands.h"
#include "gardensync/util/error.h"

namespace gardensync::cli {

void addSyncCommands(CLI::App& app, Context& context) {
  auto* sync = app.add_subcommand("sync", "Start, stop, restart and inspect this project's syncs");
  sync->require_subcommand(1);
  sync->footer("Examples:\n  gardensync sync status --output json\n  gardensync sync stop api\n  gardensync sync restart");
  for (const char* name : {"start", "stop", "status", "restart"}) {
    auto names = std::make_shared<std::vector<std::string>>();
    auto* cmd = sync->add_subcommand(name, std::string("Sync ") + name + " for the named Deploys (default: all)");
    cmd->add_option("names", *names, "Deploy names");
    cmd->callback([&context, name] {
      context.project();
      throw Error(std::string("`sync ") + name + "` is not available in this build of gardensync yet");
    });
  }
}

}  // namespace gardensync::cli
