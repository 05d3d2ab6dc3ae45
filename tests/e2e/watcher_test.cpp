// The file watcher: local changes reach the container with no flush by anyone (Mutagen itself
// watches neither side of these one-way sessions, and the watcher's safety flush is off, so only
// the watcher can have asked for the cycle), excluded paths cause no cycle, a mass deletion halts
// the session before the container loses a file, and the watcher's life follows the sessions'.
#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "gardensync/util/process_info.h"
#include "harness.h"

namespace gardensync::e2e {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Polls, without flushing, until `predicate` holds or 60 s pass.
bool arrives(const std::function<bool()>& predicate) {
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (predicate()) return true;
    std::this_thread::sleep_for(100ms);
  }
  return predicate();
}

// A project with one one-way-replica sync of src/ and the watcher's periodic flush turned off.
void setUp(Project& project, const std::string& extraPathYaml = "") {
  project.env()["GARDENSYNC_WATCHER_SAFETY_FLUSH"] = "0";
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", sleepDeployYaml("app", "      - source: src\n        target: /app/src\n"
                                                     "        mode: one-way-replica\n" + extraPathYaml));
}

fs::path dataDir(const Project& project) { return fs::canonical(project.root() / ".garden/mutagen/latest"); }

// The pids of `gardensync __watch` processes serving this project's data directory.
std::vector<int> watcherPids(const Project& project) {
  const std::string dir = dataDir(project).string();
  std::vector<int> pids;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    auto info = util::readProcessInfo(std::stoi(name));
    if (!info || info->argv.size() < 4 || info->argv[1] != "__watch") continue;
    for (size_t i = 2; i + 1 < info->argv.size(); ++i)
      if (info->argv[i] == "--data-dir" && info->argv[i + 1] == dir) pids.push_back(std::stoi(name));
  }
  return pids;
}

// `sync status --output json`, which exits 1 exactly when a session needs attention.
nlohmann::json status(const Project& project) {
  auto run = project.gardensync({"sync", "status", "--output", "json"});
  auto json = run.json();
  bool attention = false;
  for (const auto& session : json["sessions"])
    attention = attention || session["state"].get<std::string>().starts_with("halted") || session["paused"] == true ||
                !session["problems"].empty() || !session["lastError"].is_null();
  EXPECT_EQ(run.exitCode, attention ? 1 : 0) << run.err;
  return json;
}

size_t countIn(const Project& project, const std::string& dir) {
  auto run = project.exec("app", {"sh", "-c", "find \"$0\" -type f | wc -l", dir});
  return run.exitCode == 0 ? std::stoul(run.out) : 0;
}

TEST(Watcher, NewFoldersRenamesAndDeletesReachTheContainerWithoutAFlush) {
  Project project("e2e-watch-changes");
  setUp(project);
  project.write("src/old/deep/a.txt", "a");
  project.write("src/gone.txt", "bye");
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);
  auto state = status(project);
  EXPECT_EQ(state["watcher"]["running"], true) << state;
  EXPECT_EQ(state["sessions"][0]["localWatcher"], true) << state;
  ASSERT_EQ(project.catIn("app", "/app/src/old/deep/a.txt"), "a");

  project.write("src/old/deep/a.txt", "edited");
  EXPECT_TRUE(arrives([&] { return project.catIn("app", "/app/src/old/deep/a.txt") == "edited"; }));
  project.write("src/new/sub/b.txt", "in a new folder");
  EXPECT_TRUE(arrives([&] { return project.catIn("app", "/app/src/new/sub/b.txt") == "in a new folder"; }));
  fs::rename(project.root() / "src/new/sub/b.txt", project.root() / "src/new/renamed.txt");
  EXPECT_TRUE(arrives([&] {
    return project.catIn("app", "/app/src/new/renamed.txt") == "in a new folder" &&
           !project.existsIn("app", "/app/src/new/sub/b.txt");
  }));
  project.remove("src/gone.txt");
  EXPECT_TRUE(arrives([&] { return !project.existsIn("app", "/app/src/gone.txt"); }));
}

TEST(Watcher, ABurstOfAThousandFilesArrives) {
  Project project("e2e-watch-burst");
  setUp(project);
  project.write("src/keep.txt", "k");
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);
  for (int i = 0; i < 1000; ++i) project.write("src/burst/f" + std::to_string(i) + ".txt", std::to_string(i));
  EXPECT_TRUE(arrives([&] { return countIn(project, "/app/src/burst") == 1000; }));
  EXPECT_EQ(project.catIn("app", "/app/src/burst/f999.txt"), "999");
}

