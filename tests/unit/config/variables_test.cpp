#include "gardensync/config/variables.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace gardensync::config {
namespace {

using ::testing::ElementsAre;

// Definitions on consecutive lines of f.yml, in the order given.
std::vector<VariableDefinition> definitions(const std::string& path,
                                            const std::vector<std::pair<std::string, std::string>>& values) {
  std::vector<VariableDefinition> result;
  int line = 1;
  for (const auto& [name, value] : values)
    result.push_back({name, value, {"f.yml", line++, 6}, path + "." + name});
  return result;
}

std::vector<std::string> formatted(const std::vector<ConfigIssue>& issues) {
  std::vector<std::string> lines;
  for (const auto& issue : issues) lines.push_back(issue.format());
  return lines;
}

TEST(Variables, ResolveInDependencyOrderWhateverTheNames) {
  TemplateContext templates;
  templates.projectName = "shop";
  std::vector<ConfigIssue> errors;
  resolveVariables(definitions("variables", {{"a", "${var.b}-${var.c}"}, {"b", "${var.c}!"}, {"c", "${project.name}"}}),
                   templates, errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(templates.variables["a"], "shop!-shop");
  EXPECT_EQ(templates.variables["b"], "shop!");
}

TEST(Variables, CyclesAreReportedOnceAtTheirFirstVariable) {
  TemplateContext templates;
  std::vector<ConfigIssue> errors;
  resolveVariables(definitions("variables", {{"waits", "${var.b}"},
                                             {"a", "${var.b}"},
                                             {"b", "${var.a}"},
                                             {"self", "x${var.self}"},
                                             {"fine", "1"}}),
                   templates, errors);
  EXPECT_THAT(formatted(errors), ElementsAre("f.yml:2:6: variables.a: variable cycle: a -> b -> a",
                                             "f.yml:4:6: variables.self: variable cycle: self -> self"));
  EXPECT_EQ(templates.variables["fine"], "1");
}

TEST(Variables, ABrokenVariableIsReportedOnce) {
  TemplateContext templates;
  std::vector<ConfigIssue> errors;
  resolveVariables(definitions("environments[2].variables", {{"user", "${var.broken}"}, {"broken", "${var.nope}"}}),
                   templates, errors);
  EXPECT_THAT(formatted(errors), ElementsAre("f.yml:2:6: environments[2].variables.broken: ${var.nope}: no variable "
                                             "named \"nope\" is defined"));
}

TEST(Variables, EnvironmentOverridesAndMayExtendTheProjectValue) {
  TemplateContext templates;
  std::vector<ConfigIssue> errors;
  resolveVariables(definitions("variables", {{"path", "/bin"}, {"port", "80"}}), templates, errors);
  resolveVariables(definitions("environments[0].variables",
                               {{"url", "http://host:${var.port}${var.path}"}, {"path", "${var.path}:/opt"}}),
                   templates, errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(templates.variables["path"], "/bin:/opt");
  EXPECT_EQ(templates.variables["url"], "http://host:80/bin:/opt");  // the environment's path
}

// Before the limit, v39 asked for 512 GiB: 30 levels took 1.5 GiB and 8 s, 40 ended in bad_alloc.
TEST(Variables, DoublingStopsAtTheVariablePassingOneMiB) {
  std::vector<std::pair<std::string, std::string>> values{{"v0", "x"}};
  for (int i = 1; i < 40; ++i) {
    const std::string previous = fmt::format("${{var.v{}}}", i - 1);
    values.emplace_back(fmt::format("v{}", i), previous + previous);
  }
  TemplateContext templates;
  std::vector<ConfigIssue> errors;
  resolveVariables(definitions("variables", values), templates, errors);
  EXPECT_THAT(formatted(errors), ElementsAre("f.yml:22:6: variables.v21: resolves to more than 1 MiB (1048576 "
                                             "bytes); gardensync stops here to protect memory"));
  EXPECT_EQ(templates.variables["v20"].get_ref<const std::string&>().size(), kMaxResolvedBytes);
  EXPECT_EQ(templates.variables.count("v21"), 0u);
  EXPECT_EQ(templates.variables.count("v39"), 0u);  // waits for v21: skipped, no second error
}

// Written last to first, a chain resolved one variable per pass over all of them: quadratic, 4.6 s
// for these 50,000 before it became linear.
TEST(Variables, ALongChainWrittenBackwardsResolves) {
  constexpr int kCount = 50000;
  std::vector<std::pair<std::string, std::string>> values;
  for (int i = 0; i < kCount; ++i)
    values.emplace_back(fmt::format("v{}", i), i + 1 < kCount ? fmt::format("${{var.v{}}}", i + 1) : "end");
  TemplateContext templates;
  std::vector<ConfigIssue> errors;
  resolveVariables(definitions("variables", values), templates, errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(templates.variables.size(), static_cast<size_t>(kCount));
  EXPECT_EQ(templates.variables["v0"], "end");
}

TEST(Variables, ACycleAtTheEndOfALongChainIsReportedOnce) {
  constexpr int kCount = 50000;
  std::vector<std::pair<std::string, std::string>> values;
  for (int i = 0; i < kCount; ++i)  // the last one waits for the one before it
    values.emplace_back(fmt::format("v{}", i), fmt::format("${{var.v{}}}", i + 1 < kCount ? i + 1 : kCount - 2));
  TemplateContext templates;
  std::vector<ConfigIssue> errors;
  resolveVariables(definitions("variables", values), templates, errors);
  EXPECT_THAT(formatted(errors), ElementsAre("f.yml:49999:6: variables.v49998: variable cycle: v49998 -> v49999 -> "
                                             "v49998"));
  EXPECT_TRUE(templates.variables.empty());
}

// Resolution goes in dependency order; errors come in the order the variables are written.
TEST(Variables, ErrorsComeInTheOrderWritten) {
  TemplateContext templates;
  std::vector<ConfigIssue> errors;
  resolveVariables(definitions("variables", {{"a", "${var.d}${var.nope}"},
                                             {"b", "${var.c}${var.gone}"},
                                             {"c", "1"},
                                             {"d", "2"}}),
                   templates, errors);
  EXPECT_THAT(formatted(errors),
              ElementsAre("f.yml:1:6: variables.a: ${var.nope}: no variable named \"nope\" is defined",
                          "f.yml:2:6: variables.b: ${var.gone}: no variable named \"gone\" is defined"));
}

// Garden's variables may be lists and mappings, with templates and structural operators in them;
// an environment's mapping merges into the project's (JSON Merge Patch).
TEST(Variables, ListsAndMappingsMergeAndResolve) {
  TemplateContext templates;
  templates.environmentName = "dev";
  std::vector<ConfigIssue> errors;
  std::vector<VariableDefinition> project{
      {"ports", tmpl::Value::array({80, 8080}), {"f.yml", 1, 6}, "variables.ports"},
      {"env", {{"LOG_LEVEL", "info"}, {"REGION", "eu"}}, {"f.yml", 2, 6}, "variables.env"},
      {"replicas", {{"dev", 1}, {"prod", 3}}, {"f.yml", 3, 6}, "variables.replicas"},
      {"count", "${var.replicas[environment.name]}", {"f.yml", 4, 6}, "variables.count"},
      {"names", {{"$forEach", "${var.ports}"}, {"$return", "port-${item.value}"}}, {"f.yml", 5, 6}, "variables.names"}};
  resolveVariables(project, templates, errors);
  resolveVariables({{"env", {{"LOG_LEVEL", "debug"}}, {"f.yml", 9, 6}, "environments[0].variables.env"}}, templates,
                   errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(templates.variables["count"], 1);
  EXPECT_EQ(templates.variables["names"], tmpl::Value::array({"port-80", "port-8080"}));
  EXPECT_EQ(templates.variables["env"], tmpl::Value({{"LOG_LEVEL", "debug"}, {"REGION", "eu"}}));
}

// `--var` wins over every definition; `--var a.b=x` changes one key of a mapping.
TEST(Variables, OverridesFromTheCommandLineWin) {
  TemplateContext templates;
  templates.variableOverrides = {{"port", "9000"}, {"db", {{"host", "override"}}}};
  applyVariableOverrides(templates);
  std::vector<ConfigIssue> errors;
  resolveVariables(definitions("variables", {{"port", "80"}, {"url", "http://${var.db.host}:${var.port}"}}), templates,
                   errors);
  resolveVariables({{"db", {{"host", "localhost"}, {"user", "app"}}, {"f.yml", 3, 6}, "variables.db"}}, templates,
                   errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(templates.variables["port"], "9000");
  EXPECT_EQ(templates.variables["url"], "http://override:9000");
  EXPECT_EQ(templates.variables["db"], tmpl::Value({{"host", "override"}, {"user", "app"}}));
}

TEST(Variables, ErrorsInsideAValueNameTheirKey) {
  TemplateContext templates;
  std::vector<ConfigIssue> errors;
  resolveVariables({{"obj", {{"ok", 1}, {"bad", "${var.nope}"}}, {"f.yml", 1, 6}, "variables.obj"}}, templates, errors);
  EXPECT_THAT(formatted(errors),
              ElementsAre("f.yml:1:6: variables.obj.bad: ${var.nope}: no variable named \"nope\" is defined"));
}

}  // namespace
}  // namespace gardensync::config
