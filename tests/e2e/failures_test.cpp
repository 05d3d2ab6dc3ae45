// When something goes wrong the message names the real cause, where it is and what to do: a
// container whose command ends at once, a failing docker build, a port already in use, a paused
// session, Deploys that are not running, a status that is not healthy, a cleanup that stopped
// half-way.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "harness.h"

namespace gardensync::e2e {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// A TCP socket listening on 127.0.0.1 at a port the kernel picks, until destroyed.
class Listener {
public:
  Listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);  // not inherited by gardensync
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(::listen(fd_, 1), 0);
    socklen_t size = sizeof address;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size);
    port_ = ntohs(address.sin_port);
  }
  ~Listener() { close(); }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int port() const { return port_; }

private:
  int fd_ = -1;
  int port_ = 0;
};

// Names of this project's containers in any state.
std::string containersOf(const Project& project) {
  auto run = util::runProcess({"docker", "ps", "-a", "--filter", "label=gardensync.io/project=" + project.name(),
                               "--format", "{{.Names}} {{.Status}}"});
  return run.stdoutText;
}

// Whether the project's Mutagen daemon runs (the pid gardensync recorded when it started one).
bool daemonRunning(const Project& project) {
  std::error_code ec;
  const fs::path dataDir = fs::read_symlink(project.root() / ".garden/mutagen/latest", ec);
  if (ec) return false;
  std::ifstream record(dataDir / "gardensync-daemon");
  std::string line;
  int pid = 0;
  while (std::getline(record, line))
    if (line.starts_with("pid=")) pid = std::stoi(line.substr(4));
  return pid > 0 && ::kill(pid, 0) == 0;
}

TEST(Failures, ContainerThatExitsAtOnceIsReportedWithItsLog) {
  Project project("e2e-exits-at-once");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml",
                "kind: Deploy\nname: app\ntype: container\nspec:\n  image: gardensync-test/busybox:latest\n"
                "  command: [sh, -c, \"echo booting; echo config missing >&2; exit 3\"]\n"
                "  sync:\n    paths:\n      - source: src\n        target: /app/src\n");
  project.write("src/a.txt", "a");
  auto deploy = project.gardensync({"deploy"});
  EXPECT_EQ(deploy.exitCode, 1) << deploy.out;
  EXPECT_TRUE(contains(deploy.err, "Deploy app is not running: its container gs-e2e-exits-at-once-app exited with code 3"))
      << deploy.err;
  EXPECT_TRUE(contains(deploy.err, "booting")) << deploy.err;
  EXPECT_TRUE(contains(deploy.err, "config missing")) << deploy.err;
  EXPECT_TRUE(contains(deploy.err, "spec.command/args")) << deploy.err;
  EXPECT_FALSE(contains(deploy.err, "deploy app: gs-e2e-exits-at-once-app created")) << deploy.err;
  EXPECT_EQ(deploy.out, "");  // no result table

  // With sync: the same report, and the sync agent is not blamed.
  auto sync = project.gardensync({"deploy", "--sync=*"});
  EXPECT_EQ(sync.exitCode, 1);
  EXPECT_TRUE(contains(sync.err, "exited with code 3")) << sync.err;
  EXPECT_TRUE(contains(sync.err, "config missing")) << sync.err;
  EXPECT_FALSE(contains(sync.err, "agent")) << sync.err;
  EXPECT_FALSE(contains(sync.err, "started")) << sync.err;

  // One that ends a moment later, while its syncs are being started: the same report, and no
  // session is left behind for it.
  project.write("garden.yml",
                "kind: Deploy\nname: app\ntype: container\nspec:\n  image: gardensync-test/busybox:latest\n"
                "  command: [sh, -c, \"echo booting; sleep 1; exit 4\"]\n"
                "  sync:\n    paths:\n      - source: src\n        target: /app/src\n");
  auto late = project.gardensync({"deploy", "--sync=*"});
  EXPECT_EQ(late.exitCode, 1);
  EXPECT_TRUE(contains(late.err, "exited with code 4")) << late.err;
  auto status = project.gardensync({"sync", "status", "--output", "json"});
  EXPECT_TRUE(status.json()["sessions"].empty()) << status.out;
}

