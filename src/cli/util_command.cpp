#include <algorithm>

#include "gardensync/cli/commands.h"
#include "gardensync/cli/engine.h"
#include "gardensync/cli/services.h"
#include "gardensync/util/process.h"
#include "gardensync/watch/watcher_process.h"

namespace gardensync::cli {

namespace {

// Whether the Mutagen command talks to the daemon: not `daemon ...` (which manages it), `version`,
// `legal`, `help` or any `--help`. Those that do need it running with gardensync's environment,
// not whatever a Mutagen autostart would inherit.
bool needsDaemon(const std::vector<std::string>& args) {
  if (args.empty()) return false;
  for (const char* own : {"daemon", "version", "legal", "help"})
    if (args.front() == own) return false;
  return std::none_of(args.begin(), args.end(), [](const std::string& arg) { return arg == "--help" || arg == "-h"; });
}

int runMutagenPassThrough(Context& context, const std::vector<std::string>& args) {
  const bool daemonCommand = !args.empty() && args.front() == "daemon";
  Engine engine = context.services().engine(context, needsDaemon(args), true);
  if (daemonCommand && args.size() >= 2 && args[1] == "stop") {
    watch::stopWatcher(engine.dataDir.path);  // it has nothing to flush without the daemon
    engine.mutagen->stopDaemon();
    return 0;
  }
  std::vector<std::string> argv{engine.tool.binary.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  util::Environment env;
  env.set["MUTAGEN_DATA_DIRECTORY"] = engine.dataDir.path.string();
  return util::runInteractive(argv, env);
}

}  // namespace

void addUtilCommands(CLI::App& app, Context& context) {
  auto* util = app.add_subcommand("util", "Utilities");
  util->require_subcommand(1);
  util->footer("Examples:\n  gardensync util mutagen sync list\n  gardensync util mutagen daemon stop");
  auto* mutagen = util->add_subcommand("mutagen", "Run the pinned Mutagen against this project's daemon");
  mutagen->footer("Everything after `mutagen` is passed to Mutagen untouched; its output and exit code are\n"
                  "Mutagen's own. Installs Mutagen and starts the project's daemon when needed.\n\nExamples:\n"
                  "  gardensync util mutagen sync list\n  gardensync util mutagen sync monitor\n"
                  "  gardensync util mutagen daemon stop");
  mutagen->callback([&context] { context.setExitCode(runMutagenPassThrough(context, context.passThroughArgs())); });
}

}  // namespace gardensync::cli
