#include "gardensync/sync/plan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "gardensync/sync/mode_mapping.h"

#include "../config/load_helpers.h"

namespace gardensync::sync {
namespace {

using gardensync::testing::fixture;
using gardensync::testing::loadFixture;
using ::testing::ElementsAre;

// The container side's URL is the provider's business (tests/unit/providers); here it only has
// to say which Deploy, session and path it is for.
std::string testEndpoint(const config::Action& deploy, const config::SyncPath& path, const std::string& session) {
  return "test://" + deploy.name + "/" + session + path.containerPath;
}

std::vector<PlannedSession> planAll(const config::ProjectConfig& config) {
  return planSessions(config, selectSyncDeploys(config, {"*"}), testEndpoint);
}

TEST(Plan, AdvancedExampleHasTwoSessionsWithMergedDefaults) {
  auto config = loadFixture("seed/advanced");
  auto sessions = planAll(config);
  ASSERT_EQ(sessions.size(), 2u);

  const PlannedSession& src = sessions[0];
  EXPECT_EQ(src.deploy, "node-service");
  EXPECT_EQ(src.gardenMode, "one-way-replica");
  EXPECT_EQ(src.mode, "one-way-replica");
  EXPECT_EQ(src.alpha, "/app/src");
  EXPECT_EQ(src.beta, "test://node-service/node-service-0/app/src");
  EXPECT_THAT(src.ignore, ElementsAre("/**/node_modules"));
  EXPECT_EQ(src.defaultOwner, "id:1000");
  EXPECT_EQ(src.defaultGroup, "id:1000");
  EXPECT_EQ(src.defaultFileMode, "0666");
  EXPECT_EQ(src.defaultDirectoryMode, "0777");
  EXPECT_FALSE(src.containerIsAlpha);

  const PlannedSession& artifacts = sessions[1];
  EXPECT_EQ(artifacts.gardenMode, "one-way-replica-reverse");
  EXPECT_EQ(artifacts.mode, "one-way-replica");
  EXPECT_EQ(artifacts.alpha, "test://node-service/node-service-1/test-artifacts");
  EXPECT_EQ(artifacts.beta, "/test-artifacts");
  EXPECT_TRUE(artifacts.containerIsAlpha);  // ownership then applies to alpha
  EXPECT_EQ(artifacts.defaultOwner, "id:1000");
}

TEST(Plan, KubernetesSyncGoesLocalToContainer) {
  auto sessions = planAll(loadFixture("seed/kubernetes-sync"));
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].alpha, "/src");
  EXPECT_EQ(sessions[0].beta, "test://node-service/node-service-0/app/src");
  EXPECT_EQ(sessions[0].mode, "two-way-safe");
}

TEST(Plan, EveryModeAndAliasMapsLikeGarden) {
  auto config = loadFixture("errors/all-modes");
  auto sessions = planAll(config);
  ASSERT_EQ(sessions.size(), 9u);
  const std::string local = fixture("errors/all-modes/src").lexically_normal().string();
  struct Expected {
    const char* gardenMode;
    const char* mode;
    bool reversed;
  };
  const Expected expected[] = {
      {"one-way-safe", "one-way-safe", false},     {"one-way-safe", "one-way-safe", false},
      {"one-way-replica", "one-way-replica", false}, {"one-way-reverse", "one-way-safe", true},
      {"one-way-replica-reverse", "one-way-replica", true}, {"two-way-safe", "two-way-safe", false},
      {"two-way-safe", "two-way-safe", false},     {"two-way-resolved", "two-way-resolved", false},
      {"one-way-safe", "one-way-safe", false},  // no mode: Garden's default
  };
  for (size_t i = 0; i < sessions.size(); ++i) {
    SCOPED_TRACE(i);
    const std::string remote = "test://app/app-" + std::to_string(i) + "/m/" + std::to_string(i);
    EXPECT_EQ(sessions[i].gardenMode, expected[i].gardenMode);
    EXPECT_EQ(sessions[i].mode, expected[i].mode);
    EXPECT_EQ(sessions[i].alpha, expected[i].reversed ? remote : local);
    EXPECT_EQ(sessions[i].beta, expected[i].reversed ? local : remote);
    EXPECT_EQ(sessions[i].name, "app-" + std::to_string(i));
  }
}

