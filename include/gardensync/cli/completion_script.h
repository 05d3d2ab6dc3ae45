// Shell completion scripts for bash, zsh and fish, generated from the command tree: every
// command, subcommand and option that CLI11 knows, so completion never lags behind the commands.
// The tree is plain data (CommandNode), read from the CLI11 app by commandTree().
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace gardensync::cli {

struct OptionNode {
  std::vector<std::string> names;    // "--sync", "-f"
  std::string description;
  bool takesValue = false;
  std::vector<std::string> choices;  // the values it accepts, when it names them
  bool directory = false;            // its value is a folder (--root)
};

struct CommandNode {
  std::string name;  // "" for the program itself
  std::string description;
  std::vector<OptionNode> options;
  std::vector<CommandNode> subcommands;
};

// The tree of `app`: its options and subcommands, recursively (help flags included).
CommandNode commandTree(const CLI::App& app);

// `shell` is bash, zsh or fish; `program` the command's name ("gardensync").
std::string completionScript(const CommandNode& tree, const std::string& shell, const std::string& program);

}  // namespace gardensync::cli
