#include "gardensync/config/inputs_schema.h"

#include <cmath>
#include <regex>

#include <fmt/format.h>

namespace gardensync::config {

namespace {

using tmpl::Value;

// JSON Schema's type names of a value; an integral number is both "integer" and "number".
bool hasType(const Value& value, const std::string& type) {
  if (type == "string") return value.is_string();
  if (type == "boolean") return value.is_boolean();
  if (type == "null") return value.is_null();
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "number") return value.is_number();
  if (type == "integer") {
    if (value.is_number_integer()) return true;
    return value.is_number_float() && std::floor(value.get<double>()) == value.get<double>();
  }
  return true;  // a type JSON Schema does not know restricts nothing
}

std::string article(const std::string& type) {
  if (type == "integer" || type == "object" || type == "array") return "an " + type;
  if (type == "null") return "null";
  return "a " + type;
}

std::string shown(const Value& value) {
  if (value.is_string()) return fmt::format("\"{}\"", value.get<std::string>());
  return tmpl::toJson(value);
}

class Validator {
public:
  explicit Validator(std::vector<SchemaIssue>& issues) : issues_(issues) {}

  void check(const Value& schema, Value& value, std::vector<Value>& path) {
    if (!schema.is_object()) return;
    if (!checkType(schema, value, path)) return;
    if (schema.contains("enum") && schema["enum"].is_array()) {
      bool found = false;
      for (const auto& option : schema["enum"]) found = found || tmpl::strictEquals(option, value);
      if (!found) {
        std::string options;
        for (const auto& option : schema["enum"]) options += (options.empty() ? "" : ", ") + shown(option);
        report(path, fmt::format("must be one of {}, got {}", options, shown(value)));
      }
    }
    if (schema.contains("const") && !tmpl::strictEquals(schema["const"], value))
      report(path, fmt::format("must be {}, got {}", shown(schema["const"]), shown(value)));
    if (value.is_number()) checkNumber(schema, value.get<double>(), path);
    if (value.is_string()) checkString(schema, value.get<std::string>(), path);
    if (value.is_array()) checkArray(schema, value, path);
    if (value.is_object()) checkObject(schema, value, path);
  }

private:
  void report(const std::vector<Value>& path, std::string message) { issues_.push_back({path, std::move(message)}); }

  bool checkType(const Value& schema, const Value& value, const std::vector<Value>& path) {
    if (!schema.contains("type")) return true;
    std::vector<std::string> types;
    if (schema["type"].is_string()) types.push_back(schema["type"].get<std::string>());
    if (schema["type"].is_array())
      for (const auto& type : schema["type"])
        if (type.is_string()) types.push_back(type.get<std::string>());
    if (types.empty()) return true;
    for (const auto& type : types)
      if (hasType(value, type)) return true;
    std::string expected;
    for (size_t i = 0; i < types.size(); ++i)
      expected += (i == 0 ? "" : i + 1 == types.size() ? " or " : ", ") + article(types[i]);
    report(path, fmt::format("must be {}, got {}", expected, shown(value)));
    return false;
  }

  void checkNumber(const Value& schema, double number, const std::vector<Value>& path) {
    auto bound = [&](const char* key, auto fails, const char* words) {
      if (!schema.contains(key) || !schema[key].is_number()) return;
      const double limit = schema[key].get<double>();
      if (fails(number, limit))
        report(path, fmt::format("must be {} {}, got {}", words, tmpl::formatNumber(limit), tmpl::formatNumber(number)));
    };
    bound("minimum", [](double n, double l) { return n < l; }, "at least");
    bound("maximum", [](double n, double l) { return n > l; }, "at most");
    bound("exclusiveMinimum", [](double n, double l) { return n <= l; }, "more than");
    bound("exclusiveMaximum", [](double n, double l) { return n >= l; }, "less than");
  }

