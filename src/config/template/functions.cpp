#include "gardensync/config/template/functions.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <random>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "gardensync/config/template/dates.h"
#include "gardensync/config/template/limits.h"
#include "gardensync/config/template/suggest.h"
#include "gardensync/config/template/text_case.h"
#include "gardensync/config/template/yaml_value.h"
#include "gardensync/config/yaml_text.h"
#include "gardensync/util/hash.h"

namespace gardensync::config::tmpl {

namespace {

// What an argument must be, as Garden's Joi schema for it says.
enum class Kind {
  String,
  Number,          // also a numeric string, which Joi converts
  Boolean,         // also "true"/"false"
  Any,             // anything but undefined
  StringOrArray,   // concat, slice
  StringOrNumber,  // slice's offsets
  EmptyCheckable,  // isEmpty: a mapping, a list, a string or null
  PrimitiveList,   // join: a list of strings, numbers, booleans or null
};

struct Parameter {
  const char* name;
  Kind kind;
  bool required;
};

using Args = std::vector<Value>;  // after checking; null where an optional argument was not given
using Body = Value (*)(const Args&);

struct Spec {
  const char* name;
  std::vector<Parameter> parameters;
  Body body;
};

[[noreturn]] void fail(const std::string& message) { throw FunctionError(message); }

// Strings a helper builds stay within the per-string limit (a `replace` of every character by a
// long text, an indent of a billion spaces).
void checkSize(size_t bytes) {
  if (bytes > kMaxResolvedBytes) fail(tooLargeMessage());
}

const std::string& text(const Value& value) { return value.get_ref<const std::string&>(); }

// The UTF-8 characters of a string, for the helpers that count characters (slice, split on "").
std::vector<std::string> characters(const std::string& s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    length = std::min(length, s.size() - i);
    out.push_back(s.substr(i, length));
    i += length;
  }
  return out;
}

// --- the helpers ---

Value base64Encode(const Args& a) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::string& in = text(a[0]);
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < in.size()) {
    unsigned n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  checkSize(out.size());
  return out;
}

// Node's Buffer.from(s, "base64"): both alphabets (+/ and -_), characters outside them skipped,
// decoding stops at the first "=".
Value base64Decode(const Args& a) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text(a[0])) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+' || c == '-') v = 62;
    else if (c == '/' || c == '_') v = 63;
    else if (c == '=') break;
    else continue;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

Value camelCaseHelper(const Args& a) { return camelCase(text(a[0])); }
Value kebabCaseHelper(const Args& a) { return kebabCase(text(a[0])); }

Value concat(const Args& a) {
  if (a[0].is_string() && a[1].is_string()) {
    checkSize(text(a[0]).size() + text(a[1]).size());
    return text(a[0]) + text(a[1]);
  }
  if (a[0].is_array() && a[1].is_array()) {
    Value out = a[0];
    for (const auto& item : a[1]) out.push_back(item);
    checkSize(approximateSize(out));
    return out;
  }
  fail(fmt::format("Both terms need to be either arrays or strings (got {} and {}).", typeOf(a[0]), typeOf(a[1])));
}

// indent-string: every line that is not blank gets the spaces.
Value indent(const Args& a) {
  const double count = toDouble(a[1]);
  if (count < 0) fail(fmt::format("Expected `count` to be at least 0, got `{}`", formatNumber(count)));
  if (std::trunc(count) != count) fail("argument 'spaces' must be an integer");
  const std::string& in = text(a[0]);
  const size_t lines = static_cast<size_t>(std::count(in.begin(), in.end(), '\n')) + 1;
  if (count * static_cast<double>(lines) + static_cast<double>(in.size()) > static_cast<double>(kMaxResolvedBytes))
    fail(tooLargeMessage());
  const std::string pad(static_cast<size_t>(count), ' ');
  std::string out;
  size_t start = 0;
  while (start <= in.size()) {
    size_t end = in.find('\n', start);
    if (end == std::string::npos) end = in.size();
    const std::string_view line(in.data() + start, end - start);
    if (line.find_first_not_of(" \t\r\v\f") != std::string_view::npos) out += pad;
    out += line;
    if (end < in.size()) out += '\n';
    start = end + 1;
  }
  return out;
}

