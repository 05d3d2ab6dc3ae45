#include "gardensync/config/action_graph.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace gardensync::config {
namespace {

using ::testing::ElementsAre;

constexpr size_t kChain = 50000;

// Deploys d000000, d000001, ... on lines 1, 2, ... of f.yml, each depending on the next: the
// walks go as deep as the chain is long (recursion overflowed the stack at 30,000 in a release
// build, at 5,000 under ASan).
std::vector<Action> chain(size_t length) {
  std::vector<Action> actions(length);
  for (size_t i = 0; i < length; ++i) {
    actions[i].kind = ActionKind::Deploy;
    actions[i].name = fmt::format("d{:06}", i);
    actions[i].position = {"f.yml", static_cast<int>(i) + 1, 1};
  }
  for (size_t i = 0; i + 1 < length; ++i)
    actions[i].dependencies.push_back({ActionKind::Deploy, actions[i + 1].name, actions[i].position});
  return actions;
}

std::vector<std::string> check(const std::vector<Action>& actions) {
  std::vector<ConfigIssue> errors;
  checkActionGraph(actions, {}, errors);
  std::vector<std::string> lines;
  for (const auto& issue : errors) lines.push_back(issue.format());
  return lines;
}

std::vector<std::string> names(const std::vector<const Action*>& order) {
  std::vector<std::string> result;
  for (const Action* action : order) result.push_back(action->name);
  return result;
}

TEST(ActionGraph, ALongChainChecksAndOrdersWithoutRecursion) {
  const std::vector<Action> actions = chain(kChain);
  EXPECT_TRUE(check(actions).empty());
  const std::vector<const Action*> order = dependencyOrder({&actions.front()}, actions);
  ASSERT_EQ(order.size(), kChain);
  EXPECT_EQ(order.front(), &actions.back());  // dependencies first
  EXPECT_EQ(order[1], &actions[kChain - 2]);
  EXPECT_EQ(order.back(), &actions.front());
}

TEST(ActionGraph, ACycleAtTheEndOfALongChainIsReportedOnceAtItsFirstAction) {
  std::vector<Action> actions = chain(kChain);
  actions.back().dependencies.push_back({ActionKind::Deploy, actions[kChain - 2].name, actions.back().position});
  EXPECT_THAT(check(actions), ElementsAre("f.yml:49999:1: dependencies: dependency cycle: deploy.d049998 -> "
                                          "deploy.d049999 -> deploy.d049998"));
}

// Every cycle is reported, so a long one is shortened: its text stays small however long it is.
TEST(ActionGraph, ALongCycleNamesItsEnds) {
  std::vector<Action> actions = chain(kChain);
  actions.back().dependencies.push_back({ActionKind::Deploy, actions.front().name, actions.back().position});
  EXPECT_THAT(check(actions), ElementsAre("f.yml:1:1: dependencies: dependency cycle: deploy.d000000 -> "
                                          "deploy.d000001 -> deploy.d000002 -> deploy.d000003 -> deploy.d000004 "
                                          "-> ... (49990 more) -> deploy.d049995 -> deploy.d049996 -> "
                                          "deploy.d049997 -> deploy.d049998 -> deploy.d049999 -> deploy.d000000"));
  std::vector<Action> twelve = chain(12);
  twelve.back().dependencies.push_back({ActionKind::Deploy, twelve.front().name, twelve.back().position});
  EXPECT_THAT(check(twelve), ElementsAre(::testing::HasSubstr("deploy.d000005 -> deploy.d000006")));
}

// The walks visit in the same order as the recursive ones did: roots in key order, dependencies
// in the order written; an action reached twice is listed once.
TEST(ActionGraph, SharedDependenciesAreOrderedOnceInTheOrderWritten) {
  std::vector<Action> actions = chain(4);  // d0 -> d1 -> d2 -> d3
  actions[0].dependencies.push_back({ActionKind::Deploy, "d000003", {}});
  actions[0].dependencies.push_back({ActionKind::Build, "img", {}});
  Action build;
  build.name = "img";
  actions.push_back(build);
  actions[2].dependencies.push_back({ActionKind::Build, "img", {}});
  EXPECT_TRUE(check(actions).empty());
  EXPECT_THAT(names(dependencyOrder({&actions[1], &actions[0]}, actions)),
              ElementsAre("d000003", "img", "d000002", "d000001", "d000000"));
}

TEST(ActionGraph, TwoCyclesThroughOneActionAreEachReported) {
  std::vector<Action> actions = chain(3);  // d0 -> d1 -> d2
  actions[2].dependencies.push_back({ActionKind::Deploy, "d000000", {}});
  actions[2].dependencies.push_back({ActionKind::Deploy, "d000001", {}});
  EXPECT_THAT(check(actions),
              ElementsAre("f.yml:1:1: dependencies: dependency cycle: deploy.d000000 -> deploy.d000001 -> "
                          "deploy.d000002 -> deploy.d000000",
                          "f.yml:2:1: dependencies: dependency cycle: deploy.d000001 -> deploy.d000002 -> "
                          "deploy.d000001"));
}

// A skipped action (a Test, a terraform Deploy) is in the order, where it is reached, but what
// only it needs is not: nothing builds the image of a Test gardensync does not run.
TEST(ActionGraph, TheDependenciesOfASkippedActionAreNotFollowed) {
  std::vector<Action> actions(5);
  const char* names_[] = {"api", "unit", "test-image", "infra", "api-image"};
  const ActionKind kinds[] = {ActionKind::Deploy, ActionKind::Test, ActionKind::Build, ActionKind::Deploy,
                              ActionKind::Build};
  for (size_t i = 0; i < actions.size(); ++i) {
    actions[i].kind = kinds[i];
    actions[i].name = names_[i];
  }
  actions[1].skipReason = "gardensync does not run Test actions";
  actions[3].skipReason = "gardensync does not deploy terraform Deploys";
  actions[0].dependencies = {{ActionKind::Test, "unit", {}}, {ActionKind::Deploy, "infra", {}},
                             {ActionKind::Build, "api-image", {}}};
  actions[1].dependencies = {{ActionKind::Build, "test-image", {}}};
  actions[3].dependencies = {{ActionKind::Build, "api-image", {}}};
  EXPECT_TRUE(check(actions).empty());
  EXPECT_THAT(names(dependencyOrder({&actions[0]}, actions)), ElementsAre("unit", "infra", "api-image", "api"));
}

TEST(ActionGraph, RunAndTestDependenciesMustExistUnlessDisabled) {
  std::vector<Action> actions(1);
  actions[0].kind = ActionKind::Deploy;
  actions[0].name = "api";
  actions[0].dependencies = {{ActionKind::Run, "seed", {"f.yml", 3, 5}, "dependencies[0]"},
                             {ActionKind::Test, "off", {"f.yml", 4, 5}, "dependencies[1]"}};
  std::vector<ConfigIssue> errors;
  checkActionGraph(actions, {"test.off"}, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].format(), "f.yml:3:5: dependencies[0]: deploy.api depends on run.seed, which is not defined");
}

