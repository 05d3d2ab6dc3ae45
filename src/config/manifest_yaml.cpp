#include "gardensync/config/manifest_yaml.h"

#include <charconv>
#include <cmath>
#include <regex>

#include <fmt/format.h>

namespace gardensync::config {

namespace {

std::optional<long long> parseInteger(std::string_view digits, int base, bool negative) {
  long long value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return negative ? -value : value;
}

std::optional<nlohmann::json> integerValue(std::string_view text) {
  bool negative = false;
  std::string_view digits = text;
  if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) {
    negative = digits.front() == '-';
    digits.remove_prefix(1);
  }
  if (digits.empty()) return std::nullopt;
  std::optional<long long> value;
  if (digits.starts_with("0x") || digits.starts_with("0X")) value = parseInteger(digits.substr(2), 16, negative);
  else if (digits.starts_with("0o")) value = parseInteger(digits.substr(2), 8, negative);
  else if (digits.size() > 1 && digits.front() == '0') value = parseInteger(digits.substr(1), 8, negative);
  else value = parseInteger(digits, 10, negative);
  if (!value) return std::nullopt;
  return nlohmann::json(*value);
}

}  // namespace

nlohmann::json plainScalarValue(std::string_view text) {
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") return nullptr;
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  if (auto integer = integerValue(text)) return *integer;
  static const std::regex kFloat(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  if (std::regex_match(text.begin(), text.end(), kFloat)) return std::stod(std::string(text));
  return std::string(text);
}

std::optional<nlohmann::json> yamlToJson(YamlReader& reader, const YAML::Node& node, const std::string& keyPath) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: return nlohmann::json(nullptr);
    case YAML::NodeType::Scalar: {
      auto text = reader.scalar(node, keyPath);
      if (!text) return std::nullopt;
      // "?" is yaml-cpp's tag of a plain scalar; quoted and block scalars are strings as written.
      if (node.Tag() == "?") return plainScalarValue(*text);
      return nlohmann::json(*text);
    }
    case YAML::NodeType::Sequence: {
      nlohmann::json list = nlohmann::json::array();
      bool ok = true;
      for (size_t i = 0; i < node.size(); ++i) {
        auto item = yamlToJson(reader, node[i], YamlReader::index(keyPath, i));
        if (item) list.push_back(std::move(*item));
        ok = ok && item.has_value();
      }
      if (!ok) return std::nullopt;
      return list;
    }
    case YAML::NodeType::Map: {
      nlohmann::json object = nlohmann::json::object();
      bool ok = true;
      for (const auto& entry : node) {
        if (!entry.first.IsScalar()) {
          reader.error(entry.first, keyPath, "keys must be plain text");
          ok = false;
          continue;
        }
        const std::string key = entry.first.Scalar();
        const std::string path = YamlReader::join(keyPath, key);
        if (!reader.checkPlainText(entry.first, path, key)) {
          ok = false;
          continue;
        }
        auto value = yamlToJson(reader, entry.second, path);
        if (value) object[key] = std::move(*value);
        ok = ok && value.has_value();
      }
      if (!ok) return std::nullopt;
      return object;
    }
  }
  return std::nullopt;
}

}  // namespace gardensync::config
