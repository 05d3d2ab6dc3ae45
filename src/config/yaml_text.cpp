#include "gardensync/config/yaml_text.h"

#include <fstream>
#include <iterator>
#include <vector>

#include <fmt/format.h>

#include "gardensync/util/text.h"

namespace gardensync::config {

namespace {

struct Line {
  std::string_view text;
  int number;
};

std::vector<Line> splitLines(std::string_view text) {
  std::vector<Line> lines;
  size_t start = 0;
  int number = 1;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back({text.substr(start, end - start), number++});
    if (end == text.size()) break;
    start = end + 1;
  }
  return lines;
}

bool isDocumentMarker(std::string_view line) {
  return line == "---" || line.starts_with("--- ") || line == "..." || line.starts_with("... ");
}

bool isInsignificant(std::string_view line) {
  const std::string trimmed = util::trim(line);
  return trimmed.empty() || trimmed.front() == '#' || trimmed.front() == '%';
}

// A document whose first line starts a block list (`- `) or a block mapping (`key:`): yaml-cpp
// reports stray commas inside those as errors, and loops only on one at the start of a line.
bool startsABlockCollection(std::string_view line) {
  const std::string trimmed = util::trim(line);
  if (trimmed == "-" || trimmed.starts_with("- ")) return true;
  if (trimmed.empty() || trimmed.front() == '[' || trimmed.front() == '{' || trimmed.front() == ',') return false;
  // `key:` or `key: value` with a plain or quoted key.
  size_t at = 0;
  if (trimmed.front() == '"' || trimmed.front() == '\'') {
    const size_t close = trimmed.find(trimmed.front(), 1);
    if (close == std::string::npos) return false;
    at = close + 1;
  }
  const size_t colon = trimmed.find(':', at);
  return colon != std::string::npos && (colon + 1 == trimmed.size() || trimmed[colon + 1] == ' ');
}

// The first ',' outside brackets, quotes and comments in `lines`: anywhere when `anywhere`, else
// only at the start of a line (column 1), where it can never be valid YAML.
std::optional<YamlTextProblem> strayComma(const std::vector<Line>& lines, size_t from, size_t to, bool anywhere) {
  int depth = 0;
  char quote = 0;  // a quoted scalar may span lines
  for (size_t i = from; i < to; ++i) {
    const std::string_view text = lines[i].text;
    for (size_t c = 0; c < text.size(); ++c) {
      const char ch = text[c];
      if (quote) {
        if (quote == '"' && ch == '\\') ++c;
        else if (ch == quote) quote = 0;
        continue;
      }
      const bool tokenStart = c == 0 || std::string_view(" \t[{,:").find(text[c - 1]) != std::string_view::npos;
      if (ch == '#' && (c == 0 || text[c - 1] == ' ' || text[c - 1] == '\t')) break;
      if ((ch == '"' || ch == '\'') && tokenStart) quote = ch;
      else if (ch == '[' || ch == '{') ++depth;
      else if ((ch == ']' || ch == '}') && depth > 0) --depth;
      else if (ch == ',' && depth == 0 && (anywhere || c == 0))
        return YamlTextProblem{lines[i].number, static_cast<int>(c) + 1,
                               "',' outside [ ] or { }: this is not valid YAML (config documents are mappings such "
                               "as `kind: Deploy`)"};
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<YamlTextProblem> checkYamlText(std::string_view text) {
  int line = 1, column = 1;
  for (char ch : text) {
    const auto code = static_cast<unsigned char>(ch);
    if ((code < 0x20 && ch != '\n' && ch != '\t' && ch != '\r') || code == 0x7f)
      return YamlTextProblem{line, column,
                             fmt::format("contains the control character {}, which YAML does not allow in a file",
                                         util::describeControlCharacter(ch))};
    if (ch == '\n') ++line, column = 1;
    else ++column;
  }
  const std::vector<Line> lines = splitLines(text);
  size_t start = 0;
  while (start < lines.size()) {
    size_t end = start;
    while (end < lines.size() && !(end > start && isDocumentMarker(lines[end].text))) ++end;
    size_t first = start;
    if (first < end && isDocumentMarker(lines[first].text)) {
      // `--- value` puts the root on the marker line itself.
      const std::string_view rest = lines[first].text.substr(std::min<size_t>(4, lines[first].text.size()));
      if (!isInsignificant(rest) && !startsABlockCollection(rest)) {
        if (auto problem = strayComma(lines, first, end, true)) return problem;
        start = end;
        continue;
      }
      ++first;
    }
    while (first < end && isInsignificant(lines[first].text)) ++first;
    const bool block = first < end && startsABlockCollection(lines[first].text);
    if (auto problem = strayComma(lines, first, end, !block)) return problem;
    start = end;
  }
  return std::nullopt;
}

std::vector<YAML::Node> loadYamlDocuments(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw YAML::BadFile(path.string());
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (auto problem = checkYamlText(text)) {
    YAML::Mark mark;
    mark.line = problem->line - 1;
    mark.column = problem->column - 1;
    throw YAML::ParserException(mark, problem->message);
  }
  return YAML::LoadAll(text);
}

}  // namespace gardensync::config
