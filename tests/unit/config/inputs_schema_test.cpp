#include "gardensync/config/inputs_schema.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace gardensync::config {
namespace {

using tmpl::Value;

// "inputs.a[0]: message" for each issue.
std::vector<std::string> check(const std::string& schema, Value& inputs) {
  std::vector<std::string> lines;
  for (const auto& issue : applyInputsSchema(Value::parse(schema), inputs)) {
    std::string path = "inputs";
    for (const auto& key : issue.path)
      path += key.is_string() ? "." + key.get<std::string>() : "[" + std::to_string(key.get<int64_t>()) + "]";
    lines.push_back(path + ": " + issue.message);
  }
  return lines;
}

// The schema of Garden's templated-k8s-container example (docs/config-guides/config-templates.md).
constexpr const char* kGardenExample = R"({
  "type": "object",
  "properties": {
    "containerPort": {"type": "integer"},
    "servicePort": {"type": "integer"},
    "replicas": {"type": "integer", "default": 3}
  },
  "required": ["containerPort", "servicePort"]
})";

TEST(InputsSchema, GardensExampleFillsInTheDefault) {
  Value inputs = Value::parse(R"({"containerPort": 8080, "servicePort": 80})");
  EXPECT_TRUE(check(kGardenExample, inputs).empty());
  EXPECT_EQ(inputs, Value::parse(R"({"containerPort": 8080, "servicePort": 80, "replicas": 3})"));
  Value given = Value::parse(R"({"containerPort": 8080, "servicePort": 80, "replicas": 1, "other": true})");
  EXPECT_TRUE(check(kGardenExample, given).empty());  // no additionalProperties: anything else is allowed
  EXPECT_EQ(given["replicas"], 1);
}

TEST(InputsSchema, EachKeywordReportsWhereTheInputIsWrong) {
  struct Case {
    const char* schema;
    const char* inputs;
    std::vector<std::string> errors;
  };
  const Case cases[] = {
      {kGardenExample, R"({"servicePort": 80})", {"inputs.containerPort: is required"}},
      {kGardenExample, R"({"containerPort": "80", "servicePort": 80.5})",
       {"inputs.containerPort: must be an integer, got \"80\"", "inputs.servicePort: must be an integer, got 80.5"}},
      {R"({"properties": {"n": {"type": "number"}}})", R"({"n": 2})", {}},
      {R"({"properties": {"n": {"type": ["string", "null"]}}})", R"({"n": 2})",
       {"inputs.n: must be a string or null, got 2"}},
      {R"({"properties": {"t": {"enum": ["gold", "silver"]}}})", R"({"t": "bronze"})",
       {"inputs.t: must be one of \"gold\", \"silver\", got \"bronze\""}},
      {R"({"properties": {"t": {"const": 1}}})", R"({"t": 2})", {"inputs.t: must be 1, got 2"}},
      {R"({"properties": {"p": {"minimum": 1, "maximum": 10}}})", R"({"p": 0})", {"inputs.p: must be at least 1, got 0"}},
      {R"({"properties": {"p": {"exclusiveMaximum": 10}}})", R"({"p": 10})", {"inputs.p: must be less than 10, got 10"}},
      {R"({"properties": {"s": {"minLength": 2, "pattern": "^[a-z]+$"}}})", R"({"s": "A"})",
       {"inputs.s: must be at least 2 characters long", "inputs.s: must match the pattern ^[a-z]+$, got \"A\""}},
      {R"({"properties": {"l": {"type": "array", "maxItems": 1, "items": {"type": "string"}}}})",
       R"({"l": ["a", 2]})", {"inputs.l: must have at most 1 items", "inputs.l[1]: must be a string, got 2"}},
      {R"({"properties": {"a": {"type": "integer"}}, "additionalProperties": false})", R"({"a": 1, "b": 2})",
       {"inputs.b: is not an input of this template (its inputs: a)"}},
      {R"({"additionalProperties": {"type": "boolean"}})", R"({"x": true, "y": "no"})",
       {"inputs.y: must be a boolean, got \"no\""}},
      {R"({"properties": {"o": {"type": "object", "properties": {"k": {"default": "v"}}, "required": ["k"]}}})",
       R"({"o": {}})", {}},
  };
  for (const auto& c : cases) {
    Value inputs = Value::parse(c.inputs);
    EXPECT_EQ(check(c.schema, inputs), c.errors) << c.schema << " " << c.inputs;
  }
}

TEST(InputsSchema, NestedDefaultsAreFilledWhereTheParentIsGiven) {
  Value inputs = Value::parse(R"({"o": {}})");
  check(R"({"properties": {"o": {"type": "object", "properties": {"k": {"default": "v"}}}}})", inputs);
  EXPECT_EQ(inputs, Value::parse(R"({"o": {"k": "v"}})"));
}

TEST(InputsSchema, TheSchemaMustDescribeAnObject) {
  EXPECT_EQ(checkInputsSchema(Value::parse(kGardenExample)), "");
  EXPECT_EQ(checkInputsSchema(Value::parse(R"({"properties": {}})")), "");
  EXPECT_EQ(checkInputsSchema(Value::parse(R"({"type": "array"})")), "must have \"type\": \"object\", got \"array\"");
  EXPECT_EQ(checkInputsSchema(Value::parse("[1]")), "must be a JSON object, got a list");
}

}  // namespace
}  // namespace gardensync::config
