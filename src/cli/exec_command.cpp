#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "gardensync/cli/commands.h"
#include "gardensync/cli/services.h"
#include "gardensync/providers/provider.h"
#include "gardensync/util/error.h"
#include "gardensync/util/text.h"

namespace gardensync::cli {

namespace {

const config::Action& requireDeploy(Context& context, const std::string& name) {
  const config::Action* deploy = context.project().find(config::ActionKind::Deploy, name);
  if (!deploy) throw UsageError(fmt::format("no Deploy named \"{}\"", name), "`gardensync validate --output json` lists them");
  return *deploy;
}

}  // namespace

void addExecCommand(CLI::App& app, Context& context) {
  auto deploy = std::make_shared<std::string>();
  auto command = std::make_shared<std::vector<std::string>>();
  auto* cmd = app.add_subcommand("exec", "Run a command in a Deploy's running container (its pod on a cluster)");
  cmd->add_option("deploy", *deploy, "The Deploy")->required();
  cmd->add_option("command", *command, "The command and its arguments (after --)")->required();
  cmd->footer("Examples:\n  gardensync exec api -- ls /app/src\n  gardensync exec web -- sh -c 'echo $HOME'\n\n"
              "Prints the command's output; exits with its exit code. On a cluster it runs in the container\n"
              "that the Deploy's defaultTarget names (a container Deploy: its own).");
  cmd->callback([&context, deploy, command] {
    const auto provider = context.services().provider(context.project());
    const auto result = provider->exec(requireDeploy(context, *deploy), *command);
    if (!result.stdoutText.empty()) ui::printLine(result.stdoutText.back() == '\n'
                                                      ? result.stdoutText.substr(0, result.stdoutText.size() - 1)
                                                      : result.stdoutText);
    // The command's stderr goes to ours, through the logger (only ui writes to the terminal).
    if (!result.stderrText.empty()) spdlog::info("{}", util::trimEnd(result.stderrText));
    if (result.timedOut) throw Error(fmt::format("{} in Deploy {} did not finish within 10 minutes", command->front(), *deploy));
    context.setExitCode(result.exitCode < 0 ? 1 : result.exitCode);
  });
}

void addLogsCommand(CLI::App& app, Context& context) {
  auto deploy = std::make_shared<std::string>();
  auto tail = std::make_shared<int>(100);
  auto* cmd = app.add_subcommand("logs", "Print the recent output of a Deploy's running container (its pod on a cluster)");
  cmd->add_option("deploy", *deploy, "The Deploy")->required();
  cmd->add_option("--tail", *tail, "How many of the last lines")->default_str("100");
  cmd->footer("Examples:\n  gardensync logs api\n  gardensync logs web --tail 20");
  cmd->callback([&context, deploy, tail] {
    const config::Action* action = context.project().find(config::ActionKind::Deploy, *deploy);
    if (!action) throw UsageError(fmt::format("no Deploy named \"{}\"", *deploy), "`gardensync validate --output json` lists them");
    std::string text = context.services().provider(context.project())->logs(*action, *tail);
    if (!text.empty() && text.back() == '\n') text.pop_back();
    if (!text.empty()) ui::printLine(text);
  });
}

}  // namespace gardensync::cli
