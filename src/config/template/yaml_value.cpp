#include "gardensync/config/template/yaml_value.h"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <unordered_set>

#include <fmt/format.h>

namespace gardensync::config::tmpl {

namespace {

bool allDigits(std::string_view text, bool (*accept)(char)) {
  if (text.empty()) return false;
  for (char c : text)
    if (!accept(c)) return false;
  return true;
}

bool isDecimal(char c) { return c >= '0' && c <= '9'; }
bool isOctal(char c) { return c >= '0' && c <= '7'; }
bool isHex(char c) { return isDecimal(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// YAML 1.2 core float: [-+]? ( \.[0-9]+ | [0-9]+ ( \.[0-9]* )? ) ( [eE][-+]?[0-9]+ )?
bool isFloat(std::string_view text) {
  size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
  size_t digits = 0;
  while (i < text.size() && isDecimal(text[i])) ++i, ++digits;
  size_t fraction = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && isDecimal(text[i])) ++i, ++fraction;
  }
  if (digits == 0 && fraction == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    size_t exponent = 0;
    while (i < text.size() && isDecimal(text[i])) ++i, ++exponent;
    if (exponent == 0) return false;
  }
  return i == text.size();
}

}  // namespace

Value plainScalarValue(const std::string& text, NumberSpelling spelling) {
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") return nullptr;
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  const bool keep = spelling == NumberSpelling::KeepUnusual;
  std::string_view body = text;
  const bool negative = body[0] == '-';
  if (body[0] == '-' || body[0] == '+') body.remove_prefix(1);
  if (allDigits(body, isDecimal)) {
    if (keep && body.size() > 1 && body[0] == '0') return text;  // 0644: permission bits, not 644
    return numberValue(std::strtod(text.c_str(), nullptr));
  }
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'o' || text[1] == 'x')) {
    const std::string_view digits = std::string_view(text).substr(2);
    const bool octal = text[1] == 'o';
    if (!allDigits(digits, octal ? isOctal : isHex)) return text;
    if (keep) return text;
    return numberValue(static_cast<double>(std::strtoull(std::string(digits).c_str(), nullptr, octal ? 8 : 16)));
  }
  if (isFloat(text)) return numberValue(std::strtod(text.c_str(), nullptr));
  if (body == ".inf" || body == ".Inf" || body == ".INF")
    return negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  if (text == ".nan" || text == ".NaN" || text == ".NAN") return std::numeric_limits<double>::quiet_NaN();
  return text;
}

Value yamlToValue(const YAML::Node& node, NumberSpelling spelling) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      // yaml-cpp tags a plain scalar "?" and a quoted one "!"; an explicit tag (!!str) keeps text.
      if (node.Tag() == "?") return plainScalarValue(node.Scalar(), spelling);
      return node.Scalar();
    case YAML::NodeType::Sequence: {
      Value list = Value::array();
      for (const auto& item : node) list.push_back(yamlToValue(item, spelling));
      return list;
    }
    case YAML::NodeType::Map: {
      Value mapping = Value::object();
      std::unordered_set<std::string> seen;  // a key written twice: the first counts, as for YamlReader::child
      for (const auto& entry : node) {
        std::string key = entry.first.IsScalar() ? entry.first.Scalar() : YAML::Dump(entry.first);
        if (!seen.insert(key).second) continue;
        appendEntry(mapping, std::move(key), yamlToValue(entry.second, spelling));
      }
      return mapping;
    }
    default: return nullptr;
  }
}

YAML::Node valueToYaml(const Value& value) {
  if (value.is_null()) return YAML::Node(YAML::NodeType::Null);
  if (value.is_array()) {
    YAML::Node list(YAML::NodeType::Sequence);
    for (const auto& item : value) list.push_back(valueToYaml(item));
    return list;
  }
  if (value.is_object()) {
    YAML::Node mapping(YAML::NodeType::Map);
    for (const auto& [key, item] : value.items()) mapping.force_insert(key, valueToYaml(item));
    return mapping;
  }
  return YAML::Node(toText(value));
}

namespace {

bool isPrintable(std::string_view text) {
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t' && c != '\n') || u == 0x7f) return false;
  }
  return true;
}

bool looksLikeDate(std::string_view text) {
  return text.size() >= 10 && isDecimal(text[0]) && isDecimal(text[1]) && isDecimal(text[2]) && isDecimal(text[3]) &&
         text[4] == '-' && isDecimal(text[5]) && isDecimal(text[6]) && text[7] == '-' && isDecimal(text[8]) &&
         isDecimal(text[9]);
}

