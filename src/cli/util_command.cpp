#include "gardensync/cli/commands.h"
#include "gardensync/util/error.h"

namespace gardensync::cli {

void addUtilCommands(CLI::App& app, Context& context) {
  auto* util = app.add_subcommand("util", "Utilities");
  util->require_subcommand(1);
  auto* mutagen = util->add_subcommand("mutagen", "Run the pinned Mutagen against this project's daemon");
  mutagen->prefix_command();
  mutagen->footer("Everything after `mutagen` is passed to Mutagen untouched.\n\nExamples:\n"
                  "  gardensync util mutagen sync list\n  gardensync util mutagen sync monitor\n"
                  "  gardensync util mutagen daemon stop");
  mutagen->callback([&context] {
    context.project();
    throw Error("`util mutagen` is not available in this build of gardensync yet");
  });
}

}  // namespace gardensync::cli
