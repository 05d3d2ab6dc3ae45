#include "gardensync/cli/after_sync.h"

#include <fstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../config/load_helpers.h"
#include "gardensync/util/error.h"
#include "gardensync/util/temp_dir.h"

namespace gardensync::cli {
namespace {

using namespace std::chrono_literals;
using gardensync::testing::loadFixture;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

const AfterSyncClock::time_point t0{};

std::string testEndpoint(const config::Action& deploy, const config::SyncPath& path, const std::string& session) {
  return "test://" + deploy.name + "/" + session + path.containerPath;
}

std::vector<sync::PlannedSession> planAll(const config::ProjectConfig& config) {
  return sync::planSessions(config, sync::selectSyncDeploys(config, {"*"}), testEndpoint);
}

sync::SyncEvent changes(const std::string& session, sync::Direction direction = sync::Direction::ToContainer) {
  sync::SyncEvent event;
  event.type = "changes";
  event.session = session;
  event.deploy = session.substr(0, session.rfind('-'));
  event.changes = sync::FileChanges{direction, {"a.js"}, 0, 1};
  return event;
}

SessionAction runAction(const std::string& session, std::vector<std::string> command, size_t index = 0) {
  config::AfterSync after;
  after.run = std::move(command);
  return {session.substr(0, session.rfind('-')), session, index, after};
}

SessionAction restartAction(const std::string& session, size_t index = 0) {
  config::AfterSync after;
  after.restart = true;
  return {session.substr(0, session.rfind('-')), session, index, after};
}

TEST(AfterSyncActions, FoundThroughThePlannedSessionsPathIndex) {
  const auto config = loadFixture("after-sync");
  auto sessions = planAll(config);
  // Only web-1 planned: its action is the second path's, whatever its place in the plan.
  const auto actions = sessionActions(config, {sessions[1]});
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].session, "web-1");
  EXPECT_EQ(actions[0].pathIndex, 1u);
  EXPECT_TRUE(actions[0].action.restart);

  const auto all = sessionActions(config, sessions);
  ASSERT_EQ(all.size(), 2u);  // web-2 (replica-reverse) has none
  EXPECT_EQ(all[0].session, "web-0");
  EXPECT_THAT(all[0].action.run, ElementsAre("sh", "-c", "date > /tmp/built"));
}

TEST(AfterSyncActions, OnlyChangesToTheContainerOfASessionWithAnActionCount) {
  const std::vector<SessionAction> actions{runAction("web-0", {"make"})};
  EXPECT_EQ(sessionToAct(changes("web-0"), actions), "web-0");
  EXPECT_EQ(sessionToAct(changes("web-0", sync::Direction::ToLocal), actions), "");
  EXPECT_EQ(sessionToAct(changes("web-1"), actions), "");
  sync::SyncEvent state = changes("web-0");
  state.type = "state";
  EXPECT_EQ(sessionToAct(state, actions), "");
  sync::SyncEvent noChanges = changes("web-0");
  noChanges.changes.reset();
  EXPECT_EQ(sessionToAct(noChanges, actions), "");
}

TEST(AfterSyncRebuildOn, PatternsMatchRelativePaths) {
  const std::vector<std::string> patterns{"Dockerfile", "config/*.json", "deps/**/*.lock", "./package.json"};
  EXPECT_TRUE(matchesRebuildOn(patterns, "Dockerfile"));
  EXPECT_TRUE(matchesRebuildOn(patterns, "config/app.json"));
  EXPECT_TRUE(matchesRebuildOn(patterns, "deps/a/b/c.lock"));
  EXPECT_TRUE(matchesRebuildOn(patterns, "package.json"));
  EXPECT_FALSE(matchesRebuildOn(patterns, "src/Dockerfile"));
  EXPECT_FALSE(matchesRebuildOn(patterns, "config/sub/app.json"));
  EXPECT_FALSE(matchesRebuildOn(patterns, "Dockerfile.dev"));
}

TEST(AfterSyncRebuildOn, PatternRootIsWhereScanningStarts) {
  auto root = patternRoot("Dockerfile");
  EXPECT_EQ(root.prefix, "Dockerfile");
  EXPECT_EQ(root.depth, 0u);
  root = patternRoot("config/*.json");
  EXPECT_EQ(root.prefix, "config");
  EXPECT_EQ(root.depth, 1u);
  EXPECT_FALSE(root.recursive);
  root = patternRoot("deps/**/*.lock");
  EXPECT_EQ(root.prefix, "deps");
  EXPECT_TRUE(root.recursive);
  EXPECT_EQ(patternRoot("./package.json").prefix, "package.json");
  root = patternRoot("*.txt");
  EXPECT_EQ(root.prefix, "");
  EXPECT_EQ(root.depth, 1u);
}

