// The commands as a whole — deploy, a redeploy that replaces a container, sync start and stop,
// cleanup — against an in-memory Docker Engine and Mutagen (fake_world.h): what they do, in which
// order, and what they leave behind when a step fails.
#include <cstdlib>
#include <fstream>
#include <optional>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fake_world.h"
#include "gardensync/cli/commands.h"
#include "gardensync/cli/deploy_runner.h"
#include "gardensync/cli/services.h"
#include "gardensync/providers/container_spec.h"
#include "gardensync/sync/plan.h"
#include "gardensync/util/error.h"
#include "gardensync/util/temp_dir.h"

namespace gardensync::cli {
namespace {

namespace fs = std::filesystem;
using gardensync::testing::FakeWorld;

// Sets an environment variable for one test.
class ScopedEnv {
public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) ::setenv(name_, old_->c_str(), 1);
    else ::unsetenv(name_);
  }

private:
  const char* name_;
  std::optional<std::string> old_;
};

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

// A project "shop" with Deploys api and web, each syncing its own folder two-way.
class Orchestration : public ::testing::Test {
protected:
  Orchestration() {
    root_ = fs::canonical(dir_.path()) / "shop";
    write(root_ / "project.garden.yml",
          "apiVersion: garden.io/v2\nkind: Project\nname: shop\nenvironments:\n  - name: local\n");
    for (const std::string deploy : {"api", "web"}) {
      write(root_ / deploy / "garden.yml",
            "kind: Deploy\ntype: container\nname: " + deploy +
                "\nspec:\n  image: gardensync-test/busybox:latest\n  command: [sleep, \"3600\"]\n"
                "  sync:\n    paths:\n      - source: src\n        target: /app\n        mode: two-way\n");
      write(root_ / deploy / "src" / "a.txt", "a");
    }
    dataDir_ = dir_.path() / "data";
    fs::create_directories(dataDir_);
    services_.provider = [this](const config::ProjectConfig& config) { return providers::makeProvider(config, world); };
    services_.engine = [this](Context&, bool, bool) {
      Engine engine;
      engine.tool = {"mutagen", dir_.path()};
      engine.dataDir = {dataDir_, {}};
      engine.mutagen = std::make_unique<mutagen::MutagenCli>("mutagen", dataDir_, world);
      engine.transport = {dataDir_, "mutagen", "gardensync"};
      return engine;
    };
  }

  // Runs `gardensync <commandLine>` in the project, as the real program parses it.
  void gardensync(const std::string& commandLine) {
    GlobalOptions options;
    options.root = root_.string();
    options.output = "json";
    Context context(options);
    context.setServices(services_);
    CLI::App app;
    addDeployCommand(app, context);
    addSyncCommands(app, context);
    app.parse(commandLine);
  }

  // A container of this checkout, as a deploy of an older config left it.
  void existingContainer(const std::string& deploy, const std::string& specHash, bool running) {
    world.containers["gs-shop-" + deploy] = {{{sync::kProjectLabel, "shop"},
                                              {sync::kDeployLabel, deploy},
                                              {sync::kProjectRootLabel, root_.string()},
                                              {providers::kContainerSpecLabel, specHash}},
                                             running};
  }

  std::vector<std::string> sessionNames() const {
    std::vector<std::string> names;
    for (const auto& [id, session] : world.sessions) names.push_back(session.name);
    return names;
  }

  FakeWorld world;
  util::TempDir dir_;
  fs::path root_, dataDir_;
  Services services_;
  ScopedEnv home_{"HOME", (dir_.path() / "home").string()};
  ScopedEnv watcher_{"GARDENSYNC_WATCHER", "off"};  // no watcher process from a unit test
};

TEST_F(Orchestration, DeployRunsTheContainersAndStartsTheirSyncs) {
  gardensync("deploy --sync=* --detach");
  EXPECT_EQ(world.containers.size(), 2u);
  EXPECT_TRUE(world.containers.at("gs-shop-api").running);
  EXPECT_THAT(sessionNames(), ::testing::UnorderedElementsAre("api-0", "web-0"));
  // The container runs before its sync is created, and the agent probe comes in between.
  EXPECT_LT(world.indexOf("docker run -d"), world.indexOf("docker exec gs-shop-api sh -c"));
  EXPECT_LT(world.indexOf("docker exec gs-shop-api sh -c"), world.indexOf("sync create"));
}

TEST_F(Orchestration, ARedeployWithoutChangesTouchesNothing) {
  gardensync("deploy --sync=* --detach");
  const auto runs = world.count("docker run"), creates = world.count("sync create");
  gardensync("deploy --sync=* --detach");
  EXPECT_EQ(world.count("docker run"), runs);
  EXPECT_EQ(world.count("docker rm"), 0u);
  EXPECT_EQ(world.count("sync create"), creates);
  EXPECT_EQ(world.count("sync terminate"), 0u);
  EXPECT_EQ(world.sessions.size(), 2u);
}

// The old session's history would read the new, empty container as deletions and delete the
// local files: it must be gone before the container is.
TEST_F(Orchestration, ReplacingAContainerStopsItsSyncsBeforeRemovingIt) {
  existingContainer("api", "an-older-spec", true);
  world.sessions["sync_old"] = {"api-0", {{sync::kProjectLabel, "shop"}, {sync::kDeployLabel, "api"}}};
  gardensync("deploy api --sync=api --detach");
  const int terminate = world.indexOf("sync terminate");
  ASSERT_GE(terminate, 0) << ::testing::PrintToString(world.calls());
  EXPECT_NE(world.calls()[terminate].find("sync_old"), std::string::npos);
  EXPECT_LT(terminate, world.indexOf("docker rm -f gs-shop-api"));
  EXPECT_LT(world.indexOf("docker rm -f gs-shop-api"), world.indexOf("docker run -d"));
  EXPECT_LT(world.indexOf("docker run -d"), world.indexOf("sync create"));
  EXPECT_EQ(world.sessions.count("sync_old"), 0u);
  EXPECT_THAT(sessionNames(), ::testing::ElementsAre("api-0"));
}

