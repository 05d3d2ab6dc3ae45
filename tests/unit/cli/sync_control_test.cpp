#include "gardensync/cli/sync_control.h"

#include <condition_variable>
#include <mutex>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../fake_runner.h"
#include "gardensync/util/error.h"

namespace gardensync::cli {
namespace {

using testing::answer;
using testing::FakeRunner;

std::string session(const std::string& id, const std::string& name, const std::string& status, int cycles,
                    const std::string& hash = "h1") {
  return R"({"identifier":")" + id + R"(","name":")" + name +
         R"(","labels":{"gardensync.io/project":"shop","gardensync.io/deploy":"api","gardensync.io/spec-hash":")" +
         hash + R"("},"status":")" + status + R"(",)" +
         (cycles ? R"("successfulCycles":)" + std::to_string(cycles) + "," : std::string()) +
         R"("alpha":{"connected":true},"beta":{"connected":true}})";
}

std::string list(const std::vector<std::string>& sessions) {
  std::string text = "[";
  for (const auto& s : sessions) text += (text.size() > 1 ? "," : "") + s;
  return text + "]";
}

sync::PlannedSession planned(const std::string& name, const std::string& hash) {
  sync::PlannedSession s;
  s.deploy = "api";
  s.name = name;
  s.mode = "two-way-safe";
  s.alpha = "/src";
  s.beta = "docker://gs-shop-api/app";
  s.labels = {{sync::kProjectLabel, "shop"}, {sync::kDeployLabel, "api"}, {sync::kSpecHashLabel, hash}};
  return s;
}

struct Fixture {
  FakeRunner runner;
  mutagen::MutagenCli cli{"mutagen", "/data", runner};
  mutagen::SessionClient client{cli};
};

TEST(SyncControl, WaitEndsWhenTheSessionsItStartedHaveSynced) {
  Fixture f;
  f.runner.on({"sync", "list"}, {answer(0, list({session("sync_1", "api-0", "scanning", 0)})),
                                 answer(0, list({session("sync_1", "api-0", "watching", 1)}))});
  auto views = waitForInitialSync(f.client, "shop", {"sync_1"});
  ASSERT_EQ(views.size(), 1u);
  EXPECT_EQ(f.runner.countCalls("list"), 2u);
}

// Another gardensync's session of the same name, still scanning, is none of this run's business.
TEST(SyncControl, WaitIgnoresSessionsOfTheSameNameItDidNotStart) {
  Fixture f;
  f.runner.on({"sync", "list"}, {answer(0, list({session("sync_other", "api-0", "scanning", 0),
                                                 session("sync_1", "api-0", "watching", 1)}))});
  EXPECT_EQ(waitForInitialSync(f.client, "shop", {"sync_1"}).size(), 1u);
}

TEST(SyncControl, WaitEndsWithAnErrorWhenItsSessionsAreStoppedFromElsewhere) {
  Fixture f;
  f.runner.on({"sync", "list"}, {answer(0, list({session("sync_1", "api-0", "scanning", 0)})), answer(0, "[]")});
  try {
    waitForInitialSync(f.client, "shop", {"sync_1"});
    FAIL();
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("disappeared while waiting"));
    EXPECT_THAT(e.hint(), ::testing::HasSubstr("gardensync sync start"));
  }
}

TEST(SyncControl, WaitReportsAHaltWithAdvice) {
  Fixture f;
  f.runner.on({"sync", "list"}, {answer(0, list({session("sync_1", "api-0", "halted-on-root-emptied", 0)}))});
  try {
    waitForInitialSync(f.client, "shop", {"sync_1"});
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "sync api-0 halted: halted-on-root-emptied");
    EXPECT_THAT(e.hint(), ::testing::HasSubstr("sync restart"));
  }
}

TEST(SyncControl, ADaemonThatDiedDuringTheWaitIsExplained) {
  Fixture f;
  f.runner.on({"sync", "list"}, {answer(1, "", "Error: unable to connect to daemon: connection refused")});
  try {
    waitForInitialSync(f.client, "shop", {"sync_1"});
    FAIL();
  } catch (const ToolError&) {
    FAIL() << "the raw Mutagen error reached the user";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("Mutagen daemon stopped while waiting"));
    EXPECT_THAT(e.hint(), ::testing::HasSubstr("gardensync sync start"));
  }
}

