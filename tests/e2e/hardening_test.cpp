// Hostile input and racing commands: values that could steer a sync somewhere else, several
// gardensync processes working on one project at once, and links out of the project.
#include <signal.h>

#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "harness.h"

namespace gardensync::e2e {
namespace {

using namespace std::chrono_literals;

size_t sessionCount(const Project& project) {
  return project.gardensync({"sync", "status", "--output", "json"}).json()["sessions"].size();
}

bool containerExists(const std::string& name) {
  return util::runProcess({"docker", "container", "inspect", name}).exitCode == 0;
}

// YAML's "\0" escape puts a NUL into the value; cut at the NUL, "/\0x" would be the container's /.
TEST(Hardening, ANulByteInATargetIsAConfigErrorAndNothingRuns) {
  Project project("e2e-nul-target");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", sleepDeployYaml("app", "      - source: src\n        target: \"/\\0x\"\n        mode: two-way\n"));
  project.write("src/a.txt", "a");
  auto validate = project.gardensync({"validate"});
  EXPECT_EQ(validate.exitCode, 2) << validate.out << validate.err;
  EXPECT_NE(validate.err.find("garden.yml:10:17: spec.sync.paths[0].target: contains a NUL byte"), std::string::npos)
      << validate.err;
  auto deploy = project.gardensync({"deploy", "--sync=*"});
  EXPECT_EQ(deploy.exitCode, 2) << deploy.err;
  EXPECT_FALSE(containerExists(project.container("app")));
}

TEST(Hardening, ANulByteCannotLeadTheLocalSideOutOfTheProject) {
  Project project("e2e-nul-source");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml",
                sleepDeployYaml("app", "      - source: \"x/../../..\\0/a/b\"\n        target: /app/b\n        mode: two-way\n"));
  auto deploy = project.gardensync({"deploy", "--sync=*"});
  EXPECT_EQ(deploy.exitCode, 2) << deploy.err;
  EXPECT_NE(deploy.err.find("spec.sync.paths[0].source: contains a NUL byte"), std::string::npos) << deploy.err;
  EXPECT_FALSE(containerExists(project.container("app")));
}

// Three deploys at once after `sync stop`: one writer at a time, one session in the end, and
// every run finishes (none waits for sessions another run created).
TEST(Hardening, ConcurrentDeploysOfOneProjectTakeTurns) {
  Project project("e2e-concurrent-deploys");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", sleepDeployYaml("app", "      - source: src\n        target: /app/src\n        mode: two-way\n"));
  project.write("src/a.txt", "a");
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);
  ASSERT_EQ(project.gardensync({"sync", "stop"}).exitCode, 0);

  std::vector<std::future<e2e::Run>> runs;
  for (int i = 0; i < 3; ++i)
    runs.push_back(std::async(std::launch::async, [&] { return project.gardensync({"deploy", "--sync=*"}, 4min); }));
  size_t waited = 0;
  for (auto& future : runs) {
    e2e::Run run = future.get();
    EXPECT_EQ(run.exitCode, 0) << run.err;
    if (run.err.find("waiting for another gardensync (pid ") != std::string::npos) ++waited;
  }
  EXPECT_GE(waited, 1u) << "no run waited for the project lock";
  EXPECT_EQ(sessionCount(project), 1u);
  project.write("src/b.txt", "b");
  EXPECT_TRUE(project.eventually([&] { return project.catIn("app", "/app/src/b.txt") == "b"; }));
}

// Two deploys that both replace the container: each stops the syncs before replacing, so the
// second must not find the first's container half-replaced; the syncs run afterwards.
TEST(Hardening, ConcurrentReplacingDeploysLeaveTheSyncsRunning) {
  Project project("e2e-concurrent-replace");
  project.write("project.garden.yml", projectYaml(project.name()));
  auto deployYaml = [](const std::string& revision) {
    return sleepDeployYaml("app", "      - source: src\n        target: /app/src\n        mode: two-way\n") +
           "  env:\n    REVISION: \"" + revision + "\"\n";
  };
  project.write("garden.yml", deployYaml("1"));
  project.write("src/a.txt", "a");
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);
  project.write("garden.yml", deployYaml("2"));
  auto first = std::async(std::launch::async, [&] { return project.gardensync({"deploy", "--sync=*", "--yes"}, 4min); });
  auto second = std::async(std::launch::async, [&] { return project.gardensync({"deploy", "--sync=*", "--yes"}, 4min); });
  e2e::Run a = first.get(), b = second.get();
  EXPECT_EQ(a.exitCode, 0) << a.err;
  EXPECT_EQ(b.exitCode, 0) << b.err;
  EXPECT_EQ(sessionCount(project), 1u);
  EXPECT_EQ(project.read("src/a.txt"), "a");
  project.writeIn("app", "/app/src/from-container.txt", "c");
  EXPECT_TRUE(project.eventually([&] { return project.exists("src/from-container.txt"); }));
}

