// The everyday commands besides deploy and sync: logs (also followed), exec (with and without a
// terminal), get status, and the published ports that deploy prints.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>


#include <gtest/gtest.h>

#include "harness.h"

namespace gardensync::e2e {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// A port nothing listens on now (the kernel's pick, released at once).
int freePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t size = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  ::close(fd);
  return ntohs(address.sin_port);
}

// A Deploy that says hello, then waits; it publishes `port`.
std::string helloDeployYaml(const std::string& name, int port) {
  return "kind: Deploy\nname: " + name +
         "\ntype: container\nspec:\n  image: gardensync-test/busybox:latest\n"
         "  command: [sh, -c, \"echo hello from " + name + "; echo warming up >&2; trap 'exit 0' TERM; "
         "while true; do sleep 1; done\"]\n"
         "  ports:\n    - name: http\n      containerPort: 80\n      hostPort: " + std::to_string(port) + "\n"
         "  sync:\n    paths:\n      - source: src\n        target: /app/src\n";
}

TEST(Commands, DeployPrintsPortsAndGetStatusShowsEachDeploy) {
  Project project("e2e-get-status");
  const int port = freePort();
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", helloDeployYaml("web", port) + "---\n" +
                                  sleepDeployYaml("idle", "      - source: src\n        target: /app/src\n"));
  project.write("src/a.txt", "a");
  const std::string published = "127.0.0.1:" + std::to_string(port) + "->80/tcp";

  auto deploy = project.gardensync({"deploy", "web", "--sync", "web"});
  ASSERT_EQ(deploy.exitCode, 0) << deploy.err;
  EXPECT_TRUE(contains(deploy.out, "PORTS")) << deploy.out;
  EXPECT_TRUE(contains(deploy.out, published)) << deploy.out;

  auto text = project.gardensync({"get", "status"});
  ASSERT_EQ(text.exitCode, 0) << text.err;
  EXPECT_TRUE(contains(text.out, "DEPLOY  STATE")) << text.out;
  EXPECT_TRUE(contains(text.out, "web     running")) << text.out;
  EXPECT_TRUE(contains(text.out, "idle    not deployed")) << text.out;
  EXPECT_TRUE(contains(text.out, published)) << text.out;
  EXPECT_TRUE(contains(text.out, "web-0 watching")) << text.out;

  auto json = project.gardensync({"get", "status", "--output", "json"});
  ASSERT_EQ(json.exitCode, 0) << json.err;
  const auto deploys = json.json()["deploys"];
  ASSERT_EQ(deploys.size(), 2u) << json.out;
  const auto& web = deploys[0]["deploy"] == "web" ? deploys[0] : deploys[1];
  const auto& idle = deploys[0]["deploy"] == "web" ? deploys[1] : deploys[0];
  EXPECT_EQ(web["state"], "running");
  EXPECT_EQ(web["running"], true);
  EXPECT_EQ(web["resource"], project.container("web"));
  EXPECT_EQ(web["image"], "gardensync-test/busybox:latest");
  EXPECT_EQ(web["ports"], nlohmann::json::array({published}));
  EXPECT_EQ(web["syncs"], nlohmann::json::array({"web-0"}));
  EXPECT_EQ(idle["state"], "not deployed");
  EXPECT_EQ(idle["running"], false);
  EXPECT_EQ(json.json()["sessions"].size(), 1u);

  // A stopped container shows its exit code.
  ASSERT_EQ(util::runProcess({"docker", "stop", project.container("web")}).exitCode, 0);
  auto stopped = project.gardensync({"get", "status", "--output", "json"});
  const auto after = stopped.json()["deploys"];
  EXPECT_EQ((after[0]["deploy"] == "web" ? after[0] : after[1])["state"], "exited (code 0)") << stopped.out;
}