TEST(SyncControl, ApplyCreatesOnlyWhatChangedAndReturnsEveryIdentifierToWaitFor) {
  Fixture f;
  f.runner.on({"sync", "terminate"}, {answer(0)});
  f.runner.on({"sync", "create"}, {answer(0, "Connecting...\rCreated session sync_new\n")});
  auto running = mutagen::parseSessionList(list({session("sync_kept", "api-0", "watching", 3, "h1"),
                                                 session("sync_old", "api-1", "watching", 3, "stale")}));
  auto summary = applySessions(f.client, "shop", {"api"}, {planned("api-0", "h1"), planned("api-1", "h2")}, running);
  EXPECT_EQ(summary.created, 1u);
  EXPECT_EQ(summary.unchanged, 1u);
  EXPECT_EQ(summary.terminated, 1u);
  EXPECT_THAT(summary.identifiers, ::testing::UnorderedElementsAre("sync_kept", "sync_new"));
  EXPECT_THAT(f.runner.calls(), ::testing::Contains(::testing::HasSubstr("sync terminate sync_old")));
}

// Mutagen 0.18.1 can answer a create with "prompter not found" when its daemon is slow to register
// the CLI's prompter; nothing was created, so the create is tried again.
TEST(SyncControl, ACreateThatLostMutagensPrompterRaceIsTriedAgain) {
  Fixture f;
  const auto race = answer(1, "", "Error: unable to connect to beta: unable to connect to endpoint: unable to dial "
                                  "agent endpoint: unable to message prompter: prompter not found");
  f.runner.on({"sync", "create"}, {race, answer(0, "Created session sync_new\n")});
  auto summary = applySessions(f.client, "shop", {"api"}, {planned("api-0", "h1")}, {});
  EXPECT_EQ(summary.created, 1u);
  EXPECT_THAT(summary.identifiers, ::testing::ElementsAre("sync_new"));
  EXPECT_EQ(f.runner.countCalls("create"), 2u);
}

TEST(SyncControl, OtherCreateFailuresAndARaceLostThreeTimesAreReported) {
  Fixture f;
  f.runner.on({"sync", "create", "api-0"}, {answer(1, "", "Error: unable to connect to beta: no such container")});
  EXPECT_THROW(applySessions(f.client, "shop", {"api"}, {planned("api-0", "h1")}, {}), ToolError);
  EXPECT_EQ(f.runner.countCalls("create"), 1u);
  FakeRunner& runner = f.runner;
  runner.on({"sync", "create", "api-1"}, {answer(1, "", "unable to message prompter: prompter not found")});
  EXPECT_THROW(applySessions(f.client, "shop", {"api"}, {planned("api-1", "h1")}, {}), ToolError);
  EXPECT_EQ(f.runner.countCalls("api-1"), 3u);
}

// A failed create asks the provider why (its container stopped, cannot host the agent); what it
// says replaces Mutagen's error, and when it has nothing to say Mutagen's error stands.
TEST(SyncControl, AFailedCreateIsExplainedByTheProviderWhenItCan) {
  Fixture f;
  f.runner.on({"sync", "create", "api-0"}, {answer(1, "", "Error: unable to connect to beta: exec failed")});
  std::vector<std::string> asked;
  CreateHooks hooks;
  hooks.explainFailure = [&](const sync::PlannedSession& session) {
    asked.push_back(session.name);
    throw Error("container gs-shop-api cannot host the sync agent: it has no shell (sh)");
  };
  try {
    applySessions(f.client, "shop", {"api"}, {planned("api-0", "h1")}, {}, hooks);
    FAIL();
  } catch (const ToolError&) {
    FAIL() << "Mutagen's error was not replaced";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "container gs-shop-api cannot host the sync agent: it has no shell (sh)");
  }
  EXPECT_EQ(asked, std::vector<std::string>{"api-0"});
  hooks.explainFailure = [&](const sync::PlannedSession& session) { asked.push_back(session.name); };
  EXPECT_THROW(applySessions(f.client, "shop", {"api"}, {planned("api-0", "h1")}, {}, hooks), ToolError);
  EXPECT_EQ(asked.size(), 2u);
}

