#include "gardensync/providers/build_output.h"

#include <cctype>
#include <map>

#include "gardensync/util/text.h"

namespace gardensync::providers {

namespace {

// "#7 [3/4] RUN make" or "#7 0.215 output": BuildKit's plain progress; returns the "#7" prefix.
std::string_view buildKitId(std::string_view line) {
  if (line.size() < 3 || line[0] != '#' || !std::isdigit(static_cast<unsigned char>(line[1]))) return {};
  size_t end = 1;
  while (end < line.size() && std::isdigit(static_cast<unsigned char>(line[end]))) ++end;
  if (end >= line.size() || line[end] != ' ') return {};
  return line.substr(0, end);
}

// BuildKit output lines carry a time in seconds after the id: "#7 0.215 text".
std::string_view withoutBuildKitTime(std::string_view rest) {
  size_t end = 0;
  while (end < rest.size() && (std::isdigit(static_cast<unsigned char>(rest[end])) || rest[end] == '.')) ++end;
  if (end > 0 && end < rest.size() && rest[end] == ' ') return rest.substr(end + 1);
  return end == rest.size() ? std::string_view() : rest;
}

bool isDeprecationNotice(std::string_view line) {
  const std::string text = util::trim(line);
  return text.starts_with("DEPRECATED: The legacy builder") || text.starts_with("Install the buildx component") ||
         text.starts_with("https://docs.docker.com/go/buildx");
}

}  // namespace

std::string stripTerminalCodes(std::string_view text) {
  std::string result;
  result.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\x1b' && i + 1 < text.size() && text[i + 1] == '[') {
      i += 2;
      while (i < text.size() && !std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
      continue;
    }
    if (text[i] == '\r') continue;
    result += text[i];
  }
  return result;
}

std::vector<std::string> LineSplitter::add(std::string_view chunk) {
  pending_.append(chunk);
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t end = pending_.find('\n'); end != std::string::npos; end = pending_.find('\n', start)) {
    lines.push_back(stripTerminalCodes(std::string_view(pending_).substr(start, end - start)));
    start = end + 1;
  }
  pending_.erase(0, start);
  return lines;
}

std::vector<std::string> LineSplitter::finish() {
  std::vector<std::string> lines;
  if (std::string line = stripTerminalCodes(pending_); !line.empty()) lines.push_back(std::move(line));
  pending_.clear();
  return lines;
}

bool isBuildStepLine(std::string_view line) {
  if (line.starts_with("Step ") && line.find(" : ") != std::string_view::npos) return true;
  const std::string_view id = buildKitId(line);
  return !id.empty() && line.substr(id.size() + 1).starts_with("[");
}

BuildFailure findBuildFailure(const std::vector<std::string>& lines, size_t maxLines) {
  BuildFailure failure;
  // The legacy builder: the last "Step" line, then what followed it, less Docker's own lines.
  size_t legacyStep = lines.size();
  for (size_t i = 0; i < lines.size(); ++i)
    if (lines[i].starts_with("Step ") && lines[i].find(" : ") != std::string::npos) legacyStep = i;
  // BuildKit: the step whose id has an ERROR line.
  std::map<std::string, std::string, std::less<>> stepOf;
  std::string failedId;
  for (const auto& line : lines) {
    const std::string_view id = buildKitId(line);
    if (id.empty()) continue;
    const std::string_view rest = std::string_view(line).substr(id.size() + 1);
    if (rest.starts_with("[")) stepOf[std::string(id)] = std::string(rest);
    else if (rest.starts_with("ERROR")) failedId = std::string(id);
  }
  std::vector<std::string> output;
  if (!failedId.empty()) {
    failure.step = stepOf.count(failedId) ? stepOf[failedId] : failedId;
    for (const auto& line : lines) {
      const std::string_view id = buildKitId(line);
      if (id != failedId) continue;
      const std::string_view text = withoutBuildKitTime(std::string_view(line).substr(id.size() + 1));
      if (text.empty() || text.starts_with("[") || text.starts_with("ERROR") || text.starts_with("DONE")) continue;
      output.emplace_back(text);
    }
  } else if (legacyStep < lines.size()) {
    failure.step = lines[legacyStep];
    for (size_t i = legacyStep + 1; i < lines.size(); ++i) {
      const std::string& line = lines[i];
      if (line.starts_with(" ---> ") || line.starts_with("Removing intermediate container") ||
          line.starts_with("The command ") || isDeprecationNotice(line) || util::trim(line).empty())
        continue;
      output.push_back(line);
    }
  }
  for (const auto& line : lines) {
    const std::string text = util::trim(line);
    if (text.starts_with("The command ") || text.starts_with("ERROR: failed to solve") ||
        text.starts_with("error: failed to solve") || text.starts_with("failed to solve"))
      failure.reason = text;
  }
  if (output.size() > maxLines) output.erase(output.begin(), output.end() - static_cast<long>(maxLines));
  failure.output = std::move(output);
  return failure;
}

}  // namespace gardensync::providers