TEST(AfterSyncRebuildOn, ChangedFilesAreCreatedRemovedOrModified) {
  const auto t = std::filesystem::file_time_type::clock::now();
  const FileTimes before{{"Dockerfile", t}, {"a.json", t}, {"gone.json", t}};
  const FileTimes after{{"Dockerfile", t}, {"a.json", t + 1s}, {"new.json", t}};
  EXPECT_THAT(changedFiles(before, after), ElementsAre("a.json", "gone.json", "new.json"));
  EXPECT_THAT(changedFiles(after, after), IsEmpty());
}

void writeFile(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

TEST(AfterSyncRebuildOn, ScanFindsOnlyMatchingFiles) {
  util::TempDir dir("gs-after-sync-");
  writeFile(dir / "Dockerfile", "FROM busybox\n");
  writeFile(dir / "config/app.json", "{}");
  writeFile(dir / "config/deep/other.json", "{}");
  writeFile(dir / "config/readme.md", "");
  writeFile(dir / "node_modules/x/Dockerfile", "");
  writeFile(dir / "src/main.js", "");
  writeFile(dir / "package.json", "{}");
  const RebuildWatch watch{"web", "web-image", dir.path(), {"Dockerfile", "config/*.json", "**/Dockerfile", "./package.json"}};
  const FileTimes scan = scanRebuildFiles(watch);
  std::vector<std::string> paths;
  for (const auto& [path, time] : scan) paths.push_back(path);
  EXPECT_THAT(paths, ElementsAre("Dockerfile", "config/app.json", "package.json"));
}

TEST(AfterSyncDebounce, WaitsUntilQuiet) {
  Debounce debounce;
  debounce.note("a", t0);
  debounce.note("b", t0 + 100ms);
  debounce.note("a", t0 + 200ms);  // a burst: a waits again
  EXPECT_THAT(debounce.due(t0 + 350ms), IsEmpty());
  EXPECT_THAT(debounce.due(t0 + 400ms), ElementsAre("b"));
  EXPECT_THAT(debounce.due(t0 + 500ms), ElementsAre("a"));
  EXPECT_TRUE(debounce.empty());
  debounce.note("c", t0);
  debounce.forget("c");
  EXPECT_THAT(debounce.due(t0 + 10s), IsEmpty());
}

TEST(AfterSyncDecisions, ABurstOfChangesRunsTheCommandOnce) {
  AfterSyncDecisions decisions({runAction("web-0", {"npm", "run", "build"})}, {});
  decisions.onEvent(changes("web-0"), t0);
  decisions.onEvent(changes("web-0"), t0 + 200ms);
  decisions.onEvent(changes("web-0", sync::Direction::ToLocal), t0 + 450ms);  // not an edit going in
  EXPECT_THAT(decisions.due(t0 + 400ms), IsEmpty());
  const auto due = decisions.due(t0 + 500ms);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].kind, DueAction::Kind::Run);
  EXPECT_EQ(due[0].deploy, "web");
  EXPECT_THAT(due[0].sessions, ElementsAre("web-0"));
  EXPECT_THAT(due[0].command, ElementsAre("npm", "run", "build"));
  EXPECT_THAT(decisions.due(t0 + 5s), IsEmpty());
}

TEST(AfterSyncDecisions, RestartsOfOneDeployDueTogetherAreOne) {
  AfterSyncDecisions decisions({restartAction("web-0", 0), restartAction("web-1", 1), runAction("api-0", {"make"})},
                               {});
  decisions.onEvent(changes("web-1"), t0);
  decisions.onEvent(changes("api-0"), t0);
  decisions.onEvent(changes("web-0"), t0 + 10ms);
  const auto due = decisions.due(t0 + 1s);
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].kind, DueAction::Kind::Restart);
  EXPECT_THAT(due[0].sessions, ElementsAre("web-1", "web-0"));
  EXPECT_EQ(due[0].pathIndex, 1u);
  EXPECT_EQ(due[1].kind, DueAction::Kind::Run);
  EXPECT_EQ(due[1].deploy, "api");
}

