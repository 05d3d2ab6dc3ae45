// Loading whole projects that use Garden's template language (tests/fixtures/garden-templates).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "gardensync/config/loader.h"
#include "gardensync/config/template.h"
#include "load_helpers.h"

namespace gardensync::config {
namespace {

using gardensync::testing::fixture;
using gardensync::testing::loadErrors;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

LoadOptions options(const std::string& relative) {
  LoadOptions options;
  options.root = fixture(relative);
  options.cwd = fixture(relative);
  options.localEnv = [](const std::string& name) -> std::optional<std::string> {
    if (name == "GS_TEST_TAG") return "v7";
    return std::nullopt;
  };
  return options;
}

TEST(TemplateLoading, AGardenProjectLoadsAsGardenResolvesIt) {
  ProjectConfig config = loadProject(options("garden-templates/project"));
  EXPECT_EQ(config.environment, "local");
  EXPECT_THAT(config.provider.syncDefaults.exclude, ElementsAre("node_modules", "*.log"));  // whole-value list
  EXPECT_EQ(config.provider.syncDefaults.owner, "1000");
  const Action* api = config.find(ActionKind::Deploy, "api");
  ASSERT_NE(api, nullptr);
  EXPECT_THAT(*api->command, ElementsAre("npm", "run", "start"));  // $if on this.mode, $else with $concat
  EXPECT_THAT(*api->args, ElementsAre("--replicas", "1"));
  const std::map<std::string, std::string> outputs{{"api-image.version", "v-1"}};
  std::map<std::string, std::string> env;
  for (const auto& [name, value] : api->env) env[name] = resolveBuildOutputs(value, outputs);
  EXPECT_THAT(env, ElementsAre(Pair("ACTION_VAR", "from api.local.env"), Pair("FULL", "user-v-7.local"),
                               Pair("IMAGE_VERSION", "v-1"), Pair("LOG_LEVEL", "debug"),
                               Pair("NAMESPACE", "user-v-7"), Pair("PROJECT_VAR", "set in project.vars.yaml"),
                               Pair("REGION", "eu"), Pair("SHELL", "${HOME}"), Pair("TIER", "bronze")));
  ASSERT_EQ(api->ports.size(), 2u);  // $forEach over the varfile's ports, $filter < 9000
  EXPECT_EQ(api->ports[1].name, "port-1");
  EXPECT_EQ(api->ports[1].containerPort, 8100);
  const SyncPath& path = api->sync->paths.at(0);
  EXPECT_EQ(path.mode, SyncMode::OneWaySafe);
  EXPECT_THAT(path.exclude, ElementsAre("node_modules", "*.log", "tmp"));
  // A version reference makes the Build a dependency, as an output reference does.
  ASSERT_EQ(api->dependencies.size(), 1u);
  EXPECT_EQ(api->dependencies[0].name, "api-image");
  EXPECT_EQ(config.find(ActionKind::Deploy, "off"), nullptr);  // disabled by a template
}

TEST(TemplateLoading, SyncModeFollowsTheCommand) {
  LoadOptions load = options("garden-templates/project");
  load.command.name = "deploy";
  load.command.params = {{"sync", "api"}};
  ProjectConfig config = loadProject(load);
  const Action* api = config.find(ActionKind::Deploy, "api");
  EXPECT_THAT(*api->command, ElementsAre("npm", "run", "dev"));
  EXPECT_EQ(api->sync->paths.at(0).mode, SyncMode::TwoWaySafe);
}

TEST(TemplateLoading, VarFlagsAndNamespacesFromTheCommandLine) {
  LoadOptions load = options("garden-templates/project");
  load.environment = "team.local";
  load.variables = {{"common-env", {{"REGION", "us"}}}, {"from-varfile", "from --var"}};
  ProjectConfig config = loadProject(load);
  EXPECT_EQ(config.environment, "local");
  std::map<std::string, std::string> env(config.find(ActionKind::Deploy, "api")->env.begin(),
                                         config.find(ActionKind::Deploy, "api")->env.end());
  EXPECT_EQ(env["NAMESPACE"], "team");
  EXPECT_EQ(env["FULL"], "team.local");
  EXPECT_EQ(env["REGION"], "us");
  EXPECT_EQ(env["LOG_LEVEL"], "debug");
  EXPECT_EQ(env["PROJECT_VAR"], "from --var");
}

// Environment prod sets defaultNamespace: null, so a namespace must be given.
TEST(TemplateLoading, AnEnvironmentMayRequireANamespace) {
  LoadOptions load = options("garden-templates/project");
  load.environment = "prod";
  EXPECT_THROW(loadProject(load), UsageError);
  load.environment = "ci-42.prod";
  // In prod, the provider of prod and the Deploy disabled elsewhere are resolved, and fail; api has
  // no varfile for prod.
  std::vector<std::string> errors;
  try {
    loadProject(load);
  } catch (const ConfigError& e) {
    for (const auto& issue : e.issues()) errors.push_back(issue.format());
  }
  EXPECT_THAT(errors, ElementsAre("project.garden.yml:39:16: providers[1].sync.defaults.owner: ${var.prod-only}: no "
                                  "variable named \"prod-only\" is defined",
                                  HasSubstr("api/garden.yml:30:17: spec.env.ACTION_VAR: ${var.from-action-varfile}"),
                                  HasSubstr("api/garden.yml:54:10: spec.image: ${var.does-not-exist}")));
}

TEST(TemplateLoading, EveryTemplateErrorIsPositionedAndReportedOnce) {
  EXPECT_THAT(loadErrors("garden-templates/errors"),
              ElementsAre("project.garden.yml:11:10: spec.image: ${var.lsit}: no variable named \"lsit\" is defined "
                          "(did you mean \"list\"?)",
                          "project.garden.yml:13:13: spec.env.$merge: Value of $merge key must be (or resolve to) a "
                          "mapping object (got a list)",
                          HasSubstr("project.garden.yml:14:8: spec.env.A: ${secrets.TOKEN}: secrets are stored in "
                                    "Garden Cloud"),
                          "project.garden.yml:17:14: spec.args.$return: ${item.vaule}: item has no key \"vaule\" (did "
                          "you mean \"value\"?); its keys: key, value",
                          "project.garden.yml:20:22: spec.ports[0].containerPort: ${var.list[0] * 2}: Both terms need "
                          "to be numbers for * operator (got string and number).",
                          HasSubstr("project.garden.yml:18:13: spec.command[0]: ${providers.kubernetes.outputs.x}: "
                                    "provider outputs and configs come from Garden's plugins")));
}

}  // namespace
}  // namespace gardensync::config