Action deployWithRebuildOn(std::string name) {
  Action deploy;
  deploy.kind = ActionKind::Deploy;
  deploy.name = std::move(name);
  deploy.type = "kubernetes";
  deploy.sync = SyncConfig{};
  deploy.sync->rebuildOn = {"Dockerfile"};
  deploy.sync->rebuildOnPosition = {"web.garden.yml", 7, 16};
  return deploy;
}

Action buildNamed(std::string name) {
  Action build;
  build.kind = ActionKind::Build;
  build.name = std::move(name);
  build.dir = "/p/" + build.name;
  return build;
}

TEST(AfterSyncGraph, RebuildOnNeedsOneBuild) {
  std::vector<Action> actions{buildNamed("a"), buildNamed("b"), deployWithRebuildOn("web")};
  EXPECT_THAT(check(actions),
              ElementsAre("web.garden.yml:7:16: spec.sync.rebuildOn: Deploy web has no Build to rebuild when these "
                          "files change: give it `build: <name>` (or exactly one Build among its dependencies)"));
  EXPECT_EQ(rebuildBuildOf(actions[2], actions), nullptr);

  actions[2].dependencies.push_back({ActionKind::Build, "b", {}});
  EXPECT_THAT(check(actions), ::testing::IsEmpty());
  EXPECT_EQ(rebuildBuildOf(actions[2], actions), &actions[1]);

  actions[2].dependencies.push_back({ActionKind::Build, "a", {}});
  EXPECT_EQ(rebuildBuildOf(actions[2], actions), nullptr);  // which one? the config must say
  actions[2].build = "a";
  EXPECT_EQ(rebuildBuildOf(actions[2], actions), &actions[0]);
  EXPECT_THAT(check(actions), ::testing::IsEmpty());
}

}  // namespace
}  // namespace gardensync::config
