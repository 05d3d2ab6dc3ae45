#include "gardensync/cli/context.h"

#include <spdlog/spdlog.h>

#include "gardensync/cli/services.h"
#include "gardensync/config/loader.h"
#include "gardensync/config/variables.h"
#include "gardensync/util/error.h"

namespace gardensync::cli {

namespace {

config::LoadOptions loadOptions(const GlobalOptions& options) {
  config::LoadOptions load;
  load.cwd = std::filesystem::current_path();
  if (!options.root.empty()) load.root = options.root;
  if (!options.environment.empty()) load.environment = options.environment;
  load.variables = config::parseVariableFlags(options.variables);
  load.command = options.command;
  return load;
}

}  // namespace

config::CommandInfo describeCommand(const CLI::App& app) {
  config::CommandInfo info;
  std::vector<const CLI::App*> chain{&app};
  while (!chain.back()->get_subcommands().empty()) chain.push_back(chain.back()->get_subcommands().front());
  for (size_t i = 1; i < chain.size(); ++i) info.name += (info.name.empty() ? "" : " ") + chain[i]->get_name();
  for (const CLI::App* command : chain) {
    for (const CLI::Option* option : command->get_options()) {
      if (option->count() == 0) continue;
      const std::string name = option->get_positional() ? option->get_name()
                               : option->get_lnames().empty() ? option->get_single_name()
                                                              : option->get_lnames().front();
      if (option->get_expected_max() == 0) {
        info.params[name] = true;  // a flag
      } else if (option->get_items_expected_max() > 1 || option->results().size() > 1) {
        info.params[name] = option->results();
      } else {
        const auto& results = option->results();
        info.params[name] = results.empty() ? config::tmpl::Value::array() : config::tmpl::Value(results[0]);
      }
    }
  }
  return info;
}

config::ProjectIdentity Context::identity() {
  if (identity_) return *identity_;
  try {
    const auto& config = project();
    identity_ = config::ProjectIdentity{config.project.root, config.project.name};
  } catch (const ConfigError& e) {
    spdlog::warn("the project's configuration has errors; working from the project's name only:\n{}", e.what());
    identity_ = config::readProjectIdentity(loadOptions(options_));
  }
  return *identity_;
}

const config::ProjectConfig& Context::project() {
  if (project_) return *project_;
  project_ = config::loadProject(loadOptions(options_));
  for (const auto& note : project_->notes) spdlog::debug("{}", note);
  for (const auto& warning : project_->warnings) spdlog::warn("{}", warning);
  return *project_;
}

const Services& Context::services() const { return services_ ? *services_ : systemServices(); }

}  // namespace gardensync::cli
