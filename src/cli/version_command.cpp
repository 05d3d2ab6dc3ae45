#include <fmt/format.h>

#include "gardensync/cli/commands.h"
#include "gardensync/mutagen/manifest.h"

namespace gardensync::cli {

void addVersionCommand(CLI::App& app, Context& context) {
  auto* cmd = app.add_subcommand("version", "Print gardensync's version and the pinned Mutagen version");
  cmd->footer("Examples:\n  gardensync version\n  gardensync version --output json");
  cmd->callback([&context] {
    if (context.json()) {
      ui::printJson({{"gardensync", GARDENSYNC_VERSION}, {"mutagen", mutagen::kMutagenVersion}});
      return;
    }
    ui::printLine(fmt::format("gardensync {} (Mutagen {})", GARDENSYNC_VERSION, mutagen::kMutagenVersion));
  });
}

}  // namespace gardensync::cli