TEST(AfterSyncDecisions, ARebuildComesFirstAndDropsTheDeploysPendingActions) {
  const RebuildWatch watch{"web", "web-image", "/p/web", {"Dockerfile"}};
  AfterSyncDecisions decisions({runAction("web-0", {"make"}), runAction("api-0", {"make"})}, {watch});
  decisions.onEvent(changes("web-0"), t0);
  decisions.onEvent(changes("api-0"), t0);
  decisions.onFilesChanged("web", {"Dockerfile"}, t0);
  decisions.onFilesChanged("web", {}, t0 + 100ms);  // a scan without changes is no change
  const auto due = decisions.due(t0 + 300ms);
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].kind, DueAction::Kind::Rebuild);
  EXPECT_EQ(due[0].deploy, "web");
  EXPECT_THAT(due[0].files, ElementsAre("Dockerfile"));
  EXPECT_EQ(due[1].deploy, "api");
  EXPECT_EQ(describeAction(due[0]), "rebuild (Dockerfile changed)");
}

// A new pod gets every synced file again: that must not call for another restart.
TEST(AfterSyncDecisions, TheResyncOfAFreshContainerCallsForNothing) {
  AfterSyncDecisions decisions({restartAction("web-0")}, {});
  decisions.onFreshContainer("web");
  decisions.onEvent(changes("web-0"), t0);
  EXPECT_THAT(decisions.due(t0 + 1s), IsEmpty());
  decisions.onEvent(changes("web-0"), t0 + 2s);  // the next edit does
  EXPECT_EQ(decisions.due(t0 + 3s).size(), 1u);
}

TEST(AfterSyncEvents, StartedAndFinishedNameTheActionAndOutcome) {
  DueAction run;
  run.deploy = "web";
  run.sessions = {"web-0"};
  run.command = {"sh", "-c", "echo hi > /tmp/x"};
  EXPECT_EQ(describeAction(run), "run: sh -c 'echo hi > /tmp/x'");
  const auto event = actionEvent(kActionFinished, run, "run: make: exit code 2");
  EXPECT_EQ(event.type, "action-finished");
  EXPECT_EQ(event.session, "web-0");
  EXPECT_EQ(event.deploy, "web");
  EXPECT_EQ(event.message, "run: make: exit code 2");
  DueAction rebuild;
  rebuild.kind = DueAction::Kind::Rebuild;
  rebuild.deploy = "web";
  rebuild.files = {"a", "b", "c", "d", "e", "f", "g"};
  EXPECT_EQ(describeAction(rebuild), "rebuild (a, b, c, d, e and 2 more changed)");
  EXPECT_EQ(actionEvent(kActionStarted, rebuild, "x").session, "");
}

// Records what the runner asks of the provider; every other call fails the test.
class FakeProvider : public providers::Provider {
public:
  mutable std::vector<std::string> calls;
  util::ProcessResult result;
  bool failRestart = false;

