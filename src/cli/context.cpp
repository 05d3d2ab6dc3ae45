#include "gardensync/cli/context.h"

#include <spdlog/spdlog.h>

#include "gardensync/config/loader.h"

namespace gardensync::cli {

const config::ProjectConfig& Context::project() {
  if (project_) return *project_;
  config::LoadOptions load;
  load.cwd = std::filesystem::current_path();
  if (!options_.root.empty()) load.root = options_.root;
  if (!options_.environment.empty()) load.environment = options_.environment;
  project_ = config::loadProject(load);
  for (const auto& note : project_->notes) spdlog::debug("{}", note);
  for (const auto& warning : project_->warnings) spdlog::warn("{}", warning);
  return *project_;
}

}  // namespace gardensync::cli
