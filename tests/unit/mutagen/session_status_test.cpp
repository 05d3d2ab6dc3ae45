#include "gardensync/mutagen/session_status.h"

#include <gtest/gtest.h>

#include "gardensync/mutagen/sessions.h"
#include "gardensync/util/error.h"

namespace gardensync::mutagen {
namespace {

// Shaped like `mutagen sync list --template '{{ json . }}'` output of v0.18.1 (zero values omitted).
constexpr const char* kList = R"([
 {"identifier":"sync_A","version":1,"name":"api-0","labels":{"gardensync.io/project":"shop",
  "gardensync.io/deploy":"api","gardensync.io/spec-hash":"h1"},"mode":"two-way-safe","paused":false,
  "status":"watching","successfulCycles":2,
  "alpha":{"protocol":"local","path":"/src","connected":true,"scanned":true,"directories":1,"files":3,"totalFileSize":12},
  "beta":{"protocol":"docker","host":"gs-shop-api","path":"/app","connected":true,"scanned":true,
          "transitionProblems":[{"path":"x","error":"permission denied"}]},
  "conflicts":[{"root":"a.txt","alphaChanges":[{"path":"a.txt","new":{"kind":"file"}}],
                "betaChanges":[{"path":"a.txt","old":{"kind":"file"},"new":{"kind":"file"}}]}]},
 {"identifier":"sync_B","name":"api-1","labels":{"gardensync.io/project":"shop","gardensync.io/deploy":"api",
  "gardensync.io/spec-hash":"old"},"status":"halted-on-root-emptied","alpha":{},"beta":{}},
 {"identifier":"sync_C","name":"web-0","labels":{"gardensync.io/project":"shop","gardensync.io/deploy":"web"}},
 {"identifier":"sync_D","name":"api-0","labels":{"gardensync.io/project":"other","gardensync.io/deploy":"api",
  "gardensync.io/spec-hash":"h1"}}
])";

// The watcher reads which side Mutagen does not watch and which paths the session ignores.
TEST(SessionStatus, ParsesWatchModesAndIgnores) {
  auto sessions = parseSessionList(R"([{"identifier":"sync_W","name":"api-0",
    "alpha":{"protocol":"local","path":"/src","ignore":{},"watch":{"mode":"no-watch"}},
    "beta":{"protocol":"docker","watch":{}},
    "ignore":{"paths":["node_modules","*.log"]}}])");
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].alpha.watchMode, "no-watch");
  EXPECT_EQ(sessions[0].beta.watchMode, "");
  EXPECT_EQ(sessions[0].ignores, (std::vector<std::string>{"node_modules", "*.log"}));
}

TEST(SessionStatus, ParsesMutagensJson) {
  auto sessions = parseSessionList(kList);
  ASSERT_EQ(sessions.size(), 4u);
  const SessionStatus& s = sessions[0];
  EXPECT_EQ(s.identifier, "sync_A");
  EXPECT_EQ(s.labels.at("gardensync.io/deploy"), "api");
  EXPECT_EQ(s.successfulCycles, 2u);
  EXPECT_EQ(s.alpha.files, 3u);
  EXPECT_EQ(s.beta.host, "gs-shop-api");
  ASSERT_EQ(s.beta.transitionProblems.size(), 1u);
  EXPECT_EQ(s.beta.transitionProblems[0].error, "permission denied");
  ASSERT_EQ(s.conflicts.size(), 1u);
  EXPECT_EQ(s.conflicts[0].alphaChanges[0].oldEntry, "");
  EXPECT_EQ(s.conflicts[0].alphaChanges[0].newEntry, "file");
  EXPECT_TRUE(isSynced(s));
  EXPECT_TRUE(isHalted(sessions[1]));
  EXPECT_FALSE(haltAdvice(sessions[1]).empty());
  EXPECT_EQ(sessions[2].successfulCycles, 0u);
}

TEST(SessionStatus, EmptyAndBrokenLists) {
  EXPECT_TRUE(parseSessionList("[]").empty());
  EXPECT_TRUE(parseSessionList("null").empty());
  EXPECT_THROW(parseSessionList("Error: daemon"), Error);
  // Found by the session_json fuzz target: nlohmann reports these as other exception types.
  EXPECT_THROW(parseSessionList("[{\"successfulCycles\":1e999}]"), Error);
  EXPECT_THROW(parseSessionList("[1, \"x\"]"), Error);
  EXPECT_THROW(parseSessionList("[{\"alpha\":{}}, 2]"), Error);
}

TEST(SessionDiff, KeepsUnchangedReplacesChangedAndLeavesOthersAlone) {
  auto existing = parseSessionList(kList);
  sync::PlannedSession same, changed, fresh;
  same.name = "api-0";
  same.labels = {{sync::kSpecHashLabel, "h1"}};
  changed.name = "api-1";
  changed.labels = {{sync::kSpecHashLabel, "new"}};
  fresh.name = "api-2";
  fresh.labels = {{sync::kSpecHashLabel, "h3"}};
  auto changes = diffSessions(existing, {same, changed, fresh}, "shop", {"api"});
  EXPECT_EQ(changes.unchanged, std::vector<std::string>{"api-0"});
  EXPECT_EQ(changes.terminate, std::vector<std::string>{"sync_B"});  // not web's, not project other's
  ASSERT_EQ(changes.create.size(), 2u);
  EXPECT_EQ(changes.create[0].name, "api-1");
  EXPECT_EQ(changes.create[1].name, "api-2");
}

TEST(SessionDiff, DuplicatesAreTerminated) {
  auto existing = parseSessionList(
      R"([{"identifier":"s1","name":"api-0","labels":{"gardensync.io/project":"p","gardensync.io/deploy":"api","gardensync.io/spec-hash":"h"}},
          {"identifier":"s2","name":"api-0","labels":{"gardensync.io/project":"p","gardensync.io/deploy":"api","gardensync.io/spec-hash":"h"}}])");
  sync::PlannedSession planned;
  planned.name = "api-0";
  planned.labels = {{sync::kSpecHashLabel, "h"}};
  auto changes = diffSessions(existing, {planned}, "p", {"api"});
  EXPECT_EQ(changes.terminate, std::vector<std::string>{"s2"});
  EXPECT_TRUE(changes.create.empty());
}

TEST(SessionDiff, ProjectSelector) {
  EXPECT_EQ(projectSelector("shop"), "gardensync.io/project=shop");
  EXPECT_EQ(projectSelector("shop", "api"), "gardensync.io/project=shop,gardensync.io/deploy=api");
}

}  // namespace
}  // namespace gardensync::mutagen