Value isEmpty(const Args& a) {
  const Value& v = a[0];
  if (v.is_null()) return true;  // also undefined, which arrives as null
  if (v.is_string()) return text(v).empty();
  return v.empty();
}

Value join(const Args& a) {
  std::string out;
  bool first = true;
  for (const auto& item : a[0]) {
    if (!first) out += text(a[1]);
    first = false;
    if (!item.is_null()) out += toText(item);
    checkSize(out.size());
  }
  return out;
}

Value jsonDecode(const Args& a) {
  try {
    return Value::parse(text(a[0]));
  } catch (const nlohmann::json::parse_error& e) {
    fail(fmt::format("SyntaxError: {}", e.what()));
  }
}

Value jsonEncode(const Args& a) {
  std::string out = toJson(a[0]);
  checkSize(out.size());
  return out;
}

Value lower(const Args& a) {
  std::string out = text(a[0]);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Value upper(const Args& a) {
  std::string out = text(a[0]);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// lodash range(first, last + 1): steps of 1, or of -1 when counting down.
Value range(const Args& a) {
  const double first = toDouble(a[0]);
  const double end = toDouble(a[1]) + 1;
  const double step = first > end ? -1 : 1;
  const double count = std::max(std::ceil((end - first) / step), 0.0);
  if (!std::isfinite(count) || count * 8 > static_cast<double>(kMaxResolvedBytes)) fail(tooLargeMessage());
  Value out = Value::array();
  for (size_t i = 0; i < static_cast<size_t>(count); ++i) out.push_back(numberValue(first + step * static_cast<double>(i)));
  return out;
}

// String.prototype.replace with a global regular expression of the escaped substring: every
// occurrence, and the replacement's $$, $&, $` and $' patterns as JavaScript reads them.
Value replace(const Args& a) {
  const std::string& in = text(a[0]);
  const std::string& needle = text(a[1]);
  const std::string& replacement = text(a[2]);
  auto expand = [&](size_t at, std::string& out) {
    for (size_t i = 0; i < replacement.size(); ++i) {
      if (replacement[i] != '$' || i + 1 == replacement.size()) {
        out += replacement[i];
        continue;
      }
      const char next = replacement[i + 1];
      if (next == '$') out += '$';
      else if (next == '&') out += needle;
      else if (next == '`') out += in.substr(0, at);
      else if (next == '\'') out += in.substr(at + needle.size());
      else {
        out += '$';
        continue;
      }
      ++i;
    }
    checkSize(out.size());
  };
  std::string out;
  if (needle.empty()) {
    // An empty pattern matches before every character and at the end.
    size_t at = 0;
    for (const auto& ch : characters(in)) {
      expand(at, out);
      out += ch;
      at += ch.size();
    }
    expand(at, out);
    return out;
  }
  size_t pos = 0;
  while (true) {
    size_t found = in.find(needle, pos);
    if (found == std::string::npos) break;
    out.append(in, pos, found - pos);
    expand(found, out);
    pos = found + needle.size();
  }
  out.append(in, pos);
  checkSize(out.size());
  return out;
}

Value sha256(const Args& a) { return util::sha256Hex(text(a[0])); }

// parseInt for slice's offsets given as strings.
double sliceIndex(const Value& value, const char* which) {
  if (value.is_number()) return toDouble(value);
  const std::string& s = text(value);
  char* end = nullptr;
  const long parsed = std::strtol(s.c_str(), &end, 10);
  if (end == s.c_str()) fail(fmt::format("{} index must be a number or a numeric string (got \"{}\")", which, s));
  return static_cast<double>(parsed);
}

// Array.prototype.slice / String.prototype.slice offsets: negative counts from the end.
size_t clampIndex(double index, size_t length) {
  const double n = static_cast<double>(length);
  if (std::isnan(index)) return 0;
  index = std::trunc(index);
  if (index < 0) index = std::max(n + index, 0.0);
  return static_cast<size_t>(std::min(index, n));
}

Value slice(const Args& a) {
  const Value& input = a[0];
  const double start = sliceIndex(a[1], "start");
  // Garden checks `!!end`: an end of 0 means "to the end".
  const bool hasEnd = !a[2].is_null() && isTruthy(a[2]);
  if (input.is_string()) {
    const auto chars = characters(text(input));
    const size_t from = clampIndex(start, chars.size());
    const size_t to = hasEnd ? clampIndex(sliceIndex(a[2], "end"), chars.size()) : chars.size();
    std::string out;
    for (size_t i = from; i < to; ++i) out += chars[i];
    return out;
  }
  const size_t from = clampIndex(start, input.size());
  const size_t to = hasEnd ? clampIndex(sliceIndex(a[2], "end"), input.size()) : input.size();
  Value out = Value::array();
  for (size_t i = from; i < to; ++i) out.push_back(input[i]);
  return out;
}

Value split(const Args& a) {
  const std::string& in = text(a[0]);
  const std::string& separator = text(a[1]);
  Value out = Value::array();
  if (separator.empty()) {
    for (auto& ch : characters(in)) out.push_back(std::move(ch));
    return out;
  }
  size_t pos = 0;
  while (true) {
    size_t found = in.find(separator, pos);
    if (found == std::string::npos) break;
    out.push_back(in.substr(pos, found - pos));
    pos = found + separator.size();
  }
  out.push_back(in.substr(pos));
  return out;
}

Value string(const Args& a) { return toText(a[0]); }

// lodash trim: whitespace, or the characters given.
Value trim(const Args& a) {
  const auto chars = characters(text(a[0]));
  auto strip = [&](const std::string& ch) {
    if (!a[1].is_null()) return text(a[1]).find(ch) != std::string::npos;
    static const std::vector<std::string> kWhitespace{" ", "\t", "\n", "\r", "\v", "\f", "\xC2\xA0", "\xEF\xBB\xBF",
                                                      "\xE2\x80\xA8", "\xE2\x80\xA9", "\xE3\x80\x80"};
    return std::find(kWhitespace.begin(), kWhitespace.end(), ch) != kWhitespace.end();
  };
  size_t from = 0, to = chars.size();
  while (from < to && strip(chars[from])) ++from;
  while (to > from && strip(chars[to - 1])) --to;
  std::string out;
  for (size_t i = from; i < to; ++i) out += chars[i];
  return out;
}

Value uuidv4(const Args&) {
  static thread_local std::mt19937_64 generator{std::random_device{}()};
  unsigned char bytes[16];
  for (int i = 0; i < 16; i += 8) {
    const uint64_t r = generator();
    for (int j = 0; j < 8; ++j) bytes[i + j] = static_cast<unsigned char>(r >> (8 * j));
  }
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += fmt::format("{:02x}", bytes[i]);
  }
  return out;
}

Value yamlDecode(const Args& a) {
  // yaml-cpp loops forever on some invalid text (yaml_text.h): refuse it first.
  if (auto problem = checkYamlText(text(a[0])))
    fail(fmt::format("YAMLException: {} (line {}, column {})", problem->message, problem->line, problem->column));
  try {
    if (!a[1].is_null() && a[1].get<bool>()) {
      Value out = Value::array();
      for (const auto& document : YAML::LoadAll(text(a[0]))) out.push_back(yamlToValue(document, NumberSpelling::Typed));
      return out;
    }
    return yamlToValue(YAML::Load(text(a[0])), NumberSpelling::Typed);
  } catch (const YAML::Exception& e) {
    fail(fmt::format("YAMLException: {}", e.msg));
  }
}

Value yamlEncodeHelper(const Args& a) {
  if (!a[1].is_null() && a[1].get<bool>()) {
    if (!a[0].is_array()) fail(fmt::format("yamlEncode: Set multiDocument=true but value is not an array (got {})",
                                           typeOf(a[0])));
    std::string out;
    for (const auto& document : a[0]) {
      out += "---" + yamlEncode(document);
      checkSize(out.size());
    }
    return out;
  }
  std::string out = yamlEncode(a[0]);
  checkSize(out.size());
  return out;
}

int64_t dateArgument(const Value& value) {
  try {
    return parseDate(text(value));
  } catch (const std::invalid_argument&) {
    fail("RangeError: Invalid time value");
  }
}

Value formatDateHelper(const Args& a) {
  try {
    return formatDate(dateArgument(a[0]), text(a[1]));
  } catch (const std::invalid_argument& e) {
    fail(fmt::format("RangeError: {}", e.what()));
  }
}

void checkUnit(const Value& unit, std::initializer_list<const char*> units) {
  for (const char* valid : units)
    if (text(unit) == valid) return;
  std::string list;
  for (const char* valid : units) list += (list.empty() ? "" : ", ") + std::string(valid);
  fail(fmt::format("argument 'unit' must be one of {} (got \"{}\")", list, text(unit)));
}

Value shiftDateHelper(const Args& a) {
  checkUnit(a[2], {"years", "months", "weeks", "days", "hours", "minutes", "seconds"});
  try {
    return toIsoString(shiftDate(dateArgument(a[0]), toDouble(a[1]), text(a[2])));
  } catch (const std::invalid_argument& e) {
    fail(fmt::format("RangeError: {}", e.what()));
  }
}

Value modifyDateHelper(const Args& a) {
  checkUnit(a[2], {"years", "months", "days", "hours", "minutes", "seconds", "milliseconds"});
  try {
    return toIsoString(modifyDate(dateArgument(a[0]), toDouble(a[1]), text(a[2])));
  } catch (const std::invalid_argument& e) {
    fail(fmt::format("RangeError: {}", e.what()));
  }
}

const std::vector<Spec>& specs() {
  static const std::vector<Spec> kSpecs = [] {
    const std::vector<Parameter> date{{"date", Kind::String, true}, {"format", Kind::String, true}};
    const std::vector<Parameter> dateUnit{
        {"date", Kind::String, true}, {"amount", Kind::Number, true}, {"unit", Kind::String, true}};
    std::vector<Spec> list{
        {"base64Decode", {{"string", Kind::String, true}}, base64Decode},
        {"base64Encode", {{"string", Kind::String, true}}, base64Encode},
        {"camelCase", {{"string", Kind::String, true}}, camelCaseHelper},
        {"concat", {{"arg1", Kind::StringOrArray, true}, {"arg2", Kind::StringOrArray, true}}, concat},
        {"formatDate", date, formatDateHelper},
        {"formatDateUtc", date, formatDateHelper},
        {"indent", {{"string", Kind::String, true}, {"spaces", Kind::Number, true}}, indent},
        {"isEmpty", {{"value", Kind::EmptyCheckable, false}}, isEmpty},
        {"join", {{"input", Kind::PrimitiveList, true}, {"separator", Kind::String, true}}, join},
        {"jsonDecode", {{"string", Kind::String, true}}, jsonDecode},
        {"jsonEncode", {{"value", Kind::Any, true}}, jsonEncode},
        {"kebabCase", {{"string", Kind::String, true}}, kebabCaseHelper},
        {"lower", {{"string", Kind::String, true}}, lower},
        {"modifyDate", dateUnit, modifyDateHelper},
        {"modifyDateUtc", dateUnit, modifyDateHelper},
        {"range", {{"first", Kind::Number, true}, {"last", Kind::Number, true}}, range},
        {"replace",
         {{"string", Kind::String, true}, {"substring", Kind::String, true}, {"replacement", Kind::String, true}},
         replace},
        {"sha256", {{"string", Kind::String, true}}, sha256},
        {"shiftDate", dateUnit, shiftDateHelper},
        {"shiftDateUtc", dateUnit, shiftDateHelper},
        {"slice",
         {{"input", Kind::StringOrArray, true}, {"start", Kind::StringOrNumber, true}, {"end", Kind::StringOrNumber, false}},
         slice},
        {"split", {{"string", Kind::String, true}, {"separator", Kind::String, true}}, split},
        {"string", {{"value", Kind::Any, true}}, string},
        {"trim", {{"string", Kind::String, true}, {"characters", Kind::String, false}}, trim},
        {"upper", {{"string", Kind::String, true}}, upper},
        {"uuidv4", {}, uuidv4},
        {"yamlDecode", {{"string", Kind::String, true}, {"multiDocument", Kind::Boolean, false}}, yamlDecode},
        {"yamlEncode", {{"value", Kind::Any, true}, {"multiDocument", Kind::Boolean, false}}, yamlEncodeHelper},
    };
    return list;
  }();
  return kSpecs;
}

const char* expected(Kind kind) {
  switch (kind) {
    case Kind::String: return "a string";
    case Kind::Number: return "a number";
    case Kind::Boolean: return "a boolean";
    case Kind::Any: return "a value";
    case Kind::StringOrArray: return "a string or a list";
    case Kind::StringOrNumber: return "a number or a numeric string";
    case Kind::EmptyCheckable: return "a mapping, a list, a string or null";
    case Kind::PrimitiveList: return "a list of strings, numbers or booleans";
  }
  return "a value";
}

// Checks (and, as Joi does, converts) one argument.
std::optional<Value> accept(Kind kind, const Value& value) {
  switch (kind) {
    case Kind::String:
      if (value.is_string()) return value;
      return std::nullopt;
    case Kind::Number:
      if (value.is_number()) return value;
      if (value.is_string()) {
        const std::string& s = text(value);
        char* end = nullptr;
        const double parsed = std::strtod(s.c_str(), &end);
        if (!s.empty() && end == s.c_str() + s.size()) return numberValue(parsed);
      }
      return std::nullopt;
    case Kind::Boolean:
      if (value.is_boolean()) return value;
      if (value.is_string() && (text(value) == "true" || text(value) == "false")) return Value(text(value) == "true");
      return std::nullopt;
    case Kind::Any: return value;
    case Kind::StringOrArray:
      if (value.is_string() || value.is_array()) return value;
      return std::nullopt;
    case Kind::StringOrNumber:
      if (value.is_string() || value.is_number()) return value;
      return std::nullopt;
    case Kind::EmptyCheckable:
      if (value.is_object() || value.is_array() || value.is_string() || value.is_null()) return value;
      return std::nullopt;
    case Kind::PrimitiveList:
      if (!value.is_array()) return std::nullopt;
      for (const auto& item : value)
        if (item.is_array() || item.is_object()) return std::nullopt;
      return value;
  }
  return std::nullopt;
}

}  // namespace

