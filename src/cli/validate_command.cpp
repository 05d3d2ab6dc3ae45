#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gardensync/cli/commands.h"

namespace gardensync::cli {

namespace {

void runValidate(Context& context) {
  const config::ProjectConfig& config = context.project();
  std::map<config::ActionKind, size_t> counts;
  size_t paths = 0;
  nlohmann::json actions = nlohmann::json::array();
  std::vector<std::string> skipped;
  for (const auto& action : config.actions) {
    counts[action.kind]++;
    const size_t syncPaths = action.sync ? action.sync->paths.size() : 0;
    paths += syncPaths;
    actions.push_back({{"kind", config::toString(action.kind)},
                       {"name", action.name},
                       {"type", action.type},
                       {"file", action.configFile.lexically_relative(config.project.root).generic_string()},
                       {"syncPaths", syncPaths},
                       {"disabled", action.disabled},
                       {"skipped", action.runs() ? nlohmann::json(nullptr) : nlohmann::json(action.skipReason)}});
    if (!action.runs())
      skipped.push_back(fmt::format("skipped: {} ({}): {}", action.key(), action.type, action.skipReason));
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
  std::string runAndTest;
  for (auto kind : {config::ActionKind::Run, config::ActionKind::Test})
    if (counts[kind]) runAndTest += fmt::format(", {} {}", counts[kind], config::toString(kind));
  ui::printLine(fmt::format("{} Build, {} Deploy{}, {} sync path{}{}", counts[config::ActionKind::Build],
                            counts[config::ActionKind::Deploy], runAndTest, paths, paths == 1 ? "" : "s",
                            config.warnings.empty() ? "" : fmt::format(", {} warning(s) above", config.warnings.size())));
  for (const auto& line : skipped) ui::printLine(line);
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
