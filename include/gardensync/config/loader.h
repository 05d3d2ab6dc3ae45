// Loads a project: finds the project file, reads every action file below the root, resolves
// load-time templates, checks the schema and the action graph, and reports every problem of the
// run together as one ConfigError.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "gardensync/config/model.h"
#include "gardensync/config/template.h"

namespace gardensync::config {

struct LoadOptions {
  std::optional<std::filesystem::path> root;  // --root; otherwise search upward from cwd
  std::filesystem::path cwd;
  std::optional<std::string> environment;     // --env: <environment> or <namespace>.<environment>
  // Looks up `${local.env.X}`; defaults to the process environment.
  std::function<std::optional<std::string>(const std::string&)> localEnv;
  tmpl::Value variables = tmpl::Value::object();  // --var, over every variable of the project
  CommandInfo command;                            // `${command.name}`, `${command.params}`
};

// The folder holding the project file: `root` itself when given, else the nearest ancestor of
// `cwd` with a `project.garden.yml` (or a `garden.yml` whose documents include `kind: Project`).
// Throws UsageError when there is none.
std::filesystem::path findProjectRoot(const LoadOptions& options);

// Throws ConfigError with every error found; warnings come back in ProjectConfig::warnings. The
// strings one load resolves are limited (template.h): once they pass kMaxResolvedBytesPerLoad,
// loading stops there and reports that once, with the errors found before.
ProjectConfig loadProject(const LoadOptions& options);

}  // namespace gardensync::config