TEST(Watcher, ChangesToExcludedPathsStartNoCycle) {
  Project project("e2e-watch-excluded");
  setUp(project, "        exclude: [\"*.tmp\", cache]\n");
  project.write("src/a.txt", "a");
  project.write("src/cache/old.bin", "x");
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);
  // Settled: nothing but the watcher asks for cycles, and it has nothing to ask for.
  uint64_t cycles = status(project)["sessions"][0]["successfulCycles"];
  std::this_thread::sleep_for(2s);
  ASSERT_EQ(status(project)["sessions"][0]["successfulCycles"], cycles);

  project.write("src/scratch.tmp", "t");
  project.write("src/cache/new.bin", "n");
  project.write("src/cache/deeper/more.bin", "m");
  project.remove("src/cache/old.bin");
  std::this_thread::sleep_for(3s);  // a cycle, had one been asked for, is long done
  EXPECT_EQ(status(project)["sessions"][0]["successfulCycles"], cycles);

  // The watcher still works: a real change gets its cycle.
  project.write("src/a.txt", "changed");
  EXPECT_TRUE(arrives([&] { return project.catIn("app", "/app/src/a.txt") == "changed"; }));
  EXPECT_GT(status(project)["sessions"][0]["successfulCycles"].get<uint64_t>(), cycles);
  EXPECT_FALSE(project.existsIn("app", "/app/src/scratch.tmp"));
}

TEST(Watcher, AKilledWatcherIsStartedAgainByTheNextCommand) {
  Project project("e2e-watch-revive");
  setUp(project);
  project.write("src/a.txt", "a");
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);
  const auto before = watcherPids(project);
  ASSERT_EQ(before.size(), 1u);
  ASSERT_EQ(::kill(before[0], SIGKILL), 0);
  ASSERT_TRUE(arrives([&] { return watcherPids(project).empty(); }));

  // While it is gone, nothing watches the local folder.
  project.write("src/a.txt", "while down");
  auto run = project.gardensync({"sync", "status"});
  EXPECT_EQ(run.exitCode, 0) << run.err;
  EXPECT_NE(run.err.find("the file watcher had stopped"), std::string::npos) << run.err;
  EXPECT_NE(run.out.find("File watcher: running"), std::string::npos) << run.out;
  const auto after = watcherPids(project);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_NE(after[0], before[0]);
  // The change made while it was down arrives (it flushes when it starts), and so do new ones.
  EXPECT_TRUE(arrives([&] { return project.catIn("app", "/app/src/a.txt") == "while down"; }));
  project.write("src/b.txt", "b");
  EXPECT_TRUE(arrives([&] { return project.catIn("app", "/app/src/b.txt") == "b"; }));
}

// A paused session's flushes fail; the watcher keeps it (the Kubernetes transport pauses and
// resumes sessions when a pod is replaced) and serves it again once it is resumed.
TEST(Watcher, APausedSessionIsWatchedAgainOnceResumed) {
  Project project("e2e-watch-pause");
  setUp(project);
  project.write("src/a.txt", "a");
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);
  ASSERT_EQ(project.gardensync({"util", "mutagen", "sync", "pause", "app-0"}).exitCode, 0);
  project.write("src/a.txt", "while paused");
  std::this_thread::sleep_for(1s);  // the watcher's flush of the paused session fails meanwhile
  EXPECT_EQ(project.catIn("app", "/app/src/a.txt"), "a");
  ASSERT_EQ(project.gardensync({"util", "mutagen", "sync", "resume", "app-0"}).exitCode, 0);
  project.write("src/b.txt", "after resume");
  EXPECT_TRUE(arrives([&] {
    return project.catIn("app", "/app/src/b.txt") == "after resume" &&
           project.catIn("app", "/app/src/a.txt") == "while paused";
  }));
  EXPECT_EQ(watcherPids(project).size(), 1u);
}

TEST(Watcher, SyncStopLeavesNoWatcherAndStatusSaysSo) {
  Project project("e2e-watch-stop");
  setUp(project);
  project.write("src/a.txt", "a");
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);
  ASSERT_EQ(watcherPids(project).size(), 1u);
  ASSERT_EQ(project.gardensync({"sync", "stop"}).exitCode, 0);
  EXPECT_TRUE(watcherPids(project).empty());
  auto state = status(project);
  EXPECT_EQ(state["watcher"]["running"], false);
  EXPECT_TRUE(state["watcher"]["sessions"].empty());
  EXPECT_TRUE(watcherPids(project).empty());  // status did not start one: nothing needs it

  ASSERT_EQ(project.gardensync({"sync", "start"}).exitCode, 0);
  EXPECT_EQ(watcherPids(project).size(), 1u);
  ASSERT_EQ(project.gardensync({"cleanup", "deploy"}).exitCode, 0);
  EXPECT_TRUE(watcherPids(project).empty());
}

TEST(Watcher, OneWatcherPerProjectHoweverOftenItIsDeployed) {
  Project project("e2e-watch-one");
  setUp(project);
  project.write("src/a.txt", "a");
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);
  // A changed exclude replaces the session, and with it the watcher.
  setUp(project, "        exclude: [\"*.tmp\"]\n");
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);
  ASSERT_EQ(project.gardensync({"sync", "restart"}).exitCode, 0);
  EXPECT_EQ(watcherPids(project).size(), 1u);
  project.write("src/b.txt", "b");
  EXPECT_TRUE(arrives([&] { return project.catIn("app", "/app/src/b.txt") == "b"; }));
}

