#include "gardensync/config/template/varfile.h"

#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "gardensync/config/template/yaml_value.h"
#include "gardensync/config/yaml_text.h"
#include "gardensync/util/text.h"

namespace gardensync::config::tmpl {

namespace {

bool isKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == '-';
}

bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }

}  // namespace

Value parseDotenv(std::string_view text) {
  Value out = Value::object();
  size_t pos = 0;
  auto skipLine = [&] {
    size_t end = text.find('\n', pos);
    pos = end == std::string_view::npos ? text.size() : end + 1;
  };
  while (pos < text.size()) {
    while (pos < text.size() && (isBlank(text[pos]) || text[pos] == '\r' || text[pos] == '\n')) ++pos;
    if (pos >= text.size()) break;
    if (text[pos] == '#') {
      skipLine();
      continue;
    }
    if (text.compare(pos, 7, "export ") == 0) {
      pos += 7;
      while (pos < text.size() && isBlank(text[pos])) ++pos;
    }
    const size_t keyStart = pos;
    while (pos < text.size() && isKeyChar(text[pos])) ++pos;
    const std::string key(text.substr(keyStart, pos - keyStart));
    while (pos < text.size() && isBlank(text[pos])) ++pos;
    const bool equals = pos < text.size() && text[pos] == '=';
    const bool colon = pos + 1 < text.size() && text[pos] == ':' && isBlank(text[pos + 1]);
    if (key.empty() || (!equals && !colon)) {
      skipLine();
      continue;
    }
    ++pos;
    while (pos < text.size() && isBlank(text[pos])) ++pos;
    std::string value;
    const char quote = pos < text.size() ? text[pos] : '\0';
    size_t close = std::string_view::npos;
    if (quote == '"' || quote == '\'' || quote == '`') {
      // A quoted value ends at the next unescaped quote of its kind, on this line or a later one.
      size_t at = pos + 1;
      while (at < text.size()) {
        if (text[at] == '\\' && at + 1 < text.size()) {
          at += 2;
          continue;
        }
        if (text[at] == quote) {
          close = at;
          break;
        }
        ++at;
      }
    }
    if (close != std::string_view::npos) {
      value = std::string(text.substr(pos + 1, close - pos - 1));
      if (quote == '"') {
        std::string expanded;
        for (size_t i = 0; i < value.size(); ++i) {
          if (value[i] == '\\' && i + 1 < value.size() && (value[i + 1] == 'n' || value[i + 1] == 'r')) {
            expanded += value[i + 1] == 'n' ? '\n' : '\r';
            ++i;
          } else {
            expanded += value[i];
          }
        }
        value = std::move(expanded);
      }
      pos = close + 1;
      skipLine();
    } else {
      size_t end = pos;
      while (end < text.size() && text[end] != '#' && text[end] != '\r' && text[end] != '\n') ++end;
      value = std::string(text.substr(pos, end - pos));
      while (!value.empty() && isBlank(value.back())) value.pop_back();
      skipLine();
    }
    out[key] = value;
  }
  return out;
}

Value loadVarfile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw VarfileError("cannot be read");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  const std::string name = util::asciiLowercase(file.filename().string());
  if (name.ends_with(".json")) {
    Value parsed;
    try {
      parsed = Value::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
      throw VarfileError(fmt::format("is not valid JSON: {}", e.what()));
    }
    if (!parsed.is_object())
      throw VarfileError(fmt::format("must be a valid plain JSON object, got {}", describe(parsed)));
    return parsed;
  }
  if (name.ends_with(".yml") || name.ends_with(".yaml")) {
    if (auto problem = checkYamlText(text))
      throw VarfileError(fmt::format("is not valid YAML: {} (line {}, column {})", problem->message, problem->line,
                                     problem->column));
    Value parsed;
    try {
      parsed = yamlToValue(YAML::Load(text));
    } catch (const YAML::Exception& e) {
      throw VarfileError(fmt::format("is not valid YAML: {}", e.what()));
    }
    if (!parsed.is_object())
      throw VarfileError(fmt::format("must be a single plain YAML mapping, got {}", describe(parsed)));
    return parsed;
  }
  return parseDotenv(text);
}

}  // namespace gardensync::config::tmpl
