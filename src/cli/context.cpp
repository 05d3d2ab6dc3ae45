#include "gardensync/cli/context.h"

#include <spdlog/spdlog.h>

#include "gardensync/config/loader.h"
#include "gardensync/util/error.h"

namespace gardensync::cli {

namespace {

config::LoadOptions loadOptions(const GlobalOptions& options) {
  config::LoadOptions load;
  load.cwd = std::filesystem::current_path();
  if (!options.root.empty()) load.root = options.root;
  if (!options.environment.empty()) load.environment = options.environment;
  return load;
}

}  // namespace

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

}  // namespace gardensync::cli