// src is a link to a folder outside the project: a two-way sync would write container files
// there, so it is refused; written as an absolute path, the same folder is accepted.
TEST(Hardening, ALinkOutOfTheProjectIsRefusedForModesThatWriteLocally) {
  Project project("e2e-link-out");
  util::TempDir outside("gs-e2e-outside-");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", sleepDeployYaml("app", "      - source: src\n        target: /app/src\n        mode: two-way\n"));
  std::filesystem::create_directory_symlink(outside.path(), project.root() / "src");
  auto deploy = project.gardensync({"deploy", "--sync=*"});
  EXPECT_EQ(deploy.exitCode, 1) << deploy.err;
  EXPECT_NE(deploy.err.find("is a link to " + outside.path().string() + ", outside the project"), std::string::npos)
      << deploy.err;
  EXPECT_EQ(sessionCount(project), 0u);

  project.write("garden.yml", sleepDeployYaml("app", "      - source: " + outside.path().string() +
                                                         "\n        target: /app/src\n        mode: two-way\n"));
  auto explicitDeploy = project.gardensync({"deploy", "--sync=*"});
  EXPECT_EQ(explicitDeploy.exitCode, 0) << explicitDeploy.err;
  EXPECT_EQ(sessionCount(project), 1u);
}

// A second checkout of the same project (same name, another folder) on the same Docker Engine
// must neither take over nor remove the first one's container.
TEST(Hardening, ASecondCheckoutOfTheSameProjectDoesNotTakeOverTheFirstsContainers) {
  Project first("e2e-two-checkouts");
  first.write("project.garden.yml", projectYaml(first.name()));
  first.write("garden.yml", sleepDeployYaml("app", "      - source: src\n        target: /app/src\n        mode: two-way\n"));
  first.write("src/mine.txt", "first");
  ASSERT_EQ(first.gardensync({"deploy", "--sync=*"}).exitCode, 0);

  util::TempDir secondRoot("gs-e2e-second-");
  std::filesystem::copy(first.root() / "project.garden.yml", secondRoot / "project.garden.yml");
  std::filesystem::copy(first.root() / "garden.yml", secondRoot / "garden.yml");
  std::filesystem::create_directories(secondRoot / "src");
  std::ofstream(secondRoot / "src/theirs.txt") << "second";
  auto second = [&](const std::vector<std::string>& args) {
    std::vector<std::string> argv{GARDENSYNC_BINARY, "--root", secondRoot.path().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    util::ProcessOptions options;
    options.environment.set = first.env();
    options.timeout = 4min;
    return util::runProcess(argv, options);
  };
  auto deploy = second({"deploy", "--sync=*"});
  EXPECT_EQ(deploy.exitCode, 1) << deploy.stderrText;
  EXPECT_NE(deploy.stderrText.find("belongs to another checkout of project e2e-two-checkouts, at " +
                                   first.root().string()),
            std::string::npos)
      << deploy.stderrText;
  auto cleanup = second({"cleanup", "deploy"});
  EXPECT_EQ(cleanup.exitCode, 0) << cleanup.stderrText;
  second({"util", "mutagen", "daemon", "stop"});
  EXPECT_TRUE(containerExists(first.container("app")));
  EXPECT_EQ(first.catIn("app", "/app/src/mine.txt"), "first");
  EXPECT_FALSE(first.existsIn("app", "/app/src/theirs.txt"));
}

// Mutagen reads --ignore as CSV: an exclude holding a quote used to fail the create with a CSV
// parse error. Quoted for it, it arrives as written and keeps that file out.
TEST(Hardening, AnExcludeWithQuotesReachesMutagenAsWritten) {
  Project project("e2e-quoted-exclude");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", sleepDeployYaml("app", "      - source: src\n        target: /app/src\n"
                                                     "        mode: one-way-replica\n        exclude: [\"q'\\\"\"]\n"));
  project.write("src/q'\"", "excluded");
  project.write("src/kept.txt", "kept");
  auto deploy = project.gardensync({"deploy", "--sync=*"});
  ASSERT_EQ(deploy.exitCode, 0) << deploy.err;
  EXPECT_EQ(project.catIn("app", "/app/src/kept.txt"), "kept");
  EXPECT_FALSE(project.existsIn("app", "/app/src/q'\""));
}

