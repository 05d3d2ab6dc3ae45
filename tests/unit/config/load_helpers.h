// Loading fixture projects in tests.
#pragma once

#include <string>

#include "gardensync/config/loader.h"
#include "gardensync/util/error.h"

namespace gardensync::testing {

inline std::filesystem::path fixture(const std::string& relative) {
  return std::filesystem::path(GARDENSYNC_FIXTURES_DIR) / relative;
}

inline config::ProjectConfig loadFixture(const std::string& relative,
                                         std::optional<std::string> environment = std::nullopt) {
  config::LoadOptions options;
  options.root = fixture(relative);
  options.cwd = fixture(relative);
  options.environment = environment;
  options.localEnv = [](const std::string& name) -> std::optional<std::string> {
    if (name == "GS_TEST_TAG") return "v7";
    return std::nullopt;
  };
  return config::loadProject(options);
}

// The issues of a ConfigError thrown while loading, formatted; empty when loading succeeds.
inline std::vector<std::string> loadErrors(const std::string& relative) {
  try {
    loadFixture(relative);
  } catch (const ConfigError& e) {
    std::vector<std::string> lines;
    for (const auto& issue : e.issues()) lines.push_back(issue.format());
    return lines;
  }
  return {};
}

}  // namespace gardensync::testing
