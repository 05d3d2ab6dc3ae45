// The values Garden's template language computes with: strings, numbers, booleans, null, lists
// and mappings, as JSON. Mappings keep the order their keys were written in, because Garden (a
// JavaScript program) does: `$merge` lets later keys win and `$forEach` over a mapping yields its
// items in that order. The helpers here give these values JavaScript's meaning where Garden
// relies on it: truthiness, `typeof`, `String(value)` and number formatting.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace gardensync::config::tmpl {

using Value = nlohmann::ordered_json;

// JavaScript's `typeof`: "string", "number", "boolean", or "object" for null, lists and mappings.
std::string typeOf(const Value& value);

// A name for messages: "a string", "a number", "a boolean", "null", "a list", "a mapping".
std::string describe(const Value& value);

// JavaScript truthiness: false, 0, NaN, "" and null are false; every list and mapping is true,
// even an empty one (Garden's isTruthy).
bool isTruthy(const Value& value);

bool isNumber(const Value& value);
double toDouble(const Value& value);  // a number's value; 0 for anything else

// A number as a Value: integral values within 2^53 become integers, so they print as `3`.
Value numberValue(double number);

// JavaScript's `String(number)`: 3, 0.5, -1e+21, NaN, Infinity.
std::string formatNumber(double number);

// JavaScript's `String(value)`, as Garden uses it to put a value into a string: numbers as
// above, lists as their items joined with commas, mappings as "[object Object]".
std::string toText(const Value& value);

// JSON.stringify: compact JSON, numbers formatted as above.
std::string toJson(const Value& value);

// Strict equality for primitives; lists and mappings compare by content (Garden compares them by
// reference, where two lists written alike are never equal; by content nothing equal is missed).
bool strictEquals(const Value& a, const Value& b);

// Roughly the bytes a value holds: what the resolve limits of template.h count for a list or a
// mapping.
size_t approximateSize(const Value& value);

// Appends a key to a mapping without looking for it first, so a mapping of n keys builds in
// O(n); the caller knows the key is new.
void appendEntry(Value& mapping, std::string key, Value value);

}  // namespace gardensync::config::tmpl