// A rebuildOn change redeploys one Deploy the way `deploy --sync=<name>` does: its sessions stop
// before its container is replaced and start afresh after; the other Deploy's stay as they are.
TEST_F(Orchestration, AfterSyncRebuildRedeploysLikeDeploySync) {
  gardensync("deploy --sync=* --detach");
  const auto webSessions = world.count("sync create");
  world.containers.at("gs-shop-api").labels[providers::kContainerSpecLabel] = "an-older-spec";  // a new image
  std::string apiSession;
  for (const auto& [id, session] : world.sessions)
    if (session.name == "api-0") apiSession = id;

  GlobalOptions options;
  options.root = root_.string();
  Context context(options);
  context.setServices(services_);
  const auto& config = context.project();
  const auto provider = services_.provider(config);
  const config::Action& api = *config.find(config::ActionKind::Deploy, "api");
  const auto sessions = sync::planSessions(
      config, sync::selectSyncDeploys(config, {"*"}),
      [&](const auto& deploy, const auto& path, const auto& name) { return provider->syncEndpoint(deploy, path, name); },
      {false});
  redeployWithSync(context, *provider, api, sessions);

  const int terminate = world.indexOf("sync terminate");
  ASSERT_GE(terminate, 0) << ::testing::PrintToString(world.calls());
  EXPECT_NE(world.calls()[terminate].find(apiSession), std::string::npos);
  EXPECT_LT(terminate, world.indexOf("docker rm -f gs-shop-api"));
  const auto calls = world.calls();
  int lastRun = -1, lastCreate = -1;
  for (size_t i = 0; i < calls.size(); ++i) {
    if (calls[i].find("docker run -d") != std::string::npos) lastRun = static_cast<int>(i);
    if (calls[i].find("sync create") != std::string::npos) lastCreate = static_cast<int>(i);
  }
  EXPECT_LT(world.indexOf("docker rm -f gs-shop-api"), lastRun);
  EXPECT_LT(lastRun, lastCreate);
  EXPECT_EQ(world.count("docker rm -f gs-shop-web"), 0u);
  EXPECT_EQ(world.count("sync create"), webSessions + 1);  // api-0 afresh, web-0 untouched
  EXPECT_THAT(sessionNames(), ::testing::UnorderedElementsAre("api-0", "web-0"));
}

TEST_F(Orchestration, AContainerThatCannotStartLeavesNoSyncBehind) {
  util::ProcessResult refused;
  refused.exitCode = 125;
  refused.stderrText = "docker: Error response from daemon: port is already allocated.\n";
  world.failOn["run"] = refused;
  try {
    gardensync("deploy --sync=* --detach");
    FAIL() << "deploy succeeded";
  } catch (const ToolError& e) {
    EXPECT_THAT(e.stderrText(), ::testing::HasSubstr("port is already allocated"));
  }
  EXPECT_EQ(world.count("sync create"), 0u);
  EXPECT_TRUE(world.sessions.empty());
}

TEST_F(Orchestration, ADockerEngineThatDoesNotAnswerStopsEverythingBeforeItStarts) {
  util::ProcessResult hang;
  hang.timedOut = true;
  world.failOn["version"] = hang;
  EXPECT_THROW(gardensync("deploy --sync=* --detach"), Error);
  EXPECT_EQ(world.calls().size(), 1u) << ::testing::PrintToString(world.calls());
}

TEST_F(Orchestration, SyncStopStopsOnlyTheNamedDeploysSyncsAndLeavesTheContainers) {
  gardensync("deploy --sync=* --detach");
  gardensync("sync stop api");
  EXPECT_THAT(sessionNames(), ::testing::ElementsAre("web-0"));
  EXPECT_EQ(world.containers.size(), 2u);
  EXPECT_EQ(world.count("docker rm"), 0u);
}

TEST_F(Orchestration, SyncStartRefusesADeployWhoseContainerIsNotRunning) {
  existingContainer("api", "any", false);
  try {
    gardensync("sync start api");
    FAIL() << "sync start succeeded";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("Deploy api is not running"));
  }
  EXPECT_EQ(world.count("sync create"), 0u);
}

TEST_F(Orchestration, SyncRestartReplacesTheSessionsOfRunningDeploys) {
  gardensync("deploy --sync=* --detach");
  gardensync("sync restart web");
  EXPECT_EQ(world.count("sync terminate"), 1u);
  EXPECT_THAT(sessionNames(), ::testing::UnorderedElementsAre("api-0", "web-0"));
  EXPECT_EQ(world.count("docker run"), 2u);  // the containers stay
}

TEST_F(Orchestration, CleanupStopsTheSyncsBeforeRemovingTheContainers) {
  gardensync("deploy --sync=* --detach");
  gardensync("cleanup deploy");
  EXPECT_TRUE(world.sessions.empty());
  EXPECT_TRUE(world.containers.empty());
  EXPECT_LT(world.indexOf("sync terminate"), world.indexOf("docker rm"));
}

}  // namespace
}  // namespace gardensync::cli
