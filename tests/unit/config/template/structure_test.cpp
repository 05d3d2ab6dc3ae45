#include "gardensync/config/template/structure.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "gardensync/config/template/yaml_value.h"
#include "template_helpers.h"

namespace gardensync::config::tmpl {
namespace {

using ::testing::ElementsAre;

TemplateContext context() {
  TemplateContext c = gardensync::testing::sampleContext();
  c.variables["commonEnvVars"] = {{"LOG_LEVEL", "info"}, {"SOME_API_KEY", "abcdefg"}};
  c.variables["commonArgs"] = Value::array({"npm", "test", "-g"});
  c.variables["values"] = Value::array({"some_name", "AnotherName", "__YET_ANOTHER_NAME__"});
  c.variables["ports"] = Value::array({80, 8000, 8100, 8200});
  c.variables["portMap"] = {{"http", 8000}, {"admin", 8100}};
  return c;
}

TreeResult resolve(const std::string& yaml, const TemplateContext& c = context()) {
  return resolveTree(yamlToValue(YAML::Load(yaml)), ContextScope(c), {});
}

Value yaml(const std::string& text) { return yamlToValue(YAML::Load(text)); }

std::vector<std::string> errors(const TreeResult& result) {
  std::vector<std::string> lines;
  for (const auto& problem : result.errors) lines.push_back(pathText("spec", problem.path) + ": " + problem.message);
  return lines;
}

// The examples of Garden's guide (docs/config-guides/variables-and-templating.md).
TEST(TemplateStructure, MergeLetsLaterKeysWin) {
  EXPECT_EQ(resolve("env:\n  $merge: ${var.commonEnvVars}\n  OTHER_ENV_VAR: something\n  LOG_LEVEL: debug\n").value,
            yaml("env: {LOG_LEVEL: debug, SOME_API_KEY: abcdefg, OTHER_ENV_VAR: something}"));
  EXPECT_EQ(resolve("env:\n  SOME_API_KEY: default\n  $merge: ${var.commonEnvVars}\n").value,
            yaml("env: {SOME_API_KEY: abcdefg, LOG_LEVEL: info}"));
}

TEST(TemplateStructure, ConcatSplicesLists) {
  EXPECT_EQ(resolve("args:\n  - $concat: ${var.commonArgs}\n  - suite-a\n").value,
            yaml("args: [npm, test, -g, suite-a]"));
  EXPECT_EQ(resolve("[{$concat: [1, 2]}, {$concat: []}, 3]").value, yaml("[1, 2, 3]"));
}

TEST(TemplateStructure, IfThenElse) {
  EXPECT_EQ(resolve("command:\n  $if: ${environment.name == \"dev\"}\n  $then: [npm, run, watch]\n  $else: [npm, start]\n")
                .value,
            yaml("command: [npm, run, watch]"));
  EXPECT_EQ(resolve("{a: {$if: false, $then: 1}, b: 2}").value, yaml("{b: 2}"));  // no $else: no value
  EXPECT_EQ(resolve("[{$if: true, $then: x}, {$if: false, $then: y}]").value, yaml("[x]"));
}

TEST(TemplateStructure, ForEachOverListsAndMappings) {
  EXPECT_EQ(resolve("args:\n  $forEach: ${var.values}\n  $return: ${kebabCase(item.value)}\n").value,
            yaml("args: [some-name, another-name, yet-another-name]"));
  EXPECT_EQ(resolve("ports:\n  $forEach: ${var.ports}\n  $filter: ${item.value > 1000}\n  $return:\n    name: "
                    "port-${item.key}\n    containerPort: ${item.value}\n")
                .value,
            yaml("ports: [{name: port-1, containerPort: 8000}, {name: port-2, containerPort: 8100}, {name: port-3, "
                 "containerPort: 8200}]"));
  EXPECT_EQ(resolve("ports:\n  $forEach: ${var.portMap}\n  $return:\n    name: ${item.key}\n    containerPort: "
                    "${item.value}\n")
                .value,
            yaml("ports: [{name: http, containerPort: 8000}, {name: admin, containerPort: 8100}]"));
  // `$return: {$concat: ...}` flattens, and loops nest with the inner item.
  EXPECT_EQ(resolve("$forEach: [[1, 2], [3]]\n$return:\n  $concat: ${item.value}\n").value, yaml("[1, 2, 3]"));
  EXPECT_EQ(resolve("$forEach: [a, b]\n$return:\n  $forEach: [1, 2]\n  $return: ${item.value}\n").value,
            yaml("[[1, 2], [1, 2]]"));
}

TEST(TemplateStructure, OperatorsNestAndTakeLiterals) {
  EXPECT_EQ(resolve("{$merge: {$if: true, $then: {a: 1}}, b: 2}").value, yaml("{a: 1, b: 2}"));
  EXPECT_EQ(resolve("{$forEach: [x, y], $return: {$merge: {k: '${item.value}'}, i: '${item.key}'}}").value,
            yaml("[{k: x, i: 0}, {k: y, i: 1}]"));
}

TEST(TemplateStructure, MistakesAreReportedWhereTheyAreWritten) {
  EXPECT_THAT(errors(resolve("{a: {$merge: '${var.list}'}, b: [{$concat: x}], c: {$if: 'yes', $then: 1}, "
                             "d: {$if: true}, e: {$forEach: [1], $return: x, $map: y}, f: {$forEach: 3, $return: x}, "
                             "g: {$forEach: [1], $filter: 'no', $return: x}, h: [{$concat: [], extra: 1}]}")),
              ElementsAre("spec.a.$merge: Value of $merge key must be (or resolve to) a mapping object (got a list)",
                          "spec.b[0].$concat: Value of $concat key must be (or resolve to) an array (got a string)",
                          "spec.c.$if: Value of $if key must be (or resolve to) a boolean (got string)",
                          "spec.d: Missing $then field next to $if field. Got: $if",
                          "spec.e.$map: Found one or more unexpected keys on $forEach object: \"$map\". Allowed keys: "
                          "$forEach, $return and $filter",
                          "spec.f.$forEach: Value of $forEach key must be (or resolve to) an array or mapping object "
                          "(got number)",
                          "spec.g.$filter: $filter clause in $forEach loop must resolve to a boolean value (got string)",
                          "spec.h[0]: A list item with a $concat key cannot have any other keys (found \"extra\")"));
}

// Every template error of a tree is found, each once though a $forEach repeats it.
TEST(TemplateStructure, AllErrorsOfATreeOnce) {
  const TreeResult result = resolve("{a: '${var.nope}', b: {$forEach: [1, 2, 3], $return: '${var.gone}'}, c: ok}");
  EXPECT_THAT(errors(result), ElementsAre("spec.a: ${var.nope}: no variable named \"nope\" is defined (did you mean "
                                          "\"name\"?)",
                                          "spec.b.$return: ${var.gone}: no variable named \"gone\" is defined"));
  EXPECT_EQ(result.value["c"], "ok");
  EXPECT_EQ(result.value["a"], "${var.nope}");  // what fails stays as written
}

// Keep mode (strings read later through the build output step): values keep `${` escaped.
TEST(TemplateStructure, KeepModeEscapesValues) {
  TemplateContext c = context();
  c.variables["shell"] = "${HOME}";
  const TreeResult result =
      resolveTree(yaml("{a: '${var.shell}', b: '$${PATH}', c: '${actions.build.api.outputs.version}', "
                       "d: {$forEach: ['$${x}'], $return: '${item.value}'}}"),
                  ContextScope(c), {Escapes::Keep, false, nullptr});
  EXPECT_TRUE(result.errors.empty());
  EXPECT_EQ(result.value, yaml("{a: '$${HOME}', b: '$${PATH}', c: '${actions.build.api.outputs.version}', "
                               "d: ['$${x}']}"));
}

TEST(TemplateStructure, UnsupportedValuesCanBeLeftForLater) {
  const TreeResult result = resolveTree(yaml("{a: '${providers.kubernetes.outputs.app-namespace}', b: '${var.name}'}"),
                                        ContextScope(context()), {Escapes::Keep, true, nullptr});
  EXPECT_TRUE(result.errors.empty());
  ASSERT_EQ(result.deferred.size(), 1u);
  EXPECT_THAT(result.deferred[0].message, ::testing::HasSubstr("provider outputs"));
  EXPECT_EQ(result.value, yaml("{a: '${providers.kubernetes.outputs.app-namespace}', b: api}"));
}

TEST(TemplateStructure, WholeValuesAndBudget) {
  ResolveBudget budget;
  budget.remaining = 20;
  const TreeResult result =
      resolveTree(yaml("{port: '${var.port}', list: '${var.list}', big: '${var.name}${var.name}${var.name}${var.name}'}"),
                  ContextScope(context()), {Escapes::Unescape, false, &budget});
  EXPECT_EQ(result.value["port"], 8080);
  EXPECT_EQ(result.value["list"], Value::array({"a", "b", "c"}));
  EXPECT_THAT(errors(result), ElementsAre("spec.big: " + budgetSpentMessage()));
  EXPECT_TRUE(budget.spent);
}

}  // namespace
}  // namespace gardensync::config::tmpl