TEST(Plan, PathSettingsWinAndExcludesAddUpWithoutDuplicates) {
  auto sessions = planAll(loadFixture("errors/all-modes"));
  const PlannedSession& plain = sessions[0];
  EXPECT_THAT(plain.ignore, ElementsAre(".git", "node_modules"));
  EXPECT_EQ(plain.defaultOwner, "id:1000");
  EXPECT_EQ(plain.defaultGroup, std::nullopt);
  EXPECT_EQ(plain.defaultFileMode, "0640");
  EXPECT_EQ(plain.defaultDirectoryMode, std::nullopt);

  const PlannedSession& custom = sessions[7];
  EXPECT_THAT(custom.ignore, ElementsAre(".git", "node_modules", "*.log"));
  EXPECT_EQ(custom.defaultOwner, "app");
  EXPECT_EQ(custom.defaultGroup, "id:2000");
  EXPECT_EQ(custom.defaultFileMode, "0600");
  EXPECT_EQ(custom.defaultDirectoryMode, "0750");
}

TEST(Plan, LabelsIdentifyProjectDeployAndSpec) {
  auto sessions = planAll(loadFixture("errors/all-modes"));
  EXPECT_EQ(sessions[0].labels.at(kProjectLabel), "modes");
  EXPECT_EQ(sessions[0].labels.at(kDeployLabel), "app");
  EXPECT_EQ(sessions[0].labels.at(kSpecHashLabel).size(), 16u);
  // Paths 0 and 1 are the same spec apart from the container path.
  EXPECT_NE(sessions[0].labels.at(kSpecHashLabel), sessions[1].labels.at(kSpecHashLabel));
  // Planning again gives the same hash: the label is stable across runs.
  auto again = planAll(loadFixture("errors/all-modes"));
  EXPECT_EQ(sessions[3].labels.at(kSpecHashLabel), again[3].labels.at(kSpecHashLabel));
}

// gardensync's watcher serves the local side where it is the source: every mode but the reverse
// ones; and every session whose local side receives (it watches the container side there).
// Turned off, no session relies on it, and the spec hash differs so sessions are replaced.
TEST(Plan, TheWatcherServesTheLocalSideOfEveryModeButTheReverseOnesAndTheContainerWhereItSends) {
  auto config = loadFixture("errors/all-modes");
  auto on = planSessions(config, selectSyncDeploys(config, {"*"}), testEndpoint, {true});
  auto off = planSessions(config, selectSyncDeploys(config, {"*"}), testEndpoint, {false});
  ASSERT_EQ(on.size(), 9u);
  for (size_t i = 0; i < on.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(on[i].localWatcher, !on[i].containerIsAlpha);
    EXPECT_EQ(on[i].labels.at(kWatcherLabel), "on");  // every mode has a side it watches
    EXPECT_FALSE(off[i].localWatcher);
    EXPECT_EQ(off[i].labels.at(kWatcherLabel), "off");
    EXPECT_NE(on[i].labels.at(kSpecHashLabel), off[i].labels.at(kSpecHashLabel));
  }
}

