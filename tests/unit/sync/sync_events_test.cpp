#include "gardensync/sync/sync_events.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "gardensync/sync/plan.h"

namespace gardensync::sync {
namespace {

using ::testing::ElementsAre;

mutagen::SessionStatus session(const std::string& id, const std::string& gardenMode, const std::string& mode) {
  mutagen::SessionStatus s;
  s.identifier = id;
  s.name = "api-0";
  s.mode = mode;
  s.labels = {{kDeployLabel, "api"}, {kGardenModeLabel, gardenMode}};
  s.status = "watching";
  s.successfulCycles = 1;
  s.alpha.connected = s.beta.connected = true;
  s.alpha.protocol = gardenMode.ends_with("reverse") ? "docker" : "local";
  s.beta.protocol = gardenMode.ends_with("reverse") ? "local" : "docker";
  return s;
}

mutagen::SessionStatus twoWay() { return session("sync_1", "two-way-safe", "two-way-safe"); }

std::vector<std::string> types(const std::vector<SyncEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.type);
  return out;
}

// A session's state moves through `statuses`, each a list result.
std::vector<SyncEvent> cycle(EventTracker& tracker, mutagen::SessionStatus& s, const std::vector<std::string>& statuses) {
  std::vector<SyncEvent> all;
  for (const auto& status : statuses) {
    s.status = status;
    if (status == "watching") ++s.successfulCycles;
    auto events = tracker.update({s});
    all.insert(all.end(), events.begin(), events.end());
  }
  return all;
}

const SyncEvent* findChanges(const std::vector<SyncEvent>& events, Direction direction) {
  for (const auto& e : events)
    if (e.type == "changes" && e.changes && e.changes->direction == direction) return &e;
  return nullptr;
}

TEST(SyncEvents, ASessionSeenFirstIsStartedAndOneThatGoesIsStopped) {
  EventTracker tracker;
  auto s = twoWay();
  auto events = tracker.update({s});
  ASSERT_THAT(types(events), ElementsAre("started"));
  EXPECT_EQ(events[0].session, "api-0");
  EXPECT_EQ(events[0].deploy, "api");
  EXPECT_EQ(events[0].state, "watching");
  EXPECT_TRUE(tracker.update({s}).empty());
  EXPECT_THAT(types(tracker.update({})), ElementsAre("stopped"));
}

TEST(SyncEvents, AnEditSeenWhileIdleGoesToTheContainerWithTheNextCycle) {
  EventTracker tracker;
  auto s = twoWay();
  tracker.update({s});
  tracker.noteLocalChange("sync_1", "src/b.js", false);
  tracker.noteLocalChange("sync_1", "src/a.js", false);
  s.beta.totalStageFiles = 2;
  auto events = cycle(tracker, s, {"scanning", "staging-beta", "transitioning", "watching"});
  const auto* changes = findChanges(events, Direction::ToContainer);
  ASSERT_NE(changes, nullptr);
  EXPECT_THAT(changes->changes->paths, ElementsAre("src/a.js", "src/b.js"));
  EXPECT_EQ(changes->changes->stagedFiles, 2u);
  EXPECT_EQ(changes->cycles, 2u);
  EXPECT_EQ(findChanges(events, Direction::ToLocal), nullptr);
  EXPECT_EQ(describe(*changes), "api-0: 2 changes to the container: src/a.js, src/b.js");
}

TEST(SyncEvents, AFileMutagenWroteLocallyCameFromTheContainer) {
  EventTracker tracker;
  auto s = twoWay();
  tracker.update({s});
  s.alpha.totalStageFiles = 1;
  auto events = cycle(tracker, s, {"scanning", "staging-alpha"});
  tracker.noteLocalChange("sync_1", "log/access.log", true);
  tracker.noteLocalChange("sync_1", "old.txt", false);  // a deletion during the cycle
  auto rest = cycle(tracker, s, {"transitioning", "watching"});
  events.insert(events.end(), rest.begin(), rest.end());
  const auto* changes = findChanges(events, Direction::ToLocal);
  ASSERT_NE(changes, nullptr);
  EXPECT_THAT(changes->changes->paths, ElementsAre("log/access.log", "old.txt"));
  EXPECT_EQ(changes->changes->stagedFiles, 1u);
  EXPECT_EQ(findChanges(events, Direction::ToContainer), nullptr);
}

TEST(SyncEvents, InAOneWayModeEveryLocalChangeIsAnEdit) {
  EventTracker tracker;
  auto s = session("sync_1", "one-way-replica", "one-way-replica");
  tracker.update({s});
  s.status = "scanning";
  tracker.update({s});
  tracker.noteLocalChange("sync_1", "a.txt", false);  // seen mid-cycle, still the user's
  auto events = cycle(tracker, s, {"transitioning", "watching"});
  const auto* changes = findChanges(events, Direction::ToContainer);
  ASSERT_NE(changes, nullptr);
  EXPECT_THAT(changes->changes->paths, ElementsAre("a.txt"));
}

TEST(SyncEvents, InAReverseModeLocalChangesAreWhatCameFromTheContainer) {
  EventTracker tracker;
  auto s = session("sync_1", "one-way-replica-reverse", "one-way-replica");
  tracker.update({s});
  tracker.noteLocalChange("sync_1", "out.txt", false);
  s.alpha.totalStageFiles = 0;
  s.beta.totalStageFiles = 3;  // beta is the local side here: it receives
  auto events = cycle(tracker, s, {"scanning", "staging-beta", "watching"});
  const auto* changes = findChanges(events, Direction::ToLocal);
  ASSERT_NE(changes, nullptr);
  EXPECT_THAT(changes->changes->paths, ElementsAre("out.txt"));
  EXPECT_EQ(changes->changes->stagedFiles, 3u);
  EXPECT_EQ(findChanges(events, Direction::ToContainer), nullptr);
}

TEST(SyncEvents, ManyPathsAreCappedAndCounted) {
  EventTracker tracker;
  auto s = twoWay();
  tracker.update({s});
  for (int i = 0; i < 250; ++i) tracker.noteLocalChange("sync_1", "f" + std::to_string(1000 + i), false);
  auto events = cycle(tracker, s, {"scanning", "watching"});
  const auto* changes = findChanges(events, Direction::ToContainer);
  ASSERT_NE(changes, nullptr);
  EXPECT_EQ(changes->changes->paths.size(), kMaxReportedPaths);
  EXPECT_EQ(changes->changes->omittedPaths, 150u);
  EXPECT_EQ(describe(*changes), "api-0: 250 changes to the container: f1000, f1001, f1002, f1003, f1004 and 245 more");
  auto json = toJson(*changes, "2026-11-26T05:00:00.000Z");
  EXPECT_EQ(json["event"], "changes");
  EXPECT_EQ(json["direction"], "to-container");
  EXPECT_EQ(json["omittedPaths"], 150);
  EXPECT_EQ(json["paths"].size(), kMaxReportedPaths);
  EXPECT_EQ(json["time"], "2026-11-26T05:00:00.000Z");
}

TEST(SyncEvents, ACycleWithNothingMovedSaysNothing) {
  EventTracker tracker;
  auto s = twoWay();
  tracker.update({s});
  EXPECT_THAT(types(cycle(tracker, s, {"scanning", "watching"})), ElementsAre("state", "state"));
}

TEST(SyncEvents, ChangesOfAnUnknownSessionAreIgnored) {
  EventTracker tracker;
  tracker.noteLocalChange("sync_unknown", "a", false);
  auto s = twoWay();
  tracker.update({s});
  auto events = cycle(tracker, s, {"scanning", "watching"});
  EXPECT_EQ(findChanges(events, Direction::ToContainer), nullptr);
}

TEST(SyncEvents, HaltPauseDisconnectAndErrorsAreReportedOnce) {
  EventTracker tracker;
  auto s = twoWay();
  tracker.update({s});
  s.status = "halted-on-root-emptied";
  auto events = tracker.update({s});
  ASSERT_THAT(types(events), ElementsAre("state", "halted"));
  EXPECT_NE(events[1].message.find("Restore the files"), std::string::npos) << events[1].message;

  s.status = "watching";
  s.paused = true;
  EXPECT_THAT(types(tracker.update({s})), ElementsAre("paused"));
  s.paused = false;
  EXPECT_THAT(types(tracker.update({s})), ElementsAre("resumed"));

  s.beta.connected = false;
  s.status = "connecting-beta";
  s.lastError = "unable to connect to beta";
  EXPECT_THAT(types(tracker.update({s})), ElementsAre("disconnected", "state", "error"));
  EXPECT_TRUE(tracker.update({s}).empty());  // the same error is not repeated
  s.beta.connected = true;
  s.status = "watching";
  s.lastError.clear();
  EXPECT_THAT(types(tracker.update({s})), ElementsAre("connected", "state"));
}

TEST(SyncEvents, ConflictsAreReportedWhenTheyAppear) {
  EventTracker tracker;
  auto s = twoWay();
  tracker.update({s});
  s.conflicts.push_back({"a.txt", {{"a.txt", "file", "file"}}, {{"a.txt", "file", "file"}}});
  auto events = tracker.update({s});
  ASSERT_THAT(types(events), ElementsAre("conflict"));
  EXPECT_NE(events[0].message.find("a.txt"), std::string::npos);
  EXPECT_TRUE(tracker.update({s}).empty());
  auto json = toJson(events[0], "t");
  EXPECT_EQ(json["message"], events[0].message);
  EXPECT_EQ(json["session"], "api-0");
}

TEST(SyncEvents, EndedCarriesOnlyItsReason) {
  SyncEvent ended;
  ended.type = "ended";
  ended.message = "no syncs left to follow";
  auto json = toJson(ended, "t");
  EXPECT_EQ(json, nlohmann::json({{"time", "t"}, {"event", "ended"}, {"message", "no syncs left to follow"}}));
}

}  // namespace
}  // namespace gardensync::sync
