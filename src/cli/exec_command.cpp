#include <fmt/format.h>

#include "gardensync/cli/commands.h"
#include "gardensync/cli/services.h"
#include "gardensync/providers/provider.h"
#include "gardensync/ui/output.h"
#include "gardensync/ui/terminal.h"
#include "gardensync/util/error.h"
#include "gardensync/util/process.h"

namespace gardensync::cli {

void addExecCommand(CLI::App& app, Context& context) {
  auto deploy = std::make_shared<std::string>();
  auto command = std::make_shared<std::vector<std::string>>();
  auto noTty = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("exec", "Run a command in a Deploy's running container (its pod on a cluster)");
  cmd->add_option("deploy", *deploy, "The Deploy")->required();
  cmd->add_option("command", *command, "The command and its arguments (after --)")->required();
  cmd->add_flag("--no-tty,-T", *noTty, "Do not allocate a terminal, even when this one is interactive");
  cmd->footer("Examples:\n  gardensync exec api -- ls /app/src\n  gardensync exec web -- sh -c 'echo $HOME'\n"
              "  gardensync exec api -- sh                 an interactive shell\n\n"
              "The command's input, output and errors are this terminal's; it gets a terminal (TTY) of its own\n"
              "when stdin and stdout are one. gardensync exits with the command's exit code. On a cluster it runs\n"
              "in the container that the Deploy's defaultTarget names (a container Deploy: its own).");
  cmd->callback([&context, deploy, command, noTty] {
    const config::Action* action = context.project().find(config::ActionKind::Deploy, *deploy);
    if (!action)
      throw UsageError(fmt::format("no Deploy named \"{}\"", *deploy), "`gardensync get status` lists them");
    const bool tty = !*noTty && ui::stdinIsTty() && ui::stdoutIsTty();
    const auto argv = context.services().provider(context.project())->interactiveExec(*action, *command, tty);
    context.setExitCode(util::runInteractive(argv, {}));
  });
}

}  // namespace gardensync::cli