// New local files get what the umask makes of 0666/0777, in the modes that write locally; the
// container side keeps its configured modes. Mutagen refuses zero modes, so none is planned.
TEST(Plan, LocalModesFollowTheUmaskWhereTheLocalSideReceives) {
  auto config = loadFixture("errors/all-modes");
  PlanOptions options;
  options.umask = 0027;
  auto sessions = planSessions(config, selectSyncDeploys(config, {"*"}), testEndpoint, options);
  ASSERT_EQ(sessions.size(), 9u);
  for (const auto& session : sessions) {
    SCOPED_TRACE(session.name);
    if (localSideReceives(session.syncMode)) {
      EXPECT_EQ(session.localFileMode, "0640");
      EXPECT_EQ(session.localDirectoryMode, "0750");
    } else {
      EXPECT_FALSE(session.localFileMode);
      EXPECT_FALSE(session.localDirectoryMode);
    }
  }
  options.umask = 0777;
  for (const auto& session : planSessions(config, selectSyncDeploys(config, {"*"}), testEndpoint, options)) {
    EXPECT_FALSE(session.localFileMode);
    EXPECT_FALSE(session.localDirectoryMode);
  }
  options.umask = 0666;
  for (const auto& session : planSessions(config, selectSyncDeploys(config, {"*"}), testEndpoint, options)) {
    EXPECT_FALSE(session.localFileMode);
    if (localSideReceives(session.syncMode)) {
      EXPECT_EQ(session.localDirectoryMode, "0111");
    }
  }
}

TEST(Plan, JsonHasExactlyThePublicKeys) {
  auto sessions = planAll(loadFixture("seed/permissions"));
  ASSERT_EQ(sessions.size(), 1u);
  nlohmann::json json = toJson(sessions[0]);
  std::vector<std::string> keys;
  for (const auto& [key, value] : json.items()) keys.push_back(key);
  EXPECT_THAT(keys, ::testing::UnorderedElementsAre("deploy", "name", "labels", "gardenMode", "mode", "alpha",
                                                    "beta", "ignore", "defaultOwner", "defaultGroup",
                                                    "defaultFileMode", "defaultDirectoryMode", "localFileMode",
                                                    "localDirectoryMode", "localWatcher"));
  EXPECT_EQ(json["beta"], "test://node-service/node-service-0/app/src");
  EXPECT_EQ(json["defaultFileMode"], "0666");
  EXPECT_EQ(json["defaultDirectoryMode"], "0777");
  EXPECT_EQ(json["defaultOwner"], "id:1000");
}

TEST(Plan, SelectionRejectsUnknownAndSyncLessDeploys) {
  auto config = loadFixture("seed/container-sync");
  EXPECT_EQ(selectSyncDeploys(config, {"node-service"}).size(), 1u);
  EXPECT_THROW(selectSyncDeploys(config, {"nope"}), UsageError);
}

TEST(AfterSyncPlan, ActionsAndRebuildOnArePrintedBesideTheSessions) {
  auto config = loadFixture("after-sync");
  auto sessions = planAll(config);
  ASSERT_EQ(sessions.size(), 3u);
  EXPECT_EQ(afterSyncJson(config, sessions),
            nlohmann::json::parse(R"([
              {"deploy": "web", "session": "web-0", "run": ["sh", "-c", "date > /tmp/built"], "restart": false},
              {"deploy": "web", "session": "web-1", "run": null, "restart": true}
            ])"));
  EXPECT_EQ(rebuildOnJson(config, sessions),
            nlohmann::json::array({{{"deploy", "web"},
                                    {"build", "web-image"},
                                    {"folder", fixture("after-sync/web").string()},
                                    {"patterns", {"Dockerfile", "config/*.json"}}}}));
  // Not in the sessions' objects: changing an action must not replace a running session.
  EXPECT_FALSE(toJson(sessions[0]).contains("afterSync"));
  EXPECT_EQ(toJson(sessions[0]).size(), 15u);
}

TEST(AfterSyncPlan, NothingWithoutActions) {
  auto config = loadFixture("seed/advanced");
  auto sessions = planAll(config);
  EXPECT_EQ(afterSyncJson(config, sessions), nlohmann::json::array());
  EXPECT_EQ(rebuildOnJson(config, sessions), nlohmann::json::array());
}

}  // namespace
}  // namespace gardensync::sync
