// Just enough of a project to find its syncs and containers: its root and name. Read from the
// Project document alone, so commands that stop or inspect syncs still work while an action
// file is broken.
#pragma once

#include <filesystem>
#include <string>

#include "gardensync/config/loader.h"

namespace gardensync::config {

struct ProjectIdentity {
  std::filesystem::path root;
  std::string name;
};

// Throws UsageError when there is no project, ConfigError when its name cannot be read.
ProjectIdentity readProjectIdentity(const LoadOptions& options);

}  // namespace gardensync::config