  void checkString(const Value& schema, const std::string& text, const std::vector<Value>& path) {
    if (schema.contains("minLength") && schema["minLength"].is_number_integer() &&
        text.size() < schema["minLength"].get<size_t>())
      report(path, fmt::format("must be at least {} characters long", schema["minLength"].get<size_t>()));
    if (schema.contains("maxLength") && schema["maxLength"].is_number_integer() &&
        text.size() > schema["maxLength"].get<size_t>())
      report(path, fmt::format("must be at most {} characters long", schema["maxLength"].get<size_t>()));
    if (schema.contains("pattern") && schema["pattern"].is_string()) {
      try {
        if (!std::regex_search(text, std::regex(schema["pattern"].get<std::string>(), std::regex::ECMAScript)))
          report(path, fmt::format("must match the pattern {}, got {}", schema["pattern"].get<std::string>(),
                                   shown(Value(text))));
      } catch (const std::regex_error&) {
        report(path, fmt::format("the schema's pattern {} is not a valid regular expression",
                                 schema["pattern"].get<std::string>()));
      }
    }
  }

  void checkArray(const Value& schema, Value& list, std::vector<Value>& path) {
    if (schema.contains("minItems") && schema["minItems"].is_number_integer() &&
        list.size() < schema["minItems"].get<size_t>())
      report(path, fmt::format("must have at least {} items", schema["minItems"].get<size_t>()));
    if (schema.contains("maxItems") && schema["maxItems"].is_number_integer() &&
        list.size() > schema["maxItems"].get<size_t>())
      report(path, fmt::format("must have at most {} items", schema["maxItems"].get<size_t>()));
    if (!schema.contains("items") || !schema["items"].is_object()) return;
    for (size_t i = 0; i < list.size(); ++i) {
      path.push_back(static_cast<int64_t>(i));
      check(schema["items"], list[i], path);
      path.pop_back();
    }
  }

  void checkObject(const Value& schema, Value& object, std::vector<Value>& path) {
    const Value properties = schema.contains("properties") && schema["properties"].is_object()
                                 ? schema["properties"]
                                 : Value::object();
    // ajv's useDefaults: a missing property with a default gets it (a copy), and is then checked.
    for (const auto& [key, property] : properties.items())
      if (!object.contains(key) && property.is_object() && property.contains("default"))
        object[key] = property["default"];
    if (schema.contains("required") && schema["required"].is_array())
      for (const auto& key : schema["required"])
        if (key.is_string() && !object.contains(key.get<std::string>())) {
          path.push_back(key);
          report(path, "is required");
          path.pop_back();
        }
    const Value* additional = schema.contains("additionalProperties") ? &schema["additionalProperties"] : nullptr;
    for (auto& [key, item] : object.items()) {
      path.push_back(key);
      if (properties.contains(key)) {
        check(properties[key], item, path);
      } else if (additional && additional->is_boolean() && !additional->get<bool>()) {
        std::string known;
        for (const auto& [name, property] : properties.items()) known += (known.empty() ? "" : ", ") + name;
        report(path, fmt::format("is not an input of this template (its inputs: {})", known.empty() ? "none" : known));
      } else if (additional && additional->is_object()) {
        check(*additional, item, path);
      }
      path.pop_back();
    }
  }

  std::vector<SchemaIssue>& issues_;
};

}  // namespace

std::string checkInputsSchema(const Value& schema) {
  if (!schema.is_object()) return fmt::format("must be a JSON object, got {}", tmpl::describe(schema));
  if (schema.contains("type") && schema["type"] != "object")
    return fmt::format("must have \"type\": \"object\", got {}", shown(schema["type"]));
  return {};
}

std::vector<SchemaIssue> applyInputsSchema(const Value& schema, Value& inputs) {
  std::vector<SchemaIssue> issues;
  std::vector<Value> path;
  Validator(issues).check(schema, inputs, path);
  return issues;
}

}  // namespace gardensync::config
