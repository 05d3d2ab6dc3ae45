#include "gardensync/cli/app.h"

#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "gardensync/cli/command_path.h"
#include "gardensync/cli/commands.h"
#include "gardensync/cli/helper_commands.h"
#include "gardensync/util/error.h"
#include "gardensync/util/termination.h"

namespace gardensync::cli {

namespace {

constexpr const char* kDescription =
    "gardensync: build and deploy the containers of a Garden-style project and keep local folders\n"
    "in sync with folders inside them, using a pinned, verified Mutagen.\n\n"
    "Examples:\n"
    "  gardensync validate                     check every config file\n"
    "  gardensync deploy --sync=*              deploy everything, start every sync\n"
    "  gardensync deploy --sync api,worker     deploy everything, sync only these\n"
    "  gardensync deploy --sync=* --dry-run --output json   print the sync plan\n"
    "  gardensync sync status                  what each sync is doing\n"
    "  gardensync sync stop                    stop this project's syncs\n"
    "  gardensync util mutagen sync list       the pinned Mutagen, on this project's daemon";

}  // namespace

int run(int argc, char** argv) {
  if (auto code = runHelperCommand({argv + 1, argv + argc})) return *code;
  GlobalOptions options;
  CLI::App app(kDescription, "gardensync");
  app.require_subcommand(1);
  app.fallthrough();
  app.set_help_all_flag("--help-all", "Show help for every command");
  app.footer("Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error.\n"
             "Run `gardensync <command> --help` for a command's options.");
  app.add_option("--root", options.root, "Project root (default: search upward for project.garden.yml)")
      ->type_name("DIR");
  app.add_option("--env", options.environment,
                 "Environment to use, optionally with a namespace: <namespace>.<environment> (default: the project's "
                 "defaultEnvironment)")
      ->type_name("NAME");
  app.add_option("--var", options.variables,
                 "Set a variable, over any value in the project: key=value; several separated by commas, a.b=value "
                 "for a key of a mapping")
      ->type_name("KEY=VALUE");
  app.add_option("--log-level", options.logLevel, "How much to log on stderr")
      ->check(CLI::IsMember({"error", "warn", "info", "debug", "trace"}))
      ->default_str("info");
  app.add_option("--output", options.output,
                 "Result format on stdout: text; json for scripts; jsonl: JSON on one line, and a stream of sync "
                 "events from `deploy --sync` and `sync status --watch`")
      ->check(CLI::IsMember({"text", "json", "jsonl"}))
      ->default_str("text");
  app.add_flag("--yes,-y", options.yes, "Answer yes to confirmation prompts");

  Context context(options);
  // Runs once the whole command line is parsed, before any command's callback.
  app.parse_complete_callback([&] {
    ui::initLogging(options.logLevel);
    ui::setOutputFormat(context.format());
    options.command = describeCommand(app);
  });
  addCompletionCommand(app, context);
  addDeployCommand(app, context);
  addExecCommand(app, context);
  addGetCommands(app, context);
  addLogsCommand(app, context);
  addSchemaCommand(app, context);
  addSyncCommands(app, context);
  addUtilCommands(app, context);
  addValidateCommand(app, context);
  addVersionCommand(app, context);

  // Everything after `util mutagen` goes to Mutagen untouched, even `--help`: CLI11 sees only
  // the arguments up to `mutagen`.
  std::vector<std::string> args(argv + 1, argv + argc);
  for (size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "util" && args[i + 1] == "mutagen") {
      context.setPassThroughArgs({args.begin() + static_cast<long>(i) + 2, args.end()});
      args.resize(i + 2);
      break;
    }
  }
  const CommandPath command = findCommand(app, args);
  if (command.unknown) {
    ui::initLogging(options.logLevel);
    ui::setOutputFormat(context.format());
    ui::printError(fmt::format("unknown command \"{}\" for `{}`{}", *command.unknown, command.path,
                               command.suggestion ? fmt::format(" (did you mean `{} {}`?)", command.path, *command.suggestion)
                                                  : ""),
                   fmt::format("`{} --help` lists its commands", command.path));
    return 2;
  }
  std::reverse(args.begin(), args.end());  // CLI11 takes a reversed vector

  const util::TerminationSignals signals;
  try {
    try {
      app.parse(args);
    } catch (const CLI::CallForHelp& e) {
      return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
      return app.exit(e);
    } catch (const CLI::ParseError& e) {
      if (e.get_exit_code() == 0) return app.exit(e);
      ui::printError(e.what(), fmt::format("run `{} --help` for its options", command.path));
      return 2;
    }
  } catch (const ConfigError& e) {
    ui::printError(e.what(), "fix the file(s) above; `gardensync validate` checks them without deploying");
    return 2;
  } catch (const UsageError& e) {
    ui::printError(e.what(), e.hint());
    return 2;
  } catch (const util::Interrupted& e) {
    ui::printError(e.what());
    return 128 + e.signal();
  } catch (const ToolError& e) {
    std::string message = e.what();
    message += "\n  command: " + e.command();
    if (!e.stderrText().empty()) message += "\n  stderr: " + e.stderrText();
    ui::printError(message, e.hint());
    return 1;
  } catch (const Error& e) {
    ui::printError(e.what(), e.hint());
    return 1;
  } catch (const std::exception& e) {
    ui::printError(e.what());
    return 1;
  }
  return context.exitCode();
}

}  // namespace gardensync::cli