// Polls without touching the project (Project::eventually flushes, which starts the daemon).
bool waitFor(const std::function<bool()>& predicate) {
  const auto deadline = std::chrono::steady_clock::now() + 90s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (predicate()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return predicate();
}

// The pids of processes whose command line contains `needle` (pgrep -f), without this test's own.
std::vector<int> processesMatching(const std::string& needle) {
  auto run = util::runProcess({"pgrep", "-f", "--", needle});
  std::vector<int> pids;
  std::istringstream in(run.stdoutText);
  for (int pid; in >> pid;) pids.push_back(pid);
  return pids;
}

// SIGTERM sent to gardensync alone (not its process group) during a long `docker build`: the
// build must not go on without it.
TEST(Hardening, SigtermDuringABuildStopsTheBuildToo) {
  Project project("e2e-sigterm-build");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml",
                "kind: Build\nname: slow\ntype: container\n---\n"
                "kind: Deploy\nname: app\ntype: container\nbuild: slow\n"
                "spec:\n  command: [sleep, \"1000\"]\n");
  project.write("Dockerfile", "FROM gardensync-test/busybox:latest\nRUN sleep 300\n");
  auto deploy = std::async(std::launch::async, [&] { return project.gardensync({"deploy"}, 4min); });
  const std::string marker = "--root " + project.root().string() + " deploy";
  std::vector<int> gardensync;
  ASSERT_TRUE(waitFor([&] {
    gardensync = processesMatching(marker);
    return !gardensync.empty() && !processesMatching("build --file " + (project.root() / "Dockerfile").string()).empty();
  })) << "the build never started";
  ::kill(gardensync.front(), SIGTERM);
  e2e::Run run = deploy.get();
  EXPECT_EQ(run.exitCode, 143) << run.err;
  EXPECT_NE(run.err.find("stopped by SIGTERM while running docker build"), std::string::npos) << run.err;
  EXPECT_TRUE(processesMatching("build --file " + (project.root() / "Dockerfile").string()).empty())
      << "docker build kept running after gardensync stopped";
}

// The daemon dies during the initial-sync wait: the message says so and what to run.
TEST(Hardening, DaemonKilledDuringTheInitialSyncIsExplained) {
  Project project("e2e-daemon-killed-wait");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", sleepDeployYaml("app", "      - source: src\n        target: /app/src\n        mode: one-way\n"));
  // Enough data that the first cycle takes a while.
  for (int i = 0; i < 400; ++i) project.write("src/f" + std::to_string(i) + ".bin", std::string(250000, 'x'));
  auto deploy = std::async(std::launch::async, [&] { return project.gardensync({"deploy", "--sync=*"}, 4min); });
  const std::string home = project.env().at("HOME");
  std::vector<int> daemons;
  ASSERT_TRUE(waitFor([&] {
    // Once the session's agent runs in the container, the session exists and the wait has begun.
    if (processesMatching(project.container("app") + ".*mutagen-agent").empty()) return false;
    daemons = processesMatching("daemon run");
    std::erase_if(daemons, [&](int pid) {
      std::ifstream environ("/proc/" + std::to_string(pid) + "/environ");
      std::string text((std::istreambuf_iterator<char>(environ)), std::istreambuf_iterator<char>());
      return text.find("MUTAGEN_DATA_DIRECTORY=" + home) == std::string::npos;
    });
    return !daemons.empty();
  }));
  ::kill(daemons.front(), SIGKILL);
  e2e::Run run = deploy.get();
  if (run.exitCode == 0) GTEST_SKIP() << "the initial sync finished before the daemon was killed";
  EXPECT_EQ(run.exitCode, 1) << run.err;
  // Killed during the create (the agent is already running) or during the wait: either way the
  // message says what happened, not Mutagen's raw connection error.
  EXPECT_NE(run.err.find("Mutagen daemon stopped while"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("gardensync sync start"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace gardensync::e2e