  const std::string& name() const override { return name_; }
  std::string syncEndpoint(const config::Action&, const config::SyncPath&, const std::string&) const override {
    return unexpected<std::string>();
  }
  std::map<std::string, std::string> prepareTransport(const providers::TransportContext&) const override {
    return unexpected<std::map<std::string, std::string>>();
  }
  void checkDeploySupported(const config::Action&) const override { unexpected<int>(); }
  void checkAvailable() const override { unexpected<int>(); }
  providers::BuildResult build(const config::Action&, const providers::OutputFunction&) const override {
    return unexpected<providers::BuildResult>();
  }
  providers::DeployPlan planDeploy(const config::Action&, bool) const override {
    return unexpected<providers::DeployPlan>();
  }
  void applyDeploy(const providers::DeployPlan&, const providers::StatusFunction&) const override { unexpected<int>(); }
  void checkStarted(const std::vector<providers::DeployPlan>&, const providers::StatusFunction&) const override {
    unexpected<int>();
  }
  std::vector<providers::DeployState> describe(const std::vector<const config::Action*>&) const override {
    return unexpected<std::vector<providers::DeployState>>();
  }
  void requireRunning(const config::Action&) const override { unexpected<int>(); }
  void prepareSyncTargets(const std::vector<sync::PlannedSession>&, const providers::StatusFunction&) const override {
    unexpected<int>();
  }
  void beforeSessionCreate(const sync::PlannedSession&, const providers::TransportContext&) const override {
    unexpected<int>();
  }
  util::ProcessResult exec(const config::Action&, const std::vector<std::string>&) const override {
    return unexpected<util::ProcessResult>();
  }
  util::ProcessResult execInSyncTarget(const config::Action& deploy, const config::SyncPath& path,
                                       const std::vector<std::string>& command) const override {
    calls.push_back("exec " + deploy.name + " " + path.containerPath + " " + command.back());
    return result;
  }
  bool restartSyncTarget(const config::Action& deploy, const config::SyncPath& path,
                         const providers::StatusFunction& onStatus) const override {
    calls.push_back("restart " + deploy.name + " " + path.containerPath);
    onStatus("restarting");
    if (failRestart) throw Error("the engine said no");
    return false;
  }
  std::vector<std::string> interactiveExec(const config::Action&, const std::vector<std::string>&, bool) const override {
    return unexpected<std::vector<std::string>>();
  }
  std::string logs(const config::Action&, int) const override { return unexpected<std::string>(); }
  void followLogs(const config::Action&, int, const providers::OutputFunction&) const override { unexpected<int>(); }
  std::vector<std::string> cleanup(const std::vector<std::string>&) const override {
    return unexpected<std::vector<std::string>>();
  }

private:
  template <typename T>
  T unexpected() const {
    ADD_FAILURE() << "unexpected provider call";
    return T{};
  }
  std::string name_ = "fake";
};

struct RunnerFixture {
  config::ProjectConfig config = loadFixture("after-sync");
  FakeProvider provider;
  std::vector<sync::SyncEvent> emitted;
  std::vector<std::string> redeployed;

  AfterSyncRunner runner() {
    std::vector<const config::Action*> deploys{config.find(config::ActionKind::Deploy, "web")};
    return AfterSyncRunner(
        config, provider, planAll(config), deploys,
        [this](const config::Action& deploy) { redeployed.push_back(deploy.name); },
        [this](const sync::SyncEvent& event) { emitted.push_back(event); });
  }
};

// Waits out the debounce the way the follow loop does: ticking.
void tickPastQuiet(AfterSyncRunner& runner) {
  std::this_thread::sleep_for(kAfterSyncQuiet + 50ms);
  runner.tick();
}

TEST(AfterSyncRunner, RunsTheCommandAndReportsItsExitCode) {
  RunnerFixture f;
  f.provider.result.exitCode = 3;
  f.provider.result.stdoutText = "building\n";
  auto runner = f.runner();
  EXPECT_TRUE(runner.active());
  runner.onEvent(changes("web-0"));
  tickPastQuiet(runner);
  EXPECT_THAT(f.provider.calls, ElementsAre("exec web /app/src date > /tmp/built"));
  ASSERT_EQ(f.emitted.size(), 2u);
  EXPECT_EQ(f.emitted[0].type, "action-started");
  EXPECT_EQ(f.emitted[0].message, "run: sh -c 'date > /tmp/built'");
  EXPECT_EQ(f.emitted[1].type, "action-finished");
  EXPECT_EQ(f.emitted[1].session, "web-0");
  EXPECT_EQ(f.emitted[1].message, "run: sh -c 'date > /tmp/built': exit code 3");
}

TEST(AfterSyncRunner, AFailingRestartIsReportedAndFollowingGoesOn) {
  RunnerFixture f;
  f.provider.failRestart = true;
  auto runner = f.runner();
  runner.onEvent(changes("web-1"));
  EXPECT_NO_THROW(tickPastQuiet(runner));
  EXPECT_THAT(f.provider.calls, ElementsAre("restart web /app/copy"));
  ASSERT_EQ(f.emitted.size(), 2u);
  EXPECT_EQ(f.emitted[1].message, "restart: failed: the engine said no");
  // And the next change is acted on again, reported where the follow loop says.
  f.provider.failRestart = false;
  std::vector<sync::SyncEvent> elsewhere;
  runner.setEmit([&](const sync::SyncEvent& event) { elsewhere.push_back(event); });
  runner.onEvent(changes("web-1"));
  tickPastQuiet(runner);
  EXPECT_EQ(f.emitted.size(), 2u);
  ASSERT_EQ(elsewhere.size(), 2u);
  EXPECT_EQ(elsewhere[1].message, "restart: done");
}

}  // namespace
}  // namespace gardensync::cli