TEST(Failures, FailingBuildShowsTheFailedStepAndItsOutput) {
  Project project("e2e-build-fails");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml",
                "kind: Build\nname: img\ntype: container\n---\n"
                "kind: Deploy\nname: app\ntype: container\nbuild: img\n");
  project.write("Dockerfile",
                "FROM gardensync-test/busybox:latest\nRUN echo first step ran\n"
                "RUN echo about to fail && ls /does-not-exist && echo never\nRUN echo not reached\n");
  auto run = project.gardensync({"deploy"});
  EXPECT_EQ(run.exitCode, 1);
  EXPECT_TRUE(contains(run.err, "Build img: docker build failed at Step 3/5 : RUN echo about to fail")) << run.err;
  EXPECT_TRUE(contains(run.err, "about to fail")) << run.err;
  EXPECT_TRUE(contains(run.err, "ls: /does-not-exist: No such file or directory")) << run.err;
  EXPECT_TRUE(contains(run.err, "returned a non-zero code: 1")) << run.err;
  EXPECT_FALSE(contains(run.err, "DEPRECATED")) << run.err;
  // Progress at the default log level: each step as it starts.
  EXPECT_TRUE(contains(run.err, "info: build img: Step 2/5 : RUN echo first step ran")) << run.err;
  EXPECT_FALSE(contains(run.err, "not reached")) << run.err;
}

// The legacy builder runs each RUN step in a container; without --force-rm the one of the failed
// step stays behind, stopped (`Exited (1)`), after every failed build. The Dockerfile's LABEL
// marks the containers of this test's steps, so a build elsewhere on the Engine does not count.
TEST(Failures, FailingBuildLeavesNoStoppedContainerBehind) {
  Project project("e2e-build-leftovers");
  const std::string label = "gardensync.e2e/build=" + project.name();
  auto stepContainers = [&] {
    auto run = util::runProcess({"docker", "ps", "-a", "--filter", "label=" + label, "--format", "{{.ID}} {{.Status}}"});
    EXPECT_EQ(run.exitCode, 0) << run.stderrText;
    return run.stdoutText;
  };
  // Left by an interrupted earlier run, they would be counted as this one's.
  std::istringstream leftovers(
      util::runProcess({"docker", "ps", "-aq", "--filter", "label=" + label}).stdoutText);
  for (std::string id; leftovers >> id;) util::runProcess({"docker", "rm", "-f", id});
  ASSERT_EQ(stepContainers(), "");

  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml",
                "kind: Build\nname: img\ntype: container\n---\n"
                "kind: Deploy\nname: app\ntype: container\nbuild: img\n");
  project.write("Dockerfile", "FROM gardensync-test/busybox:latest\nLABEL " + label +
                                  "\nRUN echo first step ran\nRUN echo about to fail && exit 3\n");
  auto run = project.gardensync({"deploy"});
  EXPECT_EQ(run.exitCode, 1);
  EXPECT_TRUE(contains(run.err, "Build img: docker build failed at Step 4/5 : RUN echo about to fail")) << run.err;
  EXPECT_EQ(stepContainers(), "");
}

TEST(Failures, PortInUseNamesThePortAndItsConfigLineAndLeavesNoContainer) {
  Project project("e2e-port-in-use");
  Listener listener;
  const std::string port = std::to_string(listener.port());
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", "kind: Deploy\nname: web\ntype: container\nspec:\n"
                              "  image: gardensync-test/busybox:latest\n"
                              "  command: [sh, -c, \"trap 'exit 0' TERM; while true; do sleep 1; done\"]\n"
                              "  ports:\n    - name: http\n      containerPort: 80\n      hostPort: " +
                                  port + "\n");
  auto taken = project.gardensync({"deploy"});
  EXPECT_EQ(taken.exitCode, 1);
  EXPECT_TRUE(contains(taken.err, "Deploy web: host port " + port + " is already in use")) << taken.err;
  EXPECT_TRUE(contains(taken.err, "garden.yml:10:17: spec.ports[0] publishes it")) << taken.err;
  EXPECT_EQ(containersOf(project), "");  // no `Created` container left behind

  listener.close();
  auto free = project.gardensync({"deploy"});
  ASSERT_EQ(free.exitCode, 0) << free.err;
  EXPECT_TRUE(contains(free.out, "127.0.0.1:" + port + "->80/tcp")) << free.out;  // deploy prints published ports
}

TEST(Failures, PausedSessionIsNamedInsteadOfWaitedFor) {
  Project project("e2e-paused");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", sleepDeployYaml("app", "      - source: src\n        target: /app/src\n"));
  project.write("src/a.txt", "a");
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);
  ASSERT_EQ(project.gardensync({"util", "mutagen", "sync", "pause", "app-0"}).exitCode, 0);

  // A bound on the command itself, so a regression fails the test instead of hanging it.
  auto start = project.gardensync({"sync", "start"}, 3min);
  EXPECT_EQ(start.exitCode, 1);
  EXPECT_TRUE(contains(start.err, "sync app-0 is paused")) << start.err;
  EXPECT_TRUE(contains(start.err, "gardensync util mutagen sync resume app-0")) << start.err;
  auto deploy = project.gardensync({"deploy", "--sync=*"}, 3min);
  EXPECT_EQ(deploy.exitCode, 1);
  EXPECT_TRUE(contains(deploy.err, "sync app-0 is paused")) << deploy.err;

  auto status = project.gardensync({"sync", "status"});
  EXPECT_EQ(status.exitCode, 1);  // for CI scripts
  EXPECT_TRUE(contains(status.out, "app-0: paused")) << status.out;
  EXPECT_TRUE(contains(status.err, "app-0 (paused)")) << status.err;

  ASSERT_EQ(project.gardensync({"util", "mutagen", "sync", "resume", "app-0"}).exitCode, 0);
  project.flush();
  EXPECT_EQ(project.gardensync({"sync", "status"}).exitCode, 0);
}

