#include "gardensync/cli/command_path.h"

#include "gardensync/config/template/suggest.h"

namespace gardensync::cli {

namespace {

// The option `name` as `command` or a command above it parses it (options fall through).
const CLI::Option* findOption(const CLI::App* command, const std::string& name) {
  for (; command; command = command->get_parent())
    if (const CLI::Option* option = command->get_option_no_throw(name)) return option;
  return nullptr;
}

CLI::App* findSubcommand(CLI::App& command, const std::string& name) {
  for (CLI::App* sub : command.get_subcommands([](CLI::App*) { return true; }))
    if (sub->get_name() == name) return sub;
  return nullptr;
}

}  // namespace

std::vector<std::string> subcommandNames(const CLI::App& command) {
  std::vector<std::string> names;
  for (const CLI::App* sub : command.get_subcommands([](const CLI::App*) { return true; }))
    if (!sub->get_name().empty()) names.push_back(sub->get_name());
  return names;
}

CommandPath findCommand(CLI::App& app, const std::vector<std::string>& args) {
  CommandPath result;
  result.command = &app;
  result.path = app.get_name();
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") break;
    if (arg.size() > 1 && arg[0] == '-') {
      if (arg.find('=') != std::string::npos) continue;
      const CLI::Option* option = findOption(result.command, arg);
      if (option && option->get_items_expected_min() > 0) ++i;  // its value
      continue;
    }
    const auto names = subcommandNames(*result.command);
    if (names.empty()) break;  // a positional argument of a command without subcommands
    if (CLI::App* sub = findSubcommand(*result.command, arg)) {
      result.command = sub;
      result.path += " " + arg;
      continue;
    }
    if (result.command->get_require_subcommand_min() > 0) {
      result.unknown = arg;
      // A prefix first: "stat" means "status", though "start" is fewer edits away.
      for (const auto& name : names)
        if (!arg.empty() && name.starts_with(arg)) {
          result.suggestion = name;
          break;
        }
      if (!result.suggestion) result.suggestion = config::closestName(arg, names);
    }
    break;
  }
  return result;
}

}  // namespace gardensync::cli
