// Following syncs as a JSON Lines event stream (`sync status --watch --output jsonl`, `deploy
// --sync --output jsonl`): events name the files that moved and their direction, every line is
// one JSON object, and following ends by itself when the syncs are stopped from another command.
#include <atomic>
#include <future>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "gardensync/util/process.h"
#include "harness.h"

namespace gardensync::e2e {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// A gardensync command running in the background whose stdout lines are read as they come.
class Follower {
public:
  Follower(Project& project, const std::vector<std::string>& args) {
    std::vector<std::string> argv{GARDENSYNC_BINARY, "--root", project.root().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    util::ProcessOptions options;
    options.environment.set = project.env();
    options.workingDirectory = project.root();
    options.timeout = 5min;
    options.cancelled = [this] { return stop_.load(); };
    options.onStdout = [this](std::string_view chunk) {
      std::lock_guard lock(mutex_);
      text_.append(chunk);
    };
    run_ = std::async(std::launch::async, [argv, options] { return util::runProcess(argv, options); });
  }

  ~Follower() {
    stop_ = true;  // a test that failed half-way must not wait for the command's timeout
    if (run_.valid()) run_.wait();
  }

  // Complete lines so far.
  std::vector<std::string> lines() {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    size_t start = 0;
    for (size_t end; (end = text_.find('\n', start)) != std::string::npos; start = end + 1)
      out.push_back(text_.substr(start, end - start));
    return out;
  }

  // Waits (up to 60 s) for an event line that `match` accepts, and returns it.
  std::optional<json> waitFor(const std::function<bool(const json&)>& match) {
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < deadline) {
      for (const auto& line : lines()) {
        auto event = json::parse(line, nullptr, false);
        if (!event.is_discarded() && match(event)) return event;
      }
      if (run_.wait_for(100ms) == std::future_status::ready) break;
    }
    for (const auto& line : lines()) {
      auto event = json::parse(line, nullptr, false);
      if (!event.is_discarded() && match(event)) return event;
    }
    return std::nullopt;
  }

  // Waits for the command to end by itself (up to 60 s).
  std::optional<util::ProcessResult> finished() {
    if (run_.wait_for(60s) != std::future_status::ready) return std::nullopt;
    return run_.get();
  }

private:
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::string text_;
  std::future<util::ProcessResult> run_;
};

std::string allLines(Follower& follower) {
  std::string text;
  for (const auto& line : follower.lines()) text += line + "\n";
  return text;
}

bool hasPath(const json& event, const std::string& path) {
  for (const auto& p : event.value("paths", json::array()))
    if (p == path) return true;
  return false;
}

std::function<bool(const json&)> changes(const std::string& direction, const std::string& path) {
  return [=](const json& e) { return e["event"] == "changes" && e["direction"] == direction && hasPath(e, path); };
}

void setUp(Project& project) {
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("src/first.txt", "first\n");
  project.write("garden.yml", sleepDeployYaml("app", "      - source: src\n        target: /app/src\n"
                                                     "        mode: two-way-safe\n"));
}

TEST(Events, WatchNamesFilesInBothDirectionsAndEndsWhenTheSyncsStop) {
  Project project("ev-watch");
  setUp(project);
  auto deploy = project.gardensync({"deploy", "--sync=*"});
  ASSERT_EQ(deploy.exitCode, 0) << deploy.err;

  Follower follower(project, {"sync", "status", "--watch", "--output", "jsonl"});
  auto started = follower.waitFor([](const json& e) { return e["event"] == "started"; });
  ASSERT_TRUE(started) << "no started event";
  EXPECT_EQ((*started)["session"], "app-0");
  EXPECT_EQ((*started)["deploy"], "app");
  EXPECT_TRUE((*started)["time"].get<std::string>().ends_with("Z"));

  project.write("src/sub/edited.txt", "from the laptop\n");
  auto toContainer = follower.waitFor(changes("to-container", "sub/edited.txt"));
  ASSERT_TRUE(toContainer) << "no to-container event naming sub/edited.txt; got:\n" << allLines(follower);
  EXPECT_EQ(project.catIn("app", "/app/src/sub/edited.txt"), "from the laptop\n");
  EXPECT_TRUE((*toContainer)["stagedFiles"].is_number());

  project.writeIn("app", "/app/src/from-container.txt", "made in the container\n");
  project.flush();  // Mutagen polls the container side every 10 s otherwise
  auto toLocal = follower.waitFor(changes("to-local", "from-container.txt"));
  ASSERT_TRUE(toLocal) << "no to-local event naming from-container.txt; got:\n" << allLines(follower);
  EXPECT_EQ(project.read("src/from-container.txt"), "made in the container\n");
  EXPECT_FALSE(hasPath(*toLocal, "sub/edited.txt"));

  auto stop = project.gardensync({"sync", "stop"});
  ASSERT_EQ(stop.exitCode, 0) << stop.err;
  auto ended = follower.waitFor([](const json& e) { return e["event"] == "ended"; });
  ASSERT_TRUE(ended) << "following did not end after sync stop";
  EXPECT_NE((*ended)["message"].get<std::string>().find("no syncs left"), std::string::npos);
  auto result = follower.finished();
  ASSERT_TRUE(result) << "sync status --watch still runs after its syncs were stopped";
  EXPECT_EQ(result->exitCode, 0) << result->stderrText;
  // Every line of stdout is one JSON object; logs stay on stderr.
  for (const auto& line : follower.lines()) EXPECT_TRUE(json::parse(line, nullptr, false).is_object()) << line;
  project.gardensync({"cleanup", "deploy"});
}

TEST(Events, DeployWithJsonlPrintsItsResultThenFollows) {
  Project project("ev-deploy");
  setUp(project);
  Follower follower(project, {"deploy", "--sync=*", "--output", "jsonl"});
  auto result = follower.waitFor([](const json& e) { return e.contains("deploys") || e.contains("sessions"); });
  ASSERT_TRUE(result) << "no deploy result line";
  auto started = follower.waitFor([](const json& e) { return e.value("event", "") == "started"; });
  ASSERT_TRUE(started) << "deploy --output jsonl did not follow the syncs";

  auto stop = project.gardensync({"sync", "stop"});
  ASSERT_EQ(stop.exitCode, 0) << stop.err;
  auto ended = follower.waitFor([](const json& e) { return e.value("event", "") == "ended"; });
  ASSERT_TRUE(ended);
  auto run = follower.finished();
  ASSERT_TRUE(run) << "deploy still follows after its syncs were stopped";
  EXPECT_EQ(run->exitCode, 0) << run->stderrText;
  const auto lines = follower.lines();
  ASSERT_FALSE(lines.empty());
  EXPECT_TRUE(json::parse(lines.front()).contains("deploys") || json::parse(lines.front()).contains("sessions"))
      << lines.front();
  for (const auto& line : lines) EXPECT_TRUE(json::parse(line, nullptr, false).is_object()) << line;
  project.gardensync({"cleanup", "deploy"});
}

TEST(Events, WatchWithoutARunningDaemonIsAnError) {
  Project project("ev-nodaemon");
  setUp(project);
  auto run = project.gardensync({"sync", "status", "--watch", "--output", "jsonl"});
  EXPECT_EQ(run.exitCode, 1);
  EXPECT_NE(run.err.find("daemon is not running"), std::string::npos) << run.err;
  EXPECT_TRUE(run.out.empty()) << run.out;
}

}  // namespace
}  // namespace gardensync::e2e
