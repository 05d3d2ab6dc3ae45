#include "gardensync/util/error.h"

#include <fmt/format.h>

namespace gardensync {

std::string ConfigIssue::format() const {
  std::string where = file;
  if (line > 0) where += fmt::format(":{}:{}", line, column);
  if (keyPath.empty()) return fmt::format("{}: {}", where, message);
  return fmt::format("{}: {}: {}", where, keyPath, message);
}

static std::string summarize(const std::vector<ConfigIssue>& issues) {
  if (issues.size() == 1) return issues.front().format();
  std::string text = fmt::format("{} configuration errors:", issues.size());
  for (const auto& issue : issues) text += "\n  " + issue.format();
  return text;
}

ConfigError::ConfigError(std::vector<ConfigIssue> issues)
    : Error(summarize(issues)), issues_(std::move(issues)) {}

ToolError::ToolError(const std::string& message, std::string command, std::string stderrText,
                     std::string hint)
    : Error(message, std::move(hint)), command_(std::move(command)), stderr_(std::move(stderrText)) {}

}  // namespace gardensync