// Whether js-yaml writes `text` without quotes: it must read back as the same string.
bool isPlainSafe(const std::string& text) {
  if (text.empty()) return false;
  if (!plainScalarValue(text, NumberSpelling::Typed).is_string() || looksLikeDate(text)) return false;
  if (text.front() == ' ' || text.back() == ' ' || text.front() == '\t' || text.back() == '\t') return false;
  if (std::string_view("-?:,[]{}#&*!|>'\"%@`").find(text.front()) != std::string_view::npos) return false;
  if (text.back() == ':') return false;
  if (text.find(": ") != std::string::npos || text.find(" #") != std::string::npos) return false;
  if (text.find('\n') != std::string::npos || text.find('\t') != std::string::npos) return false;
  return isPrintable(text);
}

std::string doubleQuoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case '\0': out += "\\0"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
          out += fmt::format("\\x{:02X}", static_cast<unsigned char>(c));
        else
          out += c;
    }
  }
  return out + "\"";
}

std::string singleQuoted(std::string_view text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// A string value at `indent` (the indentation of its key or dash).
std::string scalarText(const std::string& text, size_t indent) {
  if (isPlainSafe(text)) return text;
  const bool multiline = text.find('\n') != std::string::npos;
  if (multiline && isPrintable(text) && text.front() != ' ' && text.front() != '\n') {
    // A literal block, with js-yaml's chomping: `|-` without a final line break, `|` with one,
    // `|+` with more.
    size_t trailing = 0;
    while (trailing < text.size() && text[text.size() - 1 - trailing] == '\n') ++trailing;
    std::string out = trailing == 0 ? "|-" : trailing == 1 ? "|" : "|+";
    const std::string body = text.substr(0, text.size() - trailing);
    const std::string pad(indent + 2, ' ');
    size_t start = 0;
    while (start <= body.size()) {
      size_t end = body.find('\n', start);
      if (end == std::string::npos) end = body.size();
      const std::string line = body.substr(start, end - start);
      out += "\n" + (line.empty() ? "" : pad + line);
      start = end + 1;
    }
    for (size_t i = 1; i < trailing; ++i) out += "\n";
    return out;
  }
  return isPrintable(text) && !multiline ? singleQuoted(text) : doubleQuoted(text);
}

std::string scalar(const Value& value, size_t indent) {
  if (value.is_string()) return scalarText(value.get<std::string>(), indent);
  if (value.is_number()) {
    const double number = toDouble(value);
    if (std::isnan(number)) return ".nan";
    if (std::isinf(number)) return number > 0 ? ".inf" : "-.inf";
    return formatNumber(number);
  }
  return toText(value);
}

bool isNonEmptyCollection(const Value& value) {
  return (value.is_array() || value.is_object()) && !value.empty();
}

std::string emptyCollection(const Value& value) { return value.is_array() ? "[]" : "{}"; }

void writeBlock(const Value& value, size_t indent, std::string& out);

// One value after `key:` or `- `: inline when it is a scalar or empty, else on the next lines.
void writeNested(const Value& value, size_t indent, size_t childIndent, std::string& out) {
  if (!isNonEmptyCollection(value)) {
    out += " " + (value.is_array() || value.is_object() ? emptyCollection(value) : scalar(value, indent)) + "\n";
    return;
  }
  out += "\n";
  writeBlock(value, childIndent, out);
}

void writeBlock(const Value& value, size_t indent, std::string& out) {
  const std::string pad(indent, ' ');
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      out += pad + scalarText(key, indent) + ":";
      // js-yaml indents a list under a key like a mapping would be.
      writeNested(item, indent, indent + 2, out);
    }
    return;
  }
  for (const auto& item : value) {
    if (isNonEmptyCollection(item)) {
      // The first line of the item follows the dash: "- a: 1\n  b: 2\n".
      std::string nested;
      writeBlock(item, indent + 2, nested);
      out += pad + "- " + nested.substr(indent + 2);
    } else {
      out += pad + "-";
      writeNested(item, indent, indent + 2, out);
    }
  }
}

}  // namespace

std::string yamlEncode(const Value& value) {
  if (!isNonEmptyCollection(value))
    return (value.is_array() || value.is_object() ? emptyCollection(value) : scalar(value, 0)) + "\n";
  std::string out;
  writeBlock(value, 0, out);
  return out;
}

}  // namespace gardensync::config::tmpl
