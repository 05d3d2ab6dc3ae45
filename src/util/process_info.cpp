#include "gardensync/util/process_info.h"

#include <fstream>
#include <iterator>
#include <sstream>

namespace gardensync::util {

namespace {

std::optional<std::string> readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  return text;
}

std::vector<std::string> splitNul(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\0', start);
    if (end == std::string::npos) end = text.size();
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

// Field 22 of /proc/<pid>/stat. The command name (field 2) is in parentheses and may itself hold
// spaces and parentheses, so counting starts after the last ')'.
std::optional<unsigned long long> startTimeOf(const std::string& stat) {
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(stat.substr(close + 1));
  std::string field;
  for (int index = 3; fields >> field; ++index) {
    if (index != 22) continue;
    try {
      return std::stoull(field);
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<ProcessInfo> readProcessInfo(int pid) {
  if (pid <= 0) return std::nullopt;
  const std::string dir = "/proc/" + std::to_string(pid);
  auto stat = readAll(dir + "/stat");
  auto cmdline = readAll(dir + "/cmdline");
  auto environ = readAll(dir + "/environ");
  if (!stat || !cmdline || !environ) return std::nullopt;
  auto start = startTimeOf(*stat);
  if (!start) return std::nullopt;
  return ProcessInfo{splitNul(*cmdline), splitNul(*environ), *start};
}

std::optional<std::string> environmentValue(const ProcessInfo& info, const std::string& name) {
  const std::string prefix = name + "=";
  for (const auto& entry : info.environment)
    if (entry.starts_with(prefix)) return entry.substr(prefix.size());
  return std::nullopt;
}

std::optional<unsigned> fileCreationMask() {
  const auto status = readAll("/proc/self/status");
  if (!status) return std::nullopt;
  std::istringstream lines(*status);
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("Umask:")) continue;
    try {
      return static_cast<unsigned>(std::stoul(line.substr(6), nullptr, 8)) & 0777u;
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace gardensync::util
