#include "gardensync/config/template/value.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace gardensync::config::tmpl {

std::string typeOf(const Value& value) {
  if (value.is_string()) return "string";
  if (value.is_number()) return "number";
  if (value.is_boolean()) return "boolean";
  return "object";
}

std::string describe(const Value& value) {
  if (value.is_string()) return "a string";
  if (value.is_number()) return "a number";
  if (value.is_boolean()) return "a boolean";
  if (value.is_null()) return "null";
  if (value.is_array()) return "a list";
  return "a mapping";
}

bool isTruthy(const Value& value) {
  if (value.is_null()) return false;
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_string()) return !value.get_ref<const std::string&>().empty();
  if (value.is_number()) {
    const double number = toDouble(value);
    return number != 0 && !std::isnan(number);
  }
  return true;  // lists and mappings, even empty ones
}

bool isNumber(const Value& value) { return value.is_number(); }

double toDouble(const Value& value) {
  if (value.is_number_integer()) return static_cast<double>(value.get<int64_t>());
  if (value.is_number_unsigned()) return static_cast<double>(value.get<uint64_t>());
  if (value.is_number_float()) return value.get<double>();
  return 0;
}

Value numberValue(double number) {
  constexpr double kMaxSafeInteger = 9007199254740991.0;  // 2^53 - 1, JavaScript's Number.MAX_SAFE_INTEGER
  if (std::isfinite(number) && std::trunc(number) == number && std::fabs(number) <= kMaxSafeInteger)
    return static_cast<int64_t>(number);
  return number;
}

std::string formatNumber(double number) {
  if (std::isnan(number)) return "NaN";
  if (std::isinf(number)) return number > 0 ? "Infinity" : "-Infinity";
  if (number == 0) return "0";
  // The shortest digits that read back as the same double, then ECMAScript's Number::toString
  // layout: plain up to 21 integer digits and down to 1e-6, exponential beyond.
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, std::fabs(number), std::chars_format::scientific);
  if (ec != std::errc()) return "NaN";
  const std::string text(buffer, end);
  const size_t e = text.find('e');
  std::string digits;
  for (size_t i = 0; i < e; ++i)
    if (text[i] != '.') digits += text[i];
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  const int exponent = std::atoi(text.c_str() + e + 1);
  const int k = static_cast<int>(digits.size());
  const int n = exponent + 1;  // the decimal point sits after n digits
  std::string out = number < 0 ? "-" : "";
  if (k <= n && n <= 21) {
    out += digits + std::string(static_cast<size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<size_t>(n)) + "." + digits.substr(static_cast<size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0." + std::string(static_cast<size_t>(-n), '0') + digits;
  } else {
    out += digits.substr(0, 1);
    if (k > 1) out += "." + digits.substr(1);
    out += (n - 1 >= 0 ? "e+" : "e-") + std::to_string(std::abs(n - 1));
  }
  return out;
}

std::string toText(const Value& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number()) return formatNumber(toDouble(value));
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_null()) return "null";
  if (value.is_array()) {
    // Array.prototype.join: null items become empty strings.
    std::string out;
    bool first = true;
    for (const auto& item : value) {
      if (!first) out += ',';
      first = false;
      if (!item.is_null()) out += toText(item);
    }
    return out;
  }
  return "[object Object]";
}

namespace {

void appendJson(const Value& value, std::string& out) {
  if (value.is_number()) {
    const double number = toDouble(value);
    out += std::isfinite(number) ? formatNumber(number) : "null";  // JSON.stringify(NaN) is null
  } else if (value.is_array()) {
    out += '[';
    bool first = true;
    for (const auto& item : value) {
      if (!first) out += ',';
      first = false;
      appendJson(item, out);
    }
    out += ']';
  } else if (value.is_object()) {
    out += '{';
    bool first = true;
    for (const auto& [key, item] : value.items()) {
      if (!first) out += ',';
      first = false;
      out += Value(key).dump(-1, ' ', false, Value::error_handler_t::replace);
      out += ':';
      appendJson(item, out);
    }
    out += '}';
  } else {
    out += value.dump(-1, ' ', false, Value::error_handler_t::replace);
  }
}

}  // namespace

std::string toJson(const Value& value) {
  std::string out;
  appendJson(value, out);
  return out;
}

bool strictEquals(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) return toDouble(a) == toDouble(b);  // NaN is never equal
  return a == b;
}

size_t approximateSize(const Value& value) {
  if (value.is_string()) return value.get_ref<const std::string&>().size();
  if (value.is_array()) {
    size_t size = 2;
    for (const auto& item : value) size += 1 + approximateSize(item);
    return size;
  }
  if (value.is_object()) {
    size_t size = 2;
    for (const auto& [key, item] : value.items()) size += 2 + key.size() + approximateSize(item);
    return size;
  }
  return 8;
}

void appendEntry(Value& mapping, std::string key, Value value) {
  if (!mapping.is_object()) mapping = Value::object();
  mapping.get_ref<Value::object_t&>().emplace_back(std::move(key), std::move(value));
}

}  // namespace gardensync::config::tmpl
