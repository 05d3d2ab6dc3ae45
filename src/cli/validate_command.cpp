#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gardensync/cli/commands.h"

namespace gardensync::cli {

namespace {

void runValidate(Context& context) {
  const config::ProjectConfig& config = context.project();
  size_t builds = 0, deploys = 0, paths = 0;
  nlohmann::json actions = nlohmann::json::array();
  for (const auto& action : config.actions) {
    (action.kind == config::ActionKind::Build ? builds : deploys)++;
    const size_t syncPaths = action.sync ? action.sync->paths.size() : 0;
    paths += syncPaths;
    actions.push_back({{"kind", config::toString(action.kind)},
                       {"name", action.name},
                       {"type", action.type},
                       {"file", action.configFile.lexically_relative(config.project.root).generic_string()},
                       {"syncPaths", syncPaths}});
  }
  if (context.json()) {
    ui::printJson({{"project", config.project.name},
                   {"root", config.project.root.string()},
                   {"environment", config.environment},
                   {"provider", config.provider.name},
                   {"actions", actions},
                   {"warnings", config.warnings}});
    return;
  }
  ui::printLine(fmt::format("project {} is valid (environment {}, provider {})", config.project.name,
                            config.environment, config.provider.name));
  ui::printLine(fmt::format("{} Build, {} Deploy, {} sync path{}{}", builds, deploys, paths, paths == 1 ? "" : "s",
                            config.warnings.empty() ? "" : fmt::format(", {} warning(s) above", config.warnings.size())));
}

}  // namespace

void addValidateCommand(CLI::App& app, Context& context) {
  auto* cmd = app.add_subcommand("validate", "Load and check every config file; report all errors with file:line:col");
  cmd->footer("Examples:\n  gardensync validate\n  gardensync validate --output json\n\n"
              "Exit code 2 and one line per problem when a file is broken; warnings (such as a sync\n"
              "source folder that does not exist yet) do not fail validation.");
  cmd->callback([&context] { runValidate(context); });
}

}  // namespace gardensync::cli
