// Which command a command line names, found before CLI11 parses it, so that a mistyped command
// is reported as "unknown command" with the closest one, and an unknown option points to the
// help of the command it was given to (CLI11 itself says only "A subcommand is required" or
// "The following argument was not expected").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace gardensync::cli {

struct CommandPath {
  CLI::App* command = nullptr;  // the deepest command named (the app itself when none)
  std::string path;             // "gardensync sync status"
  std::optional<std::string> unknown;     // a word that is no command of `command`, which needs one
  std::optional<std::string> suggestion;  // the closest command to `unknown`, if any is close
};

// Walks `args` (in order, without the program name) down the command tree of `app`.
CommandPath findCommand(CLI::App& app, const std::vector<std::string>& args);

// The names of the subcommands of `command`, in the order they were added.
std::vector<std::string> subcommandNames(const CLI::App& command);

}  // namespace gardensync::cli