Value callFunction(std::string_view name, const Arguments& arguments) {
  const auto& all = specs();
  auto spec = std::find_if(all.begin(), all.end(), [&](const Spec& s) { return s.name == name; });
  if (spec == all.end()) {
    const auto names = functionNames();
    std::string message = fmt::format("Could not find helper function '{}'.", name);
    if (auto close = closestName(name, names)) message += fmt::format(" Did you mean '{}'?", *close);
    message += fmt::format(" Available helper functions: {}", fmt::join(names, ", "));
    fail(message);
  }
  Args args;
  for (size_t i = 0; i < spec->parameters.size(); ++i) {
    const Parameter& parameter = spec->parameters[i];
    const std::optional<Value> given = i < arguments.size() ? arguments[i] : std::nullopt;
    if (!given) {
      if (parameter.required)
        fail(fmt::format("Missing argument '{}' (at index {}) for {} helper function.", parameter.name, i, spec->name));
      args.emplace_back(nullptr);
      continue;
    }
    auto checked = accept(parameter.kind, *given);
    if (!checked)
      fail(fmt::format("argument '{}' for {} helper function must be {}, got {}", parameter.name, spec->name,
                       expected(parameter.kind), describe(*given)));
    args.push_back(std::move(*checked));
  }
  try {
    return spec->body(args);
  } catch (const FunctionError& e) {
    throw FunctionError(fmt::format("Error from helper function {}: {}", spec->name, e.what()));
  }
}

std::vector<std::string> functionNames() {
  std::vector<std::string> names;
  for (const auto& spec : specs()) names.emplace_back(spec.name);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace gardensync::config::tmpl
