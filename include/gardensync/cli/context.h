// What every command gets: the global options, and the project loaded on demand.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "gardensync/config/model.h"
#include "gardensync/config/template.h"
#include "gardensync/config/project_identity.h"
#include "gardensync/ui/output.h"

namespace gardensync::cli {

struct GlobalOptions {
  std::string root;
  std::string environment;              // <environment> or <namespace>.<environment>
  std::vector<std::string> variables;   // --var key=value[,key=value]
  config::CommandInfo command;          // the command that runs, for `${command.*}`
  std::string logLevel = "info";
  std::string output = "text";
  bool yes = false;
};

// The running command as Garden's `${command.name}` and `${command.params}` see it: the
// subcommand names ("sync stop") and every option and argument given, by its long name.
config::CommandInfo describeCommand(const CLI::App& app);

struct Services;  // cli/services.h

class Context {
public:
  // `options` is filled by the parser; the context reads it when a command runs.
  explicit Context(const GlobalOptions& options) : options_(options) {}

  const GlobalOptions& options() const { return options_; }
  ui::OutputFormat format() const {
    if (options_.output == "json") return ui::OutputFormat::Json;
    return options_.output == "jsonl" ? ui::OutputFormat::JsonLines : ui::OutputFormat::Text;
  }
  // A JSON result (json or jsonl) instead of text.
  bool json() const { return format() != ui::OutputFormat::Text; }
  bool jsonLines() const { return format() == ui::OutputFormat::JsonLines; }

  // Loads the project once; logs its warnings and notes. Throws ConfigError / UsageError.
  const config::ProjectConfig& project();
  // The project's root and name: from the full config when it loads, else (with a warning) from
  // the Project document alone, so syncs can be inspected and stopped while a file is broken.
  config::ProjectIdentity identity();
  // Whether the full config loaded (after identity() or project()).
  bool configLoaded() const { return project_.has_value(); }

  // Arguments after `util mutagen`, which the command line parser never sees.
  const std::vector<std::string>& passThroughArgs() const { return passThrough_; }
  void setPassThroughArgs(std::vector<std::string> args) { passThrough_ = std::move(args); }

  // How commands reach Docker, a cluster and Mutagen: the system's unless set (by tests).
  const Services& services() const;
  void setServices(const Services& services) { services_ = &services; }

  // A command that forwards another program's exit code sets it here.
  int exitCode() const { return exitCode_; }
  void setExitCode(int code) { exitCode_ = code; }

private:
  const GlobalOptions& options_;
  std::vector<std::string> passThrough_;
  int exitCode_ = 0;
  const Services* services_ = nullptr;
  std::optional<config::ProjectConfig> project_;
  std::optional<config::ProjectIdentity> identity_;
};

}  // namespace gardensync::cli