// `sync status` until it fails, without a flush (one waits for ever on a frozen agent); whether
// it did within 60 s.
bool statusFailsSoon(const Project& project) {
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (project.gardensync({"sync", "status"}).exitCode == 1) return true;
    std::this_thread::sleep_for(500ms);
  }
  return false;
}

// A container side that cannot be reached: stopped, Mutagen disconnects and says why; paused, the
// agent in it is frozen and Mutagen shows the session as watching, connected and without an
// error, while its next cycle would wait for ever. Either way the commands name the sync (or its
// Deploy) and what to do, at once.
TEST(Failures, DisconnectedSessionIsNamedInsteadOfWaitedFor) {
  Project project("e2e-disconnected");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", sleepDeployYaml("app", "      - source: src\n        target: /app/src\n        mode: two-way\n"));
  project.write("src/a.txt", "a");
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);
  const std::string container = project.container("app");

  // Stopped: the session is disconnected (connecting again, with the error of the lost connection).
  ASSERT_EQ(util::runProcess({"docker", "stop", "--time", "1", container}).exitCode, 0);
  EXPECT_TRUE(statusFailsSoon(project));
  auto disconnected = project.gardensync({"sync", "status", "--output", "json"});
  EXPECT_EQ(disconnected.exitCode, 1);
  EXPECT_NE(disconnected.json()["sessions"][0]["lastError"], nullptr) << disconnected.out;
  EXPECT_TRUE(contains(disconnected.err, "app-0 (error)")) << disconnected.err;
  auto startStopped = project.gardensync({"sync", "start", "app"}, 3min);
  EXPECT_EQ(startStopped.exitCode, 1);
  EXPECT_TRUE(contains(startStopped.err, "Deploy app is not running: its container " + container + " exited"))
      << startStopped.err;
  EXPECT_TRUE(contains(startStopped.err, "`gardensync deploy --sync app` starts it again")) << startStopped.err;
  // Started again, the session reconnects by itself.
  ASSERT_EQ(util::runProcess({"docker", "start", container}).exitCode, 0);
  EXPECT_TRUE(project.eventually([&] { return project.gardensync({"sync", "status"}).exitCode == 0; }));

  // Paused: unpaused again at the end, even when a check fails, so the project's cleanup works.
  ASSERT_EQ(util::runProcess({"docker", "pause", container}).exitCode, 0);
  struct Unpause {
    std::string container;
    ~Unpause() { util::runProcess({"docker", "unpause", container}); }
  } unpause{container};
  project.write("src/b.txt", "b");  // a cycle that cannot finish
  auto status = project.gardensync({"sync", "status"});
  EXPECT_EQ(status.exitCode, 1);
  EXPECT_TRUE(contains(status.out, "app-0: unreachable — container " + container + " is paused")) << status.out;
  EXPECT_TRUE(contains(status.out, "docker unpause " + container)) << status.out;
  EXPECT_TRUE(contains(status.err, "app-0 (unreachable)")) << status.err;
  // A bound on the commands themselves, so a regression fails the test instead of hanging it.
  auto start = project.gardensync({"sync", "start"}, 3min);
  EXPECT_EQ(start.exitCode, 1);
  EXPECT_TRUE(contains(start.err, "sync app-0 (app): its container " + container + " is paused")) << start.err;
  EXPECT_TRUE(contains(start.err, "unpause it with `docker unpause " + container + "`")) << start.err;
  EXPECT_FALSE(contains(start.err, "agent")) << start.err;  // not blamed on the image
  auto deploy = project.gardensync({"deploy", "--sync=*"}, 3min);
  EXPECT_EQ(deploy.exitCode, 1);
  EXPECT_TRUE(contains(deploy.err, "sync app-0 (app): its container " + container + " is paused")) << deploy.err;

  // Unpaused, the frozen cycle finishes and the sync goes on.
  ASSERT_EQ(util::runProcess({"docker", "unpause", container}).exitCode, 0);
  EXPECT_TRUE(project.eventually([&] { return project.catIn("app", "/app/src/b.txt") == "b"; }));
  EXPECT_EQ(project.gardensync({"sync", "status"}).exitCode, 0);
}