TEST(Watcher, TurnedOffMutagenWatchesByItselfAndNoWatcherRuns) {
  Project project("e2e-watch-off");
  setUp(project);
  project.env()["GARDENSYNC_WATCHER"] = "off";
  project.write("src/a.txt", "a");
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);
  EXPECT_TRUE(watcherPids(project).empty());
  auto state = status(project);
  EXPECT_EQ(state["sessions"][0]["localWatcher"], false);
  EXPECT_TRUE(state["watcher"]["sessions"].empty());
  // Mutagen's own polling picks the change up (within its 10 s interval).
  project.write("src/a.txt", "polled");
  EXPECT_TRUE(arrives([&] { return project.catIn("app", "/app/src/a.txt") == "polled"; }));
}

std::string watcherLog(const Project& project) {
  std::ifstream in(dataDir(project) / "watcher.log");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The helper processes running in the Deploy's container.
std::string helpersIn(Project& project) {
  return wordsContaining(project.exec("app", kProcessCommandLines).out, ".gardensync-container-watch-");
}

// A change inside the container, to a file in a folder nobody touched, starts a cycle at once:
// the watcher runs a helper in the container for the two-way and reverse sessions (not for the
// one-way one) and asks Mutagen for a cycle of the session that changed.
TEST(Watcher, ChangesInsideTheContainerAreNoticedByAHelperThere) {
  Project project("e2e-watch-container");
  project.env()["GARDENSYNC_WATCHER_SAFETY_FLUSH"] = "0";
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", sleepDeployYaml("app", "      - source: src\n        target: /app/src\n"
                                                     "        mode: two-way-safe\n"
                                                     "        exclude: [\"*.tmp\"]\n"
                                                     "      - source: logs\n        target: /app/logs\n"
                                                     "        mode: one-way-replica-reverse\n"
                                                     "      - source: site\n        target: /app/site\n"
                                                     "        mode: one-way-replica\n"));
  project.write("src/deep/er/old.txt", "old");
  project.write("site/index.html", "hi");
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*", "--yes"}).exitCode, 0);
  auto state = status(project);
  EXPECT_EQ(state["watcher"]["running"], true);
  auto relying = state["watcher"]["sessions"].get<std::vector<std::string>>();
  std::sort(relying.begin(), relying.end());
  EXPECT_EQ(relying, (std::vector<std::string>{"app-0", "app-1", "app-2"}));
  ASSERT_TRUE(arrives([&] { return contains(watcherLog(project), "/app/src: watching its changes"); }))
      << watcherLog(project);
  EXPECT_TRUE(arrives([&] { return contains(watcherLog(project), "/app/logs: watching its changes"); }));
  EXPECT_FALSE(contains(watcherLog(project), "/app/site:"));  // one-way: nothing comes back from there
  const std::string helpers = helpersIn(project);
  EXPECT_EQ(std::count(helpers.begin(), helpers.end(), '\n'), 2) << helpers;  // app-0 and app-1

  ASSERT_EQ(project.exec("app", {"sh", "-c", "echo new > /app/src/deep/er/new.txt && echo line > /app/logs/app.log"})
                .exitCode,
            0);
  EXPECT_TRUE(arrives([&] { return project.read("src/deep/er/new.txt") == "new\n"; }));
  EXPECT_TRUE(arrives([&] { return project.read("logs/app.log") == "line\n"; }));
  EXPECT_TRUE(arrives([&] { return contains(watcherLog(project), "changes in the containers of app-"); }))
      << watcherLog(project);

  // The helpers end with the watcher.
  ASSERT_EQ(project.gardensync({"sync", "stop"}).exitCode, 0);
  EXPECT_TRUE(arrives([&] { return helpersIn(project).empty(); })) << helpersIn(project);
}

// `rm -rf src/*` of 5,000 files must reach Mutagen as one change: its root-emptied check then
// halts the session and the container keeps every file.
TEST(Watcher, AMassDeletionHaltsTheSessionBeforeTheContainerLosesAFile) {
  Project project("e2e-watch-mass-delete");
  setUp(project);
  for (int d = 0; d < 50; ++d)
    for (int f = 0; f < 100; ++f)
      project.write("src/d" + std::to_string(d) + "/f" + std::to_string(f) + ".txt", "x");
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);
  ASSERT_EQ(countIn(project, "/app/src"), 5000u);

  for (const auto& entry : fs::directory_iterator(project.root() / "src")) fs::remove_all(entry.path());
  ASSERT_TRUE(fs::is_empty(project.root() / "src"));
  EXPECT_TRUE(arrives([&] {
    return status(project)["sessions"][0]["state"] == "halted-on-root-emptied";
  }));
  EXPECT_EQ(countIn(project, "/app/src"), 5000u);
}

}  // namespace
}  // namespace gardensync::e2e