TEST(Commands, LogsPrintsAndFollowsTheContainersOutput) {
  Project project("e2e-logs");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", helloDeployYaml("web", freePort()) + "---\n" + helloDeployYaml("api", freePort()));
  project.write("src/a.txt", "a");
  ASSERT_EQ(project.gardensync({"deploy"}).exitCode, 0);

  auto one = project.gardensync({"logs", "web"});
  ASSERT_EQ(one.exitCode, 0) << one.err;
  EXPECT_TRUE(contains(one.out, "hello from web\n")) << one.out;
  EXPECT_TRUE(contains(one.out, "warming up")) << one.out;  // the container's stderr too
  auto all = project.gardensync({"logs"});
  ASSERT_EQ(all.exitCode, 0) << all.err;
  EXPECT_TRUE(contains(all.out, "web | hello from web")) << all.out;
  EXPECT_TRUE(contains(all.out, "api | hello from api")) << all.out;
  auto unknown = project.gardensync({"logs", "nope"});
  EXPECT_EQ(unknown.exitCode, 2);

  // -f: once the first line is shown, the container prints another and stops; both arrive and
  // the command ends with the container.
  auto follow = followLogs(project, "web", "hello from web", [&] {
    project.exec("web", {"sh", "-c", "echo printed while following > /proc/1/fd/1"});
    util::runProcess({"docker", "stop", project.container("web")});
  });
  EXPECT_EQ(follow.exitCode, 0) << follow.stderrText;
  EXPECT_FALSE(follow.timedOut);
  EXPECT_TRUE(contains(follow.stdoutText, "hello from web\n")) << follow.stdoutText;
  EXPECT_TRUE(contains(follow.stdoutText, "printed while following\n")) << follow.stdoutText;
}

TEST(Commands, ExecRunsInTheContainerWithItsExitCodeAndATerminalWhenInteractive) {
  Project project("e2e-exec");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", sleepDeployYaml("app", "      - source: src\n        target: /app/src\n"));
  project.write("src/a.txt", "from local");
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);

  auto run = project.gardensync({"exec", "app", "--", "sh", "-c", "cat /app/src/a.txt; echo oops >&2; exit 7"});
  EXPECT_EQ(run.exitCode, 7);
  EXPECT_EQ(run.out, "from local");
  EXPECT_EQ(run.err, "oops\n");
  auto notTty = project.gardensync({"exec", "app", "--", "sh", "-c", "test -t 0 && echo tty || echo no tty"});
  EXPECT_EQ(notTty.out, "no tty\n");
  auto stdinPassed = util::runProcess(
      {GARDENSYNC_BINARY, "--root", project.root().string(), "exec", "app", "--", "cat"},
      [&] {
        util::ProcessOptions options;
        options.environment.set = project.env();
        options.stdinData = "piped in";
        return options;
      }());
  EXPECT_EQ(stdinPassed.stdoutText, "piped in");

  // In a terminal (script(1) gives it one): the command gets a TTY of its own.
  const std::string command = util::shellQuote(GARDENSYNC_BINARY) + " --root " + util::shellQuote(project.root().string()) +
                              " exec app -- sh -c 'test -t 0 && test -t 1 && echo has a tty'";
  util::ProcessOptions options;
  options.environment.set = project.env();
  auto tty = util::runProcess({"script", "-qec", command, "/dev/null"}, options);
  EXPECT_EQ(tty.exitCode, 0) << tty.stderrText;
  EXPECT_TRUE(contains(tty.stdoutText, "has a tty")) << tty.stdoutText;

  auto notRunning = project.gardensync({"exec", "nope", "--", "true"});
  EXPECT_EQ(notRunning.exitCode, 2);
  ASSERT_EQ(project.gardensync({"cleanup", "deploy"}).exitCode, 0);
  auto gone = project.gardensync({"exec", "app", "--", "true"});
  EXPECT_EQ(gone.exitCode, 1);
  EXPECT_TRUE(contains(gone.err, "Deploy app is not running")) << gone.err;
}

}  // namespace
}  // namespace gardensync::e2e
