// Loading the kinds and types of actions gardensync does not run (tests/fixtures/kinds): Run and
// Test actions, types such as terraform and jib-container, disabled actions, and dependencies in
// every form Garden accepts.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "gardensync/config/action_graph.h"
#include "gardensync/config/action_types.h"
#include "gardensync/config/loader.h"
#include "load_helpers.h"

namespace gardensync::config {
namespace {

using gardensync::testing::loadErrors;
using gardensync::testing::loadFixture;
using ::testing::ElementsAre;

std::vector<std::string> keys(const std::vector<ActionRef>& refs) {
  std::vector<std::string> result;
  for (const auto& ref : refs) result.push_back(std::string(lowercaseKind(ref.kind)) + "." + ref.name);
  return result;
}

// Garden's action types (docs/reference/action-types), and what gardensync makes of each.
TEST(ActionTypes, EveryGardenTypeIsKnownAndOnlyTheOnesGardensyncRunsHaveNoReason) {
  struct Case {
    ActionKind kind;
    const char* type;
    std::optional<std::string> reason;
  };
  const Case cases[] = {
      {ActionKind::Build, "container", ""},
      {ActionKind::Build, "exec", ""},
      {ActionKind::Build, "jib-container", "gardensync does not build jib-container Builds"},
      {ActionKind::Build, "docker-compose-service", "gardensync does not build docker-compose-service Builds"},
      {ActionKind::Deploy, "container", ""},
      {ActionKind::Deploy, "exec", ""},
      {ActionKind::Deploy, "kubernetes", ""},
      {ActionKind::Deploy, "helm", ""},
      {ActionKind::Deploy, "terraform", "gardensync does not deploy terraform Deploys"},
      {ActionKind::Deploy, "pulumi", "gardensync does not deploy pulumi Deploys"},
      {ActionKind::Deploy, "configmap", "gardensync does not deploy configmap Deploys"},
      {ActionKind::Deploy, "persistentvolumeclaim", "gardensync does not deploy persistentvolumeclaim Deploys"},
      {ActionKind::Run, "kubernetes-pod", "gardensync does not run Run actions"},
      {ActionKind::Run, "container", "gardensync does not run Run actions"},
      {ActionKind::Test, "kubernetes-exec", "gardensync does not run Test actions"},
      {ActionKind::Test, "conftest-helm", "gardensync does not run Test actions"},
      {ActionKind::Build, "helm", std::nullopt},
      {ActionKind::Deploy, "jib-container", std::nullopt},
      {ActionKind::Deploy, "contianer", std::nullopt},
  };
  for (const auto& c : cases) EXPECT_EQ(skipReasonFor(c.kind, c.type), c.reason) << toString(c.kind) << " " << c.type;
  EXPECT_THAT(gardenActionTypes(ActionKind::Build),
              ElementsAre("container", "docker-compose-service", "exec", "jib-container"));
}

TEST(ActionKinds, SkippedKindsAndTypesLoadWithTheirDependencies) {
  ProjectConfig config = loadFixture("kinds/skipped");
  const Action* infra = config.find(ActionKind::Deploy, "infra");
  ASSERT_NE(infra, nullptr);
  EXPECT_EQ(infra->skipReason, "gardensync does not deploy terraform Deploys");
  EXPECT_THAT(keys(infra->dependencies), ElementsAre("build.java-image"));
  EXPECT_EQ(config.find(ActionKind::Build, "java-image")->skipReason, "gardensync does not build jib-container Builds");

  const Action* seed = config.find(ActionKind::Run, "seed");
  ASSERT_NE(seed, nullptr);
  EXPECT_EQ(seed->skipReason, "gardensync does not run Run actions");
  EXPECT_EQ(seed->build, "api-image");
  EXPECT_THAT(keys(seed->dependencies), ElementsAre("build.api-image"));
  const Action* unit = config.find(ActionKind::Test, "unit");
  ASSERT_NE(unit, nullptr);
  EXPECT_EQ(unit->type, "exec");
  EXPECT_THAT(keys(unit->dependencies), ElementsAre("build.test-image"));

  // Every form of dependency: a templated string, kind.name, {kind, name}; null and "" are left
  // out, and so is a dependency on a disabled Deploy.
  const Action* api = config.find(ActionKind::Deploy, "api");
  ASSERT_NE(api, nullptr);
  EXPECT_TRUE(api->runs());
  EXPECT_THAT(keys(api->dependencies),
              ElementsAre("deploy.infra", "run.seed", "test.unit", "deploy.old", "build.api-image"));
  EXPECT_EQ(config.find(ActionKind::Deploy, "old"), nullptr);

  const Action* image = config.find(ActionKind::Build, "api-image");
  EXPECT_THAT(*image->include, ElementsAre("Dockerfile", "src/**/*"));
  EXPECT_THAT(image->exclude, ElementsAre("**/*.log"));

  // The plan of api reaches the skipped actions, but builds none of what only they need.
  std::vector<std::string> order;
  for (const Action* action : dependencyOrder({api}, config.actions)) order.push_back(action->key());
  EXPECT_THAT(order, ElementsAre("deploy.infra", "run.seed", "test.unit", "build.api-image", "deploy.api"));
}

// Garden builds a disabled Build when an enabled action depends on it; otherwise it is not read.
TEST(ActionKinds, ADisabledBuildIsLoadedOnlyWhenSomethingUsesIt) {
  ProjectConfig config = loadFixture("kinds/skipped");
  const Action* base = config.find(ActionKind::Build, "base");
  ASSERT_NE(base, nullptr);
  EXPECT_TRUE(base->disabled);
  EXPECT_THAT(keys(config.find(ActionKind::Deploy, "uses-base")->dependencies), ElementsAre("build.base"));
  // Unused: its broken template is no error, and it is not there.
  EXPECT_EQ(config.find(ActionKind::Build, "unused"), nullptr);
}

TEST(ActionKinds, ErrorsArePositionedAndReportedTogether) {
  EXPECT_THAT(loadErrors("kinds/errors"),
              ElementsAre("project.garden.yml:7:7: type: Deploy type \"contianer\" is not a Garden action type (did "
                          "you mean \"container\"?)",
                          "project.garden.yml:11:7: type: Deploy type \"frobnicate\" is not a Garden action type "
                          "(expected configmap, container, docker-compose-service, exec, helm, kubernetes, "
                          "persistentvolumeclaim, pulumi or terraform)",
                          // Templates are resolved before the action is read.
                          "project.garden.yml:18:13: spec.command[0]: ${var.nope}: no variable named \"nope\" is "
                          "defined",
                          "project.garden.yml:16:16: dependencies[0]: \"run\" must be written <kind>.<name>, e.g. "
                          "build.api",
                          "project.garden.yml:31:10: include: expected a list of strings, got \"notalist\"",
                          // The errors of a disabled Build that is used come once everything is read.
                          "project.garden.yml:25:15: spec.dockerfile: ${var.missing}: no variable named \"missing\" "
                          "is defined",
                          "project.garden.yml:36:16: dependencies[0]: test.t depends on run.nope, which is not "
                          "defined"));
}

TEST(ActionKinds, ExecActionsReadGardensExecSpec) {
  ProjectConfig config = loadFixture("kinds/exec");
  const Action* gen = config.find(ActionKind::Build, "gen");
  ASSERT_NE(gen, nullptr);
  EXPECT_TRUE(gen->runs());
  EXPECT_FALSE(gen->buildAtSource);
  EXPECT_EQ(gen->timeoutSeconds, 600);  // Garden's default for a Build
  EXPECT_THAT(gen->execCommand->argv, ElementsAre("sh", "-c", "mkdir -p out && cp input.txt out/"));
  EXPECT_THAT(gen->env, ElementsAre(std::pair<std::string, std::string>("GREETING", "hello")));
  const Action* tools = config.find(ActionKind::Build, "tools");
  EXPECT_TRUE(tools->buildAtSource);
  EXPECT_EQ(tools->timeoutSeconds, 30);
  // `shell: true`: the items joined, run by /bin/sh -c.
  EXPECT_THAT(tools->execCommand->argv, ElementsAre("/bin/sh", "-c", "make tools && echo done"));

  const Action* migrate = config.find(ActionKind::Deploy, "migrate");
  EXPECT_EQ(migrate->build, "gen");
  // A build output in the command is resolved after the builds, and makes the Build a dependency.
  EXPECT_THAT(migrate->execCommand->argv, ElementsAre("./migrate.sh", "${actions.build.tools.outputs.version}"));
  EXPECT_THAT(keys(migrate->dependencies), ElementsAre("build.gen", "build.tools"));
  EXPECT_THAT(migrate->statusCommand->argv, ElementsAre("test", "-f", "migrated"));
  EXPECT_THAT(migrate->cleanupCommand->argv, ElementsAre("rm", "-f", "migrated"));
  EXPECT_THAT(migrate->env, ElementsAre(std::pair<std::string, std::string>("LEVEL", "3")));
  EXPECT_FALSE(migrate->persistent);

  const Action* server = config.find(ActionKind::Deploy, "server");
  EXPECT_TRUE(server->persistent);
  EXPECT_EQ(server->statusTimeoutSeconds, 5);
  EXPECT_FALSE(server->cleanupCommand);

  // `${actions.build.<name>.buildPath}`: where the exec Build runs.
  const Action* web = config.find(ActionKind::Deploy, "web");
  ASSERT_EQ(web->volumes.size(), 2u);
  EXPECT_EQ(*web->volumes[0].hostPath, (config.project.root / ".garden/build/gen/out").string());
  EXPECT_EQ(*web->volumes[1].hostPath, config.project.root.string());
}

TEST(ActionKinds, ExecErrorsArePositioned) {
  EXPECT_THAT(loadErrors("kinds/exec-errors"),
              ElementsAre("project.garden.yml:9:3: spec.deployCommand: is required (the command that deploys)",
                          "project.garden.yml:15:18: spec.deployCommand: must not be empty",
                          "project.garden.yml:16:18: spec.statusTimeout: must be a positive number of seconds",
                          "project.garden.yml:21:16: buildAtSource: expected true or false, got \"maybe\"",
                          "project.garden.yml:23:12: spec.command: expected a list of strings, got \"run\""));
}

}  // namespace
}  // namespace gardensync::config
