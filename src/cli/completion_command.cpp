#include "gardensync/cli/commands.h"
#include "gardensync/cli/completion_script.h"
#include "gardensync/ui/output.h"

namespace gardensync::cli {

void addCompletionCommand(CLI::App& app, Context&) {
  auto shell = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("completion", "Print a shell completion script (bash, zsh or fish)");
  cmd->add_option("shell", *shell, "The shell")->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));
  cmd->footer("Examples:\n"
              "  source <(gardensync completion bash)          this bash session\n"
              "  gardensync completion bash > ~/.local/share/bash-completion/completions/gardensync\n"
              "  source <(gardensync completion zsh)           this zsh session (add it to ~/.zshrc)\n"
              "  gardensync completion fish > ~/.config/fish/completions/gardensync.fish\n\n"
              "The script completes commands, subcommands and options, and the values of options that\n"
              "have a fixed set (--log-level, --output).");
  CLI::App* root = &app;
  cmd->callback([root, shell] {
    std::string script = completionScript(commandTree(*root), *shell, root->get_name());
    if (!script.empty() && script.back() == '\n') script.pop_back();
    ui::printLine(script);
  });
}

}  // namespace gardensync::cli
