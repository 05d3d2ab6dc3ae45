// After-sync actions against the real Docker Engine and Mutagen: a command run in the container
// after changed files arrived, a container restart, and a rebuild and redeploy when a rebuildOn
// file changes, while `deploy --sync=<name> --output jsonl` follows in the background.
#include <signal.h>
#include <sys/wait.h>

#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "harness.h"

namespace gardensync::e2e {
namespace {

using namespace std::chrono_literals;

// `deploy --sync=<deploy> --output jsonl` running in the background, its stdout and stderr in one
// log; interrupted (Ctrl-C: following ends, syncs stay) when destroyed.
class Following {
public:
  Following(Project& project, const std::string& deploy) : log_(project.root() / ".follow.log") {
    std::vector<std::string> argv{GARDENSYNC_BINARY, "--root", project.root().string(), "deploy",
                                  "--sync=" + deploy, "--output", "jsonl"};
    util::Environment environment;
    environment.set = project.env();
    pid_ = util::spawnDetached(argv, environment, log_, project.root());
  }
  ~Following() {
    ::kill(pid_, SIGINT);
    for (int i = 0; i < 100 && ::waitpid(pid_, nullptr, WNOHANG) == 0; ++i) std::this_thread::sleep_for(100ms);
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  Following(const Following&) = delete;
  Following& operator=(const Following&) = delete;

  std::string log() const {
    std::ifstream in(log_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  // The JSON events written so far (the log's other lines are gardensync's logs).
  std::vector<nlohmann::json> events() const {
    std::vector<nlohmann::json> events;
    std::istringstream lines(log());
    for (std::string line; std::getline(lines, line);) {
      if (line.empty() || line.front() != '{') continue;
      auto event = nlohmann::json::parse(line, nullptr, false);
      if (!event.is_discarded() && event.contains("event")) events.push_back(std::move(event));
    }
    return events;
  }
  bool sawEvent(const std::string& type, const std::string& messagePart) const {
    for (const auto& event : events())
      if (event["event"] == type && event.contains("message") && event["message"].is_string() &&
          event["message"].get<std::string>().find(messagePart) != std::string::npos)
        return true;
    return false;
  }
  // Waits (up to 3 minutes: the first deploy builds an image) until following has begun.
  bool waitUntilFollowing() const {
    for (int i = 0; i < 1800; ++i) {
      if (!events().empty()) return true;
      if (::waitpid(pid_, nullptr, WNOHANG) != 0) return false;  // it ended
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }

private:
  std::filesystem::path log_;
  int pid_ = -1;
};

std::string inspect(const Project& project, const std::string& deploy, const std::string& format) {
  auto result = util::runProcess({"docker", "inspect", "--format", format, project.container(deploy)});
  return result.exitCode == 0 ? result.stdoutText : "";
}

TEST(AfterSync, RunRestartAndRebuildWhileFollowing) {
  Project project("e2e-after-sync");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("web/Dockerfile", "FROM gardensync-test/busybox:latest\nENV REVISION=1\n");
  project.write("web/src/a.txt", "v1");
  project.write("web/conf/app.conf", "c1");
  project.write("web/garden.yml",
                "kind: Build\nname: web-image\ntype: container\n"
                "---\n"
                "kind: Deploy\nname: web\ntype: container\nbuild: web-image\nspec:\n"
                "  image: ${actions.build.web-image.outputs.deploymentImageId}\n"
                "  command: [sh, -c, \"trap 'exit 0' TERM; while true; do sleep 1; done\"]\n"
                "  sync:\n"
                "    rebuildOn: [Dockerfile]\n"
                "    paths:\n"
                "      - source: src\n"
                "        target: /app/src\n"
                "        afterSync:\n"
                "          run: [sh, -c, \"cat /app/src/a.txt > /tmp/marker\"]\n"
                "      - source: conf\n"
                "        target: /app/conf\n"
                "        afterSync:\n"
                "          restart: true\n");

  Following following(project, "web");
  ASSERT_TRUE(following.waitUntilFollowing()) << following.log();
  EXPECT_FALSE(project.existsIn("web", "/tmp/marker"));  // the initial sync runs no action

  // run: the command sees the file that just arrived.
  project.write("web/src/a.txt", "v2");
  EXPECT_TRUE(project.eventually([&] { return project.catIn("web", "/tmp/marker") == "v2"; })) << following.log();
  EXPECT_TRUE(project.eventually([&] {
    return following.sawEvent("action-finished", "run: sh -c 'cat /app/src/a.txt > /tmp/marker': exit code 0");
  })) << following.log();

  // restart: the container starts again, the new file in it.
  const std::string startedAt = inspect(project, "web", "{{.State.StartedAt}}");
  ASSERT_FALSE(startedAt.empty());
  project.write("web/conf/app.conf", "c2");
  EXPECT_TRUE(project.eventually([&] {
    const std::string now = inspect(project, "web", "{{.State.StartedAt}}");
    return !now.empty() && now != startedAt;
  })) << following.log();
  EXPECT_TRUE(project.eventually([&] { return following.sawEvent("action-finished", "restart: done"); }))
      << following.log();
  EXPECT_EQ(project.catIn("web", "/app/conf/app.conf"), "c2");

  // rebuildOn: a changed Dockerfile gives a new image, a new container, and syncs that work.
  const std::string image = inspect(project, "web", "{{.Config.Image}}");
  project.write("web/Dockerfile", "FROM gardensync-test/busybox:latest\nENV REVISION=2\n");
  EXPECT_TRUE(project.eventually([&] {
    const std::string now = inspect(project, "web", "{{.Config.Image}}");
    return !now.empty() && now != image;
  })) << following.log();
  EXPECT_TRUE(project.eventually([&] { return following.sawEvent("action-finished", "rebuild: done"); }))
      << following.log();
  EXPECT_EQ(project.exec("web", {"sh", "-c", "echo $REVISION"}).out, "2\n");
  project.write("web/src/a.txt", "v3");
  EXPECT_TRUE(project.eventually([&] { return project.catIn("web", "/tmp/marker") == "v3"; })) << following.log();
}

}  // namespace
}  // namespace gardensync::e2e
