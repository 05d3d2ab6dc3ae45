#include "gardensync/config/template/functions.h"

#include <regex>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "gardensync/config/template/limits.h"
#include "template_helpers.h"

namespace gardensync::config::tmpl {
namespace {

using gardensync::testing::errorOf;
using gardensync::testing::evaluateText;
using ::testing::HasSubstr;
using ::testing::StartsWith;

struct Example {
  const char* function;
  std::vector<Value> arguments;
  Value expected;
};

// Every example of Garden's reference (docs/reference/template-strings/functions.md and the
// exampleArguments in core/src/template/functions/), with the arguments as Garden passes them.
const std::vector<Example>& gardenExamples() {
  static const std::vector<Example> kExamples{
      {"base64Decode", {"bXkgdmFsdWU="}, "my value"},
      {"base64Encode", {"my value"}, "bXkgdmFsdWU="},
      {"camelCase", {"Foo Bar"}, "fooBar"},
      {"camelCase", {"--foo-bar--"}, "fooBar"},
      {"camelCase", {"__FOO_BAR__"}, "fooBar"},
      {"concat", {Value::array({"first", "two"}), Value::array({"second", "list"})},
       Value::array({"first", "two", "second", "list"})},
      {"concat", {Value::array({1, 2, 3}), Value::array({4, 5})}, Value::array({1, 2, 3, 4, 5})},
      {"concat", {"string1", "string2"}, "string1string2"},
      {"formatDate", {"2021-01-01T00:00:00Z", "yyyy-MM-dd"}, "2021-01-01"},
      {"formatDate", {"2021-01-01T00:00:00Z", "yyyy-MM-dd HH:mm:ss"}, "2021-01-01 00:00:00"},
      {"formatDateUtc", {"2021-01-01T00:00:00Z", "yyyy-MM-dd"}, "2021-01-01"},
      {"formatDateUtc", {"2021-01-01T00:00:00+0200", "yyyy-MM-dd"}, "2020-12-31"},
      {"formatDateUtc", {"2021-01-01T00:00:00Z", "yyyy-MM-dd HH:mm:ss"}, "2021-01-01 00:00:00"},
      {"formatDateUtc", {"2021-01-01T00:00:00+0200", "yyyy-MM-dd HH:mm:ss"}, "2020-12-31 22:00:00"},
      {"indent", {"some: multiline\nyaml: document", 2}, "  some: multiline\n  yaml: document"},
      {"indent", {"My\nblock\nof\ntext", 4}, "    My\n    block\n    of\n    text"},
      {"isEmpty", {Value::object()}, true},
      {"isEmpty", {{{"not", "empty"}}}, false},
      {"isEmpty", {Value::array()}, true},
      {"isEmpty", {Value::array({1, 2, 3})}, false},
      {"isEmpty", {""}, true},
      {"isEmpty", {"not empty"}, false},
      {"isEmpty", {nullptr}, true},
      {"join", {Value::array({"some", "list", "of", "strings"}), " "}, "some list of strings"},
      {"join", {Value::array({"some", "list", "of", "strings"}), "."}, "some.list.of.strings"},
      {"jsonDecode", {"{\"foo\": \"bar\"}"}, {{"foo", "bar"}}},
      {"jsonDecode", {"\"JSON encoded string\""}, "JSON encoded string"},
      {"jsonDecode", {"[\"my\", \"json\", \"array\"]"}, Value::array({"my", "json", "array"})},
      {"jsonEncode", {Value::array({"some", "array"})}, "[\"some\",\"array\"]"},
      {"jsonEncode", {{{"some", "object"}}}, "{\"some\":\"object\"}"},
      {"kebabCase", {"Foo Bar"}, "foo-bar"},
      {"kebabCase", {"fooBar"}, "foo-bar"},
      {"kebabCase", {"__FOO_BAR__"}, "foo-bar"},
      {"lower", {"Some String"}, "some string"},
      {"modifyDate", {"2021-01-01T00:00:00.234Z", 345, "milliseconds"}, "2021-01-01T00:00:00.345Z"},
      {"modifyDate", {"2021-01-01T00:00:05Z", 30, "seconds"}, "2021-01-01T00:00:30.000Z"},
      {"modifyDate", {"2021-01-01T00:01:00Z", 15, "minutes"}, "2021-01-01T00:15:00.000Z"},
      {"modifyDateUtc", {"2021-01-01T12:00:00Z", 11, "hours"}, "2021-01-01T11:00:00.000Z"},
      {"modifyDateUtc", {"2021-01-01T10:00:00+0200", 11, "hours"}, "2021-01-01T11:00:00.000Z"},
      {"modifyDate", {"2021-01-31T00:00:00Z", 1, "days"}, "2021-01-01T00:00:00.000Z"},
      {"modifyDate", {"2021-03-01T00:00:00Z", 0, "months"}, "2021-01-01T00:00:00.000Z"},
      {"modifyDate", {"2021-01-01T00:00:00Z", 2024, "years"}, "2024-01-01T00:00:00.000Z"},
      {"range", {1, 5}, Value::array({1, 2, 3, 4, 5})},
      {"replace", {"string_with_underscores", "_", "-"}, "string-with-underscores"},
      {"replace", {"remove.these.dots", ".", ""}, "removethesedots"},
      {"sha256", {"Some String"}, "7f0fd64653ba0bb1a579ced2b6bf375e916cc60662109ee0c0b24f0a750c3a6c"},
      {"shiftDate", {"2021-01-01T00:00:00Z", 1, "seconds"}, "2021-01-01T00:00:01.000Z"},
      {"shiftDate", {"2021-01-01T00:00:00Z", -1, "seconds"}, "2020-12-31T23:59:59.000Z"},
      {"shiftDate", {"2021-01-01T00:00:00Z", 1, "minutes"}, "2021-01-01T00:01:00.000Z"},
      {"shiftDate", {"2021-01-01T00:00:00Z", -1, "minutes"}, "2020-12-31T23:59:00.000Z"},
      {"shiftDate", {"2021-01-01T00:00:00Z", 1, "hours"}, "2021-01-01T01:00:00.000Z"},
      {"shiftDate", {"2021-01-01T00:00:00Z", -1, "hours"}, "2020-12-31T23:00:00.000Z"},
      {"shiftDateUtc", {"2021-01-01T10:00:00+0200", 1, "hours"}, "2021-01-01T09:00:00.000Z"},
      {"shiftDate", {"2021-01-01T00:00:00Z", 1, "days"}, "2021-01-02T00:00:00.000Z"},
      {"shiftDate", {"2021-01-01T00:00:00Z", -1, "days"}, "2020-12-31T00:00:00.000Z"},
      {"shiftDate", {"2021-01-01T00:00:00Z", 1, "months"}, "2021-02-01T00:00:00.000Z"},
      {"shiftDate", {"2021-01-01T00:00:00Z", -1, "months"}, "2020-12-01T00:00:00.000Z"},
      {"shiftDate", {"2021-01-01T00:00:00Z", 1, "years"}, "2022-01-01T00:00:00.000Z"},
      {"shiftDate", {"2021-01-01T00:00:00Z", -1, "years"}, "2020-01-01T00:00:00.000Z"},
      {"slice", {"ThisIsALongStringThatINeedAPartOf", 11, -7}, "StringThatINeed"},
      {"slice", {".foo", 1}, "foo"},
      {"split", {"a,b,c", ","}, Value::array({"a", "b", "c"})},
      {"split", {"1:2:3:4", ":"}, Value::array({"1", "2", "3", "4"})},
      {"string", {1}, "1"},
      {"string", {true}, "true"},
      {"trim", {"   some string with surrounding whitespace "}, "some string with surrounding whitespace"},
      {"upper", {"Some String"}, "SOME STRING"},
      {"yamlDecode", {"a: 1\nb: 2\n"}, {{"a", 1}, {"b", 2}}},
      {"yamlDecode", {"a: 1\nb: 2\n---\na: 3\nb: 4\n", true}, Value::array({{{"a", 1}, {"b", 2}}, {{"a", 3}, {"b", 4}}})},
      {"yamlEncode", {{{"my", "simple document"}}}, "my: simple document\n"},
      {"yamlEncode", {Value::array({{{"a", 1}, {"b", 2}}, {{"a", 3}, {"b", 4}}}), true}, "---a: 1\nb: 2\n---a: 3\nb: 4\n"},
  };
  return kExamples;
}

Arguments argumentsOf(const std::vector<Value>& list) {
  Arguments arguments;
  for (const auto& item : list) arguments.emplace_back(item);
  return arguments;
}

TEST(TemplateFunctions, GardensDocumentedExamples) {
  for (const auto& example : gardenExamples()) {
    SCOPED_TRACE(std::string(example.function) + Value(example.arguments).dump());
    EXPECT_EQ(callFunction(example.function, argumentsOf(example.arguments)), example.expected);
  }
}

TEST(TemplateFunctions, EveryHelperHasADocumentedExample) {
  for (const auto& name : functionNames()) {
    if (name == "uuidv4") continue;  // random: checked by its shape below
    const bool covered = std::any_of(gardenExamples().begin(), gardenExamples().end(),
                                     [&](const Example& example) { return example.function == name; });
    EXPECT_TRUE(covered) << name;
  }
}

TEST(TemplateFunctions, Uuidv4IsARandomVersion4Uuid) {
  const std::string first = callFunction("uuidv4", {}).get<std::string>();
  EXPECT_TRUE(std::regex_match(first, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << first;
  EXPECT_NE(first, callFunction("uuidv4", {}).get<std::string>());
}

// The same examples written as template strings, as a config holds them.
TEST(TemplateFunctions, ExamplesAsTemplateStrings) {
  EXPECT_EQ(evaluateText("${kebabCase(\"Foo Bar\")}"), "foo-bar");
  EXPECT_EQ(evaluateText("${camelCase('__FOO_BAR__')}"), "fooBar");
  EXPECT_EQ(evaluateText("${base64Decode(\"bXkgdmFsdWU=\")}"), "my value");
  EXPECT_EQ(evaluateText("${concat([\"first\",\"two\"], [\"second\",\"list\"])}"),
            Value::array({"first", "two", "second", "list"}));
  EXPECT_EQ(evaluateText("${indent(\"My\\nblock\", 4)}"), "    My\n    block");
  EXPECT_EQ(evaluateText("${jsonDecode(\"{\\\"foo\\\": \\\"bar\\\"}\")}"), Value({{"foo", "bar"}}));
  EXPECT_EQ(evaluateText("${join(split(\"a,b,c\", \",\"), \"-\")}"), "a-b-c");
  EXPECT_EQ(evaluateText("${slice(\"ThisIsALongStringThatINeedAPartOf\", 11, -7)}"), "StringThatINeed");
  EXPECT_EQ(evaluateText("${isEmpty([])}"), true);
  EXPECT_EQ(evaluateText("${string(1)}-${string(true)}"), "1-true");
  EXPECT_EQ(evaluateText("${yamlDecode(\"a: 1\\nb: 2\\n\").b}"), 2);
  EXPECT_EQ(evaluateText("${split(\"a,b\", \",\")[1]}"), "b");
}

TEST(TemplateFunctions, BehaviourBeyondTheExamples) {
  // lodash words: digits are words of their own, acronyms end before a capitalized word.
  EXPECT_EQ(callFunction("kebabCase", {Value("version2Beta")}), "version-2-beta");
  EXPECT_EQ(callFunction("kebabCase", {Value("XMLHttpRequest")}), "xml-http-request");
  EXPECT_EQ(callFunction("camelCase", {Value("my_user-name")}), "myUserName");
  // indent-string leaves blank lines alone.
  EXPECT_EQ(callFunction("indent", {Value("a\n\nb"), Value(2)}), "  a\n\n  b");
  // JavaScript's replace patterns in the replacement: $& is the match.
  EXPECT_EQ(callFunction("replace", {Value("a.b"), Value("."), Value("[$&]")}), "a[.]b");
  // slice counts characters, not bytes, and takes numeric strings.
  EXPECT_EQ(callFunction("slice", {Value("héllo"), Value("1"), Value(3)}), "él");
  EXPECT_EQ(callFunction("slice", {Value::array({1, 2, 3}), Value(-2)}), Value::array({2, 3}));
  EXPECT_EQ(callFunction("trim", {Value("--x--"), Value("-")}), "x");
  EXPECT_EQ(callFunction("split", {Value("abc"), Value("")}), Value::array({"a", "b", "c"}));
  EXPECT_EQ(callFunction("join", {Value::array({1, true, nullptr, "x"}), Value(",")}), "1,true,,x");
  EXPECT_EQ(callFunction("range", {Value(3), Value(1)}), Value::array({3}));  // lodash range(3, 2) stops before 2
  EXPECT_EQ(callFunction("base64Decode", {Value("bXkg dmFs\ndWU")}), "my value");  // Node skips what is not base64
  EXPECT_EQ(callFunction("yamlEncode", {Value({{"list", Value::array({1, "two"})}, {"empty", Value::object()}})}),
            "list:\n  - 1\n  - two\nempty: {}\n");
  EXPECT_EQ(callFunction("yamlEncode", {Value({{"quoted", "true"}, {"text", "a: b"}, {"lines", "x\ny\n"}})}),
            "quoted: 'true'\ntext: 'a: b'\nlines: |\n  x\n  y\n");
  EXPECT_EQ(callFunction("formatDate", {Value("2021-03-04T05:06:07.089Z"), Value("EEEE d MMMM yy, h:mm a 'at' SSS")}),
            "Thursday 4 March 21, 5:06 AM at 089");
  EXPECT_EQ(callFunction("shiftDate", {Value("2021-01-31T10:00:00Z"), Value(1), Value("months")}),
            "2021-02-28T10:00:00.000Z");  // date-fns keeps the day within the month
}

TEST(TemplateFunctions, ArgumentsAreCheckedAsGardenDoes) {
  EXPECT_THAT(errorOf("${kebabCase()}"),
              HasSubstr("Missing argument 'string' (at index 0) for kebabCase helper function."));
  EXPECT_THAT(errorOf("${kebabCase(1)}"),
              HasSubstr("argument 'string' for kebabCase helper function must be a string, got a number"));
  EXPECT_THAT(errorOf("${isEmpty(1)}"), HasSubstr("must be a mapping, a list, a string or null"));
  EXPECT_THAT(errorOf("${concat(\"a\", [1])}"),
              HasSubstr("Error from helper function concat: Both terms need to be either arrays or strings (got "
                        "string and object)."));
  EXPECT_THAT(errorOf("${jsonDecode(\"{\")}"), HasSubstr("Error from helper function jsonDecode: SyntaxError"));
  EXPECT_THAT(errorOf("${shiftDate(\"not a date\", 1, \"days\")}"), HasSubstr("RangeError: Invalid time value"));
  EXPECT_THAT(errorOf("${shiftDate(\"2021-01-01\", 1, \"fortnights\")}"), HasSubstr("argument 'unit' must be one of"));
  EXPECT_THAT(errorOf("${formatDate(\"2021-01-01\", \"yyyy-MM-dd Q x f\")}"),
              HasSubstr("unescaped latin alphabet character `f`"));
  // Numbers given as text are converted, as Joi does.
  EXPECT_EQ(evaluateText("${indent(\"a\", \"2\")}"), "  a");
}

TEST(TemplateFunctions, UnknownFunctionsNameTheClosest) {
  EXPECT_THAT(errorOf("${kebabcase(\"x\")}"),
              AllOf(HasSubstr("Could not find helper function 'kebabcase'. Did you mean 'kebabCase'?"),
                    HasSubstr("Available helper functions: base64Decode, base64Encode, camelCase")));
}

// A helper must not turn a small config into gigabytes.
TEST(TemplateFunctions, OutputIsLimitedToOneMiB) {
  EXPECT_THAT(errorOf("${indent(\"x\", 2000000)}"), HasSubstr(tooLargeMessage()));
  EXPECT_THAT(errorOf("${range(1, 1000000000)}"), HasSubstr(tooLargeMessage()));
  const std::string kilobyte(1025, 'a');  // 1025 * 1025 bytes pass 1 MiB
  TemplateContext context = gardensync::testing::sampleContext();
  context.variables["kb"] = kilobyte;
  EXPECT_THAT(errorOf("${replace(var.kb, \"a\", var.kb)}", context), HasSubstr(tooLargeMessage()));
}

}  // namespace
}  // namespace gardensync::config::tmpl
