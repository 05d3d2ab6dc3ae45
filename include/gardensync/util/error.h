// Error types for problems a user can act on. Each is thrown by the layer that found it and
// caught once in main, which prints it and maps it to an exit code: UsageError and ConfigError
// exit 2, everything else exits 1.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace gardensync {

// A runtime failure with an optional hint line saying what to do next.
class Error : public std::runtime_error {
public:
  explicit Error(const std::string& message, std::string hint = {})
      : std::runtime_error(message), hint_(std::move(hint)) {}
  const std::string& hint() const { return hint_; }

private:
  std::string hint_;
};

// Bad command-line usage (unknown deploy name, conflicting flags). Exit code 2.
class UsageError : public Error {
public:
  using Error::Error;
};

// One positioned problem in a configuration file.
struct ConfigIssue {
  std::string file;     // path as shown to the user (relative to the project root when inside it)
  int line = 0;         // 1-based; 0 when the problem has no position (missing file)
  int column = 0;       // 1-based
  std::string keyPath;  // e.g. spec.sync.paths[0].mode; empty for YAML syntax errors
  std::string message;

  std::string format() const;  // "file:line:col: keyPath: message"
};

// Every configuration error of one run, reported together. Exit code 2.
class ConfigError : public Error {
public:
  explicit ConfigError(std::vector<ConfigIssue> issues);
  const std::vector<ConfigIssue>& issues() const { return issues_; }

private:
  std::vector<ConfigIssue> issues_;
};

// A subprocess (docker, mutagen, kubectl) failed: carries the command line and its stderr.
class ToolError : public Error {
public:
  ToolError(const std::string& message, std::string command, std::string stderrText,
            std::string hint = {});
  const std::string& command() const { return command_; }
  const std::string& stderrText() const { return stderr_; }

private:
  std::string command_;
  std::string stderr_;
};

}  // namespace gardensync