// Mutagen watches neither side of a one-way session that relies on gardensync's watcher, so it
// runs no first cycle by itself: the new session is flushed, the kept one is not.
TEST(SyncControl, ApplyAsksForTheFirstCycleOfNewSessionsThatRelyOnTheWatcher) {
  Fixture f;
  f.runner.on({"sync", "create", "api-1"}, {answer(0, "Created session sync_new\n")});
  f.runner.on({"sync", "create", "api-2"}, {answer(0, "Created session sync_plain\n")});
  f.runner.on({"sync", "flush"}, {answer(0)});
  auto running = mutagen::parseSessionList(list({session("sync_kept", "api-0", "watching", 3, "h1")}));
  auto watched = planned("api-0", "h1");
  watched.localWatcher = true;
  auto fresh = planned("api-1", "h2");
  fresh.localWatcher = true;
  auto plain = planned("api-2", "h3");
  applySessions(f.client, "shop", {"api"}, {watched, fresh, plain}, running);
  EXPECT_THAT(f.runner.calls(), ::testing::Contains("mutagen sync flush --skip-wait sync_new"));
  EXPECT_EQ(f.runner.countCalls("flush"), 1u);
}

TEST(SyncControl, ACreateThatNamesNoSessionIsAnError) {
  Fixture f;
  f.runner.on({"sync", "create"}, {answer(0, "something unexpected\n")});
  EXPECT_THROW(applySessions(f.client, "shop", {"api"}, {planned("api-0", "h1")}, {}), ToolError);
}

TEST(SyncControl, ADaemonThatDiedDuringACreateIsExplained) {
  Fixture f;
  f.runner.on({"sync", "create"}, {answer(1, "", "Error: error reading from server: EOF")});
  try {
    applySessions(f.client, "shop", {"api"}, {planned("api-0", "h1")}, {});
    FAIL();
  } catch (const ToolError&) {
    FAIL() << "the raw Mutagen error reached the user";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("Mutagen daemon stopped while creating sync session api-0"));
  }
}

TEST(SyncControl, AHangingCreateIsAToolErrorWithTheCommand) {
  Fixture f;
  f.runner.on({"sync", "create"}, {testing::timedOut()});
  try {
    applySessions(f.client, "shop", {"api"}, {planned("api-0", "h1")}, {});
    FAIL();
  } catch (const ToolError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("timed out"));
    EXPECT_THAT(e.command(), ::testing::HasSubstr("mutagen sync create"));
  }
}

// Answers `sync create` only once `expected` creates are running at the same moment (or after a
// few seconds, so that one-after-another creating fails the test instead of hanging it).
class SideBySideCreates : public util::CommandRunner {
public:
  explicit SideBySideCreates(size_t expected) : expected_(expected) {}

  util::ProcessResult run(const std::vector<std::string>& argv, const util::ProcessOptions&) const override {
    const auto name = std::find(argv.begin(), argv.end(), "--name");
    if (name == argv.end() || name + 1 == argv.end()) return answer(1, "", "Error: unexpected call");
    std::unique_lock lock(mutex_);
    ++running_;
    most_ = std::max(most_, running_);
    changed_.notify_all();
    changed_.wait_for(lock, std::chrono::seconds(5), [&] { return most_ >= expected_; });
    --running_;
    return answer(0, "Created session sync_" + *(name + 1) + "\n");
  }
  size_t most() const {
    std::lock_guard lock(mutex_);
    return most_;
  }

private:
  const size_t expected_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  mutable size_t running_ = 0;
  mutable size_t most_ = 0;
};

TEST(SyncControl, CreatesRunSideBySideAndKeepTheirOrder) {
  SideBySideCreates runner(kParallelCreates);
  const mutagen::MutagenCli cli("mutagen", "/data", runner);
  const mutagen::SessionClient client(cli);
  std::vector<sync::PlannedSession> sessions;
  std::vector<std::string> expected;
  for (size_t i = 0; i < kParallelCreates + 2; ++i) {
    sessions.push_back(planned("api-" + std::to_string(i), "h1"));
    expected.push_back("sync_api-" + std::to_string(i));
  }
  EXPECT_EQ(createInParallel(client, sessions), expected);
  EXPECT_EQ(runner.most(), kParallelCreates);
}

TEST(SyncControl, AFailedCreateIsReportedOnceTheOthersHaveEnded) {
  Fixture f;
  f.runner.on({"sync", "create", "api-1"}, {answer(1, "", "Error: unable to connect to beta")});
  f.runner.on({"sync", "create"}, {answer(0, "Created session sync_ok\n")});
  try {
    createInParallel(f.client, {planned("api-0", "h1"), planned("api-1", "h1"), planned("api-2", "h1")});
    FAIL();
  } catch (const ToolError& e) {
    EXPECT_THAT(e.stderrText(), ::testing::HasSubstr("unable to connect to beta"));
  }
  EXPECT_EQ(f.runner.countCalls("create"), 3u);
}

}  // namespace
}  // namespace gardensync::cli