TEST(Failures, SyncStartWithoutNamesStartsTheRunningDeploysAndNamesTheSkippedOnes) {
  Project project("e2e-start-skips");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", sleepDeployYaml("a", "      - source: src\n        target: /app/src\n") + "---\n" +
                                  sleepDeployYaml("b", "      - source: src\n        target: /app/src\n"));
  project.write("src/x.txt", "x");
  ASSERT_EQ(project.gardensync({"deploy", "a"}).exitCode, 0);  // b is never deployed

  for (const char* verb : {"start", "restart"}) {
    auto run = project.gardensync({"sync", verb});
    ASSERT_EQ(run.exitCode, 0) << verb << ": " << run.err;
    EXPECT_TRUE(contains(run.err, "skipping b: Deploy b is not running (no container gs-e2e-start-skips-b)")) << run.err;
    EXPECT_TRUE(contains(run.out, "a-0")) << run.out;
    EXPECT_FALSE(contains(run.out, "b-0")) << run.out;
  }
  EXPECT_TRUE(project.eventually([&] { return project.catIn("a", "/app/src/x.txt") == "x"; }));
  // Named, a Deploy that is not running is still an error.
  auto named = project.gardensync({"sync", "start", "b"});
  EXPECT_EQ(named.exitCode, 1);
  EXPECT_TRUE(contains(named.err, "Deploy b is not running")) << named.err;
}

TEST(Failures, SyncStatusFailsForAHaltedSessionAndNeverStartsTheDaemon) {
  Project project("e2e-status-health");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", sleepDeployYaml("app", "      - source: src\n        target: /app/src\n        mode: two-way\n"));
  project.write("src/a.txt", "a");
  project.write("src/b.txt", "b");

  auto before = project.gardensync({"sync", "status"});
  EXPECT_EQ(before.exitCode, 0) << before.err;
  EXPECT_TRUE(contains(before.out, "its Mutagen daemon is not running")) << before.out;
  EXPECT_FALSE(daemonRunning(project));

  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);
  EXPECT_EQ(project.gardensync({"sync", "status"}).exitCode, 0);
  project.remove("src/a.txt");  // the local root emptied: Mutagen halts the session
  project.remove("src/b.txt");
  EXPECT_TRUE(project.eventually([&] { return project.gardensync({"sync", "status"}).exitCode == 1; }));
  auto halted = project.gardensync({"sync", "status", "--output", "json"});
  EXPECT_EQ(halted.exitCode, 1);
  EXPECT_EQ(halted.json()["sessions"][0]["state"], "halted-on-root-emptied");
  EXPECT_TRUE(contains(halted.err, "app-0 (halted)")) << halted.err;

  // Sessions stored while the daemon is stopped do not run: a failure, and still no daemon.
  ASSERT_EQ(project.gardensync({"util", "mutagen", "daemon", "stop"}).exitCode, 0);
  auto stopped = project.gardensync({"sync", "status"});
  EXPECT_EQ(stopped.exitCode, 1);
  EXPECT_TRUE(contains(stopped.err, "1 sync session(s) of this project are stored but not running")) << stopped.err;
  EXPECT_FALSE(daemonRunning(project));
}

TEST(Failures, CleanupThatFailsHalfWaySaysWhatItAlreadyDid) {
  Project project("e2e-cleanup-half");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", sleepDeployYaml("app", "      - source: src\n        target: /app/src\n"));
  project.write("src/a.txt", "a");
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);
  // The sessions stop (Mutagen's daemon runs on its own), then the Docker Engine cannot be reached.
  project.env()["DOCKER_HOST"] = "unix://" + (project.root() / "no-docker.sock").string();
  auto half = project.gardensync({"cleanup", "deploy"});
  project.env().erase("DOCKER_HOST");
  EXPECT_EQ(half.exitCode, 1);
  EXPECT_TRUE(contains(half.err, "cleanup deploy stopped half-way: the Docker Engine does not answer")) << half.err;
  EXPECT_TRUE(contains(half.err, "already done: stopped 1 sync session(s)")) << half.err;
  EXPECT_TRUE(contains(half.err, "run `gardensync cleanup deploy` again")) << half.err;
  EXPECT_TRUE(contains(containersOf(project), "gs-e2e-cleanup-half-app")) << containersOf(project);

  auto again = project.gardensync({"cleanup", "deploy"});
  EXPECT_EQ(again.exitCode, 0) << again.err;
  EXPECT_TRUE(contains(again.out, "Stopped 0 sync session(s) and removed 1 container(s).")) << again.out;
  EXPECT_EQ(containersOf(project), "");
}

}  // namespace
}  // namespace gardensync::e2e
