#include "gardensync/config/template/evaluator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "template_helpers.h"

namespace gardensync::config::tmpl {
namespace {

using gardensync::testing::errorOf;
using gardensync::testing::evaluateText;
using ::testing::HasSubstr;

struct Case {
  const char* text;
  Value expected;
};

void expectAll(const std::vector<Case>& cases) {
  for (const auto& c : cases) EXPECT_EQ(evaluateText(c.text), c.expected) << c.text;
}

// The literals of Garden's guide (docs/config-guides/variables-and-templating.md, "Literals").
TEST(TemplateEvaluator, Literals) {
  expectAll({
      {"${\"foo\"}", "foo"},
      {"${'bar'}", "bar"},
      {"${'bar' + 'foo'}", "barfoo"},
      {"${123}", 123},
      {"${1.5}", 1.5},
      {"${0x1F}", 31},
      {"${true}", true},
      {"${false}", false},
      {"${null}", nullptr},
      {"${[1, 2, 3]}", Value::array({1, 2, 3})},
      {"${[\"foo\", \"bar\"]}", Value::array({"foo", "bar"})},
      {"${[var.name, var.port]}", Value::array({"api", 8080})},
      {"${[1, , 2,]}", Value::array({1, nullptr, 2})},
      {"${\"tab\\there \\u00e9 \\x41\"}", "tab\there é A"},
  });
}

// The operators of Garden's guide ("Operators"), with its examples.
TEST(TemplateEvaluator, Operators) {
  expectAll({
      // Arithmetic
      {"${(1 + 2) * (3 + 4)}", 21},
      {"${var.port * 2}", 16160},
      {"${var.port + 2000}", 10080},
      {"${7 - 10}", -3},
      {"${7 / 2}", 3.5},
      {"${7 % 3}", 1},
      {"${1 / 0}", std::numeric_limits<double>::infinity()},
      // Numeric comparison
      {"${var.port >= 8080}", true},
      {"${var.port > 8080}", false},
      {"${1 <= 2}", true},
      {"${2 < 1}", false},
      // Equality: strict, as JavaScript's ===
      {"${environment.name == 'prod'}", false},
      {"${environment.name != 'prod'}", true},
      {"${var.port == 8080}", true},
      {"${var.port == '8080'}", false},
      {"${null == null}", true},
      // Logical
      {"${true && 'x'}", "x"},
      {"${'' && 'x'}", ""},
      {"${0 || 'x'}", "x"},
      {"${'a' || 'x'}", "a"},
      {"${!var.enabled}", false},
      {"${!''}", true},
      // Ternary
      {"${environment.name == 'prod' ? 3 : 1}", 1},
      {"${environment.name == 'dev' ? 'a' : 'b'}", "a"},
      {"${var.enabled ? var.list : []}", Value::array({"a", "b", "c"})},
      {"${false ? 1 : true ? 2 : 3}", 2},
      // typeof
      {"${typeof var.port}", "number"},
      {"${typeof var.name}", "string"},
      {"${typeof var.enabled}", "boolean"},
      {"${typeof var.list}", "object"},
      {"${typeof var.missing}", "undefined"},
      // contains: a list holds a value, a mapping a key, a string a substring
      {"${var.list contains 'b'}", true},
      {"${var.list contains 'z'}", false},
      {"${var.obj contains 'key'}", true},
      {"${var.name contains 'pi'}", true},
      // + on strings and lists
      {"${var.list + ['d']}", Value::array({"a", "b", "c", "d"})},
      {"${var.name + '-' + var.port}", "api-8080"},
      // Precedence
      {"${1 + 2 * 3}", 7},
      {"${1 < 2 == true}", true},
      {"${true || false && false}", true},
      {"${-3 + 1}", -2},
  });
}

// `||` gives a default for a missing key; `&&`, `!`, typeof and the ternary treat it as false.
TEST(TemplateEvaluator, MissingKeysAreOptionalWhereGardenSaysSo) {
  expectAll({
      {"${local.env.LOG_LEVEL || \"info\"}", "debug"},
      {"${local.env.NOT_SET || \"info\"}", "info"},
      {"${local.env.CI_BRANCH || local.username || \"default\"}", "Ada"},
      {"${var.missing || var.other || 'last'}", "last"},
      {"${var.missing && 'x'}", false},
      {"${var.name && var.missing}", false},
      {"${!var.missing}", true},
      {"${var.missing ? 'yes' : 'no'}", "no"},
      {"${var.obj.missing || 'fallback'}", "fallback"},
      {"${secrets.TOKEN || 'none'}", "none"},
  });
  // The last term of `||` is not optional.
  EXPECT_EQ(errorOf("${var.missing || var.gone}"), "${var.missing || var.gone}: no variable named \"gone\" is defined");
}

// `${...}?` gives no value instead of an error.
TEST(TemplateEvaluator, OptionalSuffix) {
  EXPECT_EQ(evaluateText("${var.missing}?"), "<undefined>");
  EXPECT_EQ(evaluateText("a-${var.missing}?-b"), "a--b");
  EXPECT_EQ(evaluateText("${var.name}?"), "api");
}

TEST(TemplateEvaluator, NestedKeysAndIndexes) {
  expectAll({
      {"${var.obj.key}", "value"},
      {"${var.obj[\"key\"]}", "value"},
      {"${var.obj[\"a-b\"]}", "dash"},
      {"${var.obj.a-b}", "dash"},
      {"${var.list[0]}", "a"},
      {"${var.list.2}", "c"},
      {"${var.obj.nested.deep}", 1},
      {"${var.replicas[environment.name]}", 1},
      {"${var.replicas[\"${environment.name}\"]}", 1},
      {"${var[\"name\"]}", "api"},
      {"${variables.name}", "api"},
      {"${(var.list)[1]}", "b"},
  });
  EXPECT_EQ(errorOf("${var.list[5]}"), "${var.list[5]}: var.list has no item 5 (it has 3 items)");
  EXPECT_EQ(errorOf("${var.obj.kye}"),
            "${var.obj.kye}: var.obj has no key \"kye\" (did you mean \"key\"?); its keys: key, a-b, nested");
  EXPECT_EQ(errorOf("${var.obj[var.list]}"),
            "${var.obj[var.list]}: Expression in brackets must resolve to a string or number (got object).");
}

TEST(TemplateEvaluator, TypeErrorsUseGardensWording) {
  EXPECT_EQ(errorOf("${var.name * 2}"), "${var.name * 2}: Both terms need to be numbers for * operator (got string and number).");
  EXPECT_EQ(errorOf("${1 + var.name}"),
            "${1 + var.name}: Both terms need to be either arrays or strings or numbers for + operator (got number and "
            "string).");
  EXPECT_EQ(errorOf("${var.list contains var.list}"),
            "${var.list contains var.list}: The right-hand side of a 'contains' operator must be a string, number, "
            "boolean or null (got object).");
}

// A single ${...} keeps its value's type; anything around it makes a string, written as
// JavaScript's String() writes values.
TEST(TemplateEvaluator, WholeValuesKeepTheirType) {
  EXPECT_EQ(evaluateText("${var.port}"), 8080);
  EXPECT_EQ(evaluateText("${var.enabled}"), true);
  EXPECT_EQ(evaluateText("${var.list}"), Value::array({"a", "b", "c"}));
  EXPECT_EQ(evaluateText("${var.nothing}"), nullptr);
  EXPECT_EQ(evaluateText(" ${var.port}"), " 8080");
  EXPECT_EQ(evaluateText("${var.port}${var.enabled}"), "8080true");
  EXPECT_EQ(evaluateText("[${var.list}]"), "[a,b,c]");
  EXPECT_EQ(evaluateText("${var.obj}!"), "[object Object]!");
  EXPECT_EQ(evaluateText("${0.1 + 0.2}"), 0.30000000000000004);
  EXPECT_EQ(evaluateText("n=${1e21}"), "n=1e+21");
}

TEST(TemplateEvaluator, IfBlocksInStrings) {
  EXPECT_EQ(evaluateText("${if environment.name == \"dev\"}debug${else}quiet${endif}"), "debug");
  EXPECT_EQ(evaluateText("a ${if var.missing || false}x${endif}b"), "a b");
  // As in Garden, the condition itself is not optional.
  EXPECT_EQ(errorOf("${if var.missing}x${endif}"), "${if var.missing}: no variable named \"missing\" is defined");
  EXPECT_EQ(evaluateText("${if var.enabled}[${if var.port > 1}nested${endif}]${endif}"), "[nested]");
  EXPECT_EQ(evaluateText("${if var.name}"), "api");  // a lone ${if} gives its condition, as in Garden
}

}  // namespace
}  // namespace gardensync::config::tmpl
