#include "gardensync/providers/local_docker.h"

#include <filesystem>
#include <functional>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../config/load_helpers.h"
#include "../fake_runner.h"
#include "gardensync/util/error.h"
#include "gardensync/util/temp_dir.h"

namespace gardensync::providers {
namespace {

using gardensync::testing::answer;
using gardensync::testing::FakeRunner;
using gardensync::testing::loadFixture;

TEST(LocalDockerProvider, EndpointsAreMutagensDockerUrlsOfTheDeploysContainer) {
  auto config = loadFixture("seed/permissions");
  FakeRunner runner;
  LocalDockerProvider provider(config, runner);
  const auto& deploy = *config.find(config::ActionKind::Deploy, "node-service");
  EXPECT_EQ(provider.syncEndpoint(deploy, deploy.sync->paths[0], "node-service-0"),
            "docker://gs-seed-permissions-node-service/app/src");
  EXPECT_TRUE(provider.prepareTransport({}).empty());  // Mutagen's docker transport needs nothing extra
  EXPECT_TRUE(runner.calls().empty());
}

TEST(LocalDockerProvider, ClusterDeploysAreRefusedBeforeAnyBuild) {
  auto config = loadFixture("seed/kubernetes-sync");
  config.provider.name = "local-docker";
  FakeRunner runner;
  LocalDockerProvider provider(config, runner);
  try {
    provider.checkDeploySupported(*config.find(config::ActionKind::Deploy, "node-service"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "Deploy node-service has type kubernetes, which the local-docker provider cannot run");
  }
}

TEST(LocalDockerProvider, CleanupRemovesOnlyThisCheckoutsContainersOfTheNamedDeploys) {
  auto config = loadFixture("seed/permissions");
  FakeRunner runner;
  runner.on({"ps"}, {answer(0, "id1\nid2\nid3\n")});
  const std::string root = config.project.root.string();
  runner.on({"container", "inspect"},
            {answer(0, R"([{"Id":"id1","Name":"/gs-seed-permissions-node-service","Config":{"Labels":{
                "gardensync.io/deploy":"node-service","gardensync.io/project-root":")" + root + R"("}}},
              {"Id":"id2","Name":"/gs-seed-permissions-other","Config":{"Labels":{"gardensync.io/deploy":"other"}}},
              {"Id":"id3","Name":"/gs-seed-permissions-node-service","Config":{"Labels":{
                "gardensync.io/deploy":"node-service","gardensync.io/project-root":"/another/checkout"}}}])")});
  runner.on({"rm"}, {answer(0)});
  LocalDockerProvider provider(config, runner);
  EXPECT_EQ(provider.cleanup({"node-service"}), std::vector<std::string>{"container gs-seed-permissions-node-service"});
  EXPECT_EQ(runner.countCalls("rm"), 1u);
  EXPECT_EQ(runner.countCalls("id1"), 2u);  // inspected, then removed
}

TEST(LocalDockerProvider, APortInUseNamesThePortAndItsLineAndRemovesTheCreatedContainer) {
  auto config = loadFixture("container-spec");
  FakeRunner runner;
  runner.on({"container", "inspect"}, {answer(1, "", "Error: No such container: gs-shop-api")});
  runner.on({"run"}, {answer(125, "", "docker: Error response from daemon: driver failed programming external "
                                      "connectivity on endpoint gs-shop-api (9f93): Error starting userland proxy: "
                                      "listen tcp4 127.0.0.1:18080: bind: address already in use.\n")});
  runner.on({"rm"}, {answer(0)});
  LocalDockerProvider provider(config, runner);
  const auto plan = provider.planDeploy(*config.find(config::ActionKind::Deploy, "api"), false);
  try {
    provider.applyDeploy(plan, {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("Deploy api: host port 18080 is already in use"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("project.garden.yml:15:52: spec.ports[0] publishes it (container port 8080)"));
    EXPECT_THAT(e.hint(), ::testing::HasSubstr("ss -ltnp 'sport = :18080'"));
  }
  EXPECT_EQ(runner.countCalls("rm"), 1u);  // the container `docker run` created is gone
}

TEST(LocalDockerProvider, AContainerThatExitsAtOnceIsAnErrorWithItsExitCodeAndLog) {
  auto config = loadFixture("container-spec");
  FakeRunner runner;
  runner.on({"container", "inspect"},
            {answer(1, "", "Error: No such container: gs-shop-api"),
             answer(0, R"([{"Id":"c1","Name":"/gs-shop-api","State":{"Running":false,"Status":"exited","ExitCode":3},
                         "Config":{"Image":"shop/api:1","Labels":{}}}])")});
  runner.on({"run"}, {answer(0, "c1\n")});
  runner.on({"logs"}, {answer(0, "booting\n", "config missing\n")});
  LocalDockerProvider provider(config, runner);
  const auto plan = provider.planDeploy(*config.find(config::ActionKind::Deploy, "api"), true);
  provider.applyDeploy(plan, {});
  try {
    provider.checkStarted({plan}, [](const std::string&) {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "Deploy api is not running: its container gs-shop-api exited with code 3\n"
              "  last lines of its log:\n    booting\n    config missing");
    EXPECT_THAT(e.hint(), ::testing::HasSubstr("fix spec.sync.command/args in project.garden.yml"));
  }
}

TEST(LocalDockerProvider, DescribeShowsStatePortsAndImage) {
  auto config = loadFixture("container-spec");
  FakeRunner runner;
  runner.on({"container", "inspect"},
            {answer(0, R"([{"Id":"c1","Name":"/gs-shop-api","State":{"Running":true,"Status":"running"},
                         "Config":{"Image":"shop/api:1","Labels":{}},
                         "NetworkSettings":{"Ports":{"8080/tcp":[{"HostIp":"127.0.0.1","HostPort":"18080"}],
                                                     "9090/tcp":null}}}])")});
  LocalDockerProvider provider(config, runner);
  const auto states = provider.describe({config.find(config::ActionKind::Deploy, "api")});
  ASSERT_EQ(states.size(), 1u);
  EXPECT_TRUE(states[0].running);
  EXPECT_EQ(states[0].state, "running");
  EXPECT_EQ(states[0].image, "shop/api:1");
  EXPECT_EQ(states[0].ports, std::vector<std::string>{"127.0.0.1:18080->8080/tcp"});
}

// Mutagen shows a session into a paused container as watching, its agent frozen: the sync and
// the container are named, with the way out, instead of the agent check that docker exec failed.
TEST(LocalDockerProvider, APausedContainerIsNamedAsUnreachableForItsSyncs) {
  auto config = loadFixture("container-spec");
  const char* paused = R"([{"Id":"c1","Name":"/gs-shop-api","State":{"Running":true,"Paused":true,"Status":"paused"},
                           "Config":{"Image":"shop/api:1","Labels":{}}}])";
  FakeRunner runner;
  runner.on({"container", "inspect"}, {answer(0, paused), answer(0, paused)});
  runner.on({"exec"}, {answer(1, "", "Error response from daemon: Container c1 is paused, unpause the container first")});
  LocalDockerProvider provider(config, runner);
  sync::PlannedSession session;
  session.deploy = "api";
  session.name = "api-0";
  runner.on({"ps", "status=paused"}, {answer(0, "gs-other-web\ngs-shop-api\n")});
  const auto expectPaused = [](const std::function<void()>& check) {
    try {
      check();
      FAIL();
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()), "sync api-0 (api): its container gs-shop-api is paused, so Mutagen cannot reach it");
      EXPECT_EQ(e.hint(), "unpause it with `docker unpause gs-shop-api`, then run the command again");
    }
  };
  // Before the creates: one question for all containers, nothing run in them.
  expectPaused([&] { provider.prepareSyncTargets({session}, {}); });
  EXPECT_EQ(runner.countCalls("exec"), 0u);
  // After a failed create: only when the agent check failed, the container was looked at.
  expectPaused([&] { provider.explainFailedCreate(session); });
  EXPECT_EQ(runner.countCalls("exec"), 1u);
  EXPECT_EQ(provider.describe({config.find(config::ActionKind::Deploy, "api")}).at(0).state, "paused");  // get status
  const auto unreachable = provider.unreachableSyncTargets({config.find(config::ActionKind::Deploy, "api")});
  ASSERT_EQ(unreachable.size(), 1u);
  EXPECT_EQ(unreachable.at("api"),
            "container gs-shop-api is paused, so Mutagen cannot reach it; unpause it with `docker unpause "
            "gs-shop-api`, and its syncs go on by themselves");
}

// Running or not deployed (requireRunning says so, not this): no paused container of that name.
TEST(LocalDockerProvider, AContainerThatIsNotPausedIsReachable) {
  auto config = loadFixture("container-spec");
  FakeRunner runner;
  runner.on({"ps", "status=paused"}, {answer(0, "gs-shop-api-old\n")});
  LocalDockerProvider provider(config, runner);
  EXPECT_TRUE(provider.unreachableSyncTargets({config.find(config::ActionKind::Deploy, "api")}).empty());
  EXPECT_EQ(runner.countCalls("ps"), 1u);
  EXPECT_TRUE(provider.unreachableSyncTargets({}).empty());
  EXPECT_EQ(runner.countCalls("ps"), 1u);  // nothing to ask about, nothing asked
}

TEST(AfterSyncLocalDocker, RestartRestartsTheRunningContainerAndChecksItKeepsRunning) {
  auto config = loadFixture("container-spec");
  const char* running = R"([{"Id":"c1","Name":"/gs-shop-api","State":{"Running":true,"Status":"running"},
                            "Config":{"Image":"shop/api:1","Labels":{}}}])";
  const char* exited = R"([{"Id":"c1","Name":"/gs-shop-api","State":{"Running":false,"Status":"exited","ExitCode":2},
                           "Config":{"Image":"shop/api:1","Labels":{}}}])";
  FakeRunner runner;
  runner.on({"container", "inspect"}, {answer(0, running), answer(0, running), answer(0, running), answer(0, exited)});
  runner.on({"restart", "gs-shop-api"}, {answer(0, "gs-shop-api\n")});
  LocalDockerProvider provider(config, runner);
  const auto& api = *config.find(config::ActionKind::Deploy, "api");
  std::vector<std::string> status;
  EXPECT_FALSE(provider.restartSyncTarget(api, config::SyncPath{}, [&](const std::string& l) { status.push_back(l); }));
  EXPECT_EQ(runner.countCalls("restart"), 1u);
  EXPECT_EQ(status, std::vector<std::string>{"restarting container gs-shop-api"});
  // One whose command ends at once after the restart is an error with its exit code.
  try {
    provider.restartSyncTarget(api, config::SyncPath{}, [](const std::string&) {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "container gs-shop-api did not keep running after the restart (exited, exit code 2)");
  }
}


sync::PlannedSession sessionInto(const std::string& name, const std::filesystem::path& local, const std::string& target) {
  sync::PlannedSession session;
  session.deploy = "api";
  session.name = name;
  session.localPath = local;
  session.containerPath = target;
  return session;
}

// One look into the container for all new sessions there; a stream only for the folders that are
// absent or empty, never for reverse sessions or for folders inside one another.
TEST(LocalDockerProvider, InitialFilesGoOnlyIntoAbsentOrEmptyFolders) {
  auto config = loadFixture("container-spec");
  util::TempDir local("initial-copy-");
  std::ofstream(local / "file.txt") << "x";
  FakeRunner runner;
  // After the agent check (nothing missing), the folders' answers.
  runner.on({"exec"}, {answer(0, "--- gardensync: sync folders\nabsent 0 0 0\nbusy 0 0 0\n")});
  runner.on({"cp"}, {answer(0)});
  LocalDockerProvider provider(config, runner);
  auto reverse = sessionInto("api-2", local.path(), "/rev");
  reverse.containerIsAlpha = true;
  const auto copies = provider.copyInitialFiles(
      {sessionInto("api-0", local.path(), "/app/src/"), sessionInto("api-1", local.path(), "/srv"), reverse,
       sessionInto("api-3", local.path(), "/data/x"), sessionInto("api-4", local.path(), "/data/x/y")},
      {});
  ASSERT_EQ(copies.size(), 1u);
  EXPECT_EQ(copies[0].session, "api-0");
  EXPECT_EQ(copies[0].where, "gs-shop-api:/app/src");
  EXPECT_TRUE(copies[0].failure.empty());
  EXPECT_EQ(runner.countCalls("exec"), 1u);
  EXPECT_THAT(runner.calls(), ::testing::Contains("docker cp --archive - gs-shop-api:/app"));
}

// A folder where the Engine's API shows a name of the local tree needs no look inside the
// container; the others (the names absent, or the API closed) get the one `docker exec`, which
// also checks that the container can host the agent.
TEST(LocalDockerProvider, FoldersTheEngineShowsInUseNeedNoExec) {
  auto config = loadFixture("container-spec");
  util::TempDir local("initial-copy-");
  std::ofstream(local / "file.txt") << "x";
  std::filesystem::create_directories(local / "lib");
  std::ofstream(local / "lib" / "a.txt") << "a";
  FakeRunner runner;
  runner.onEngine("HEAD /containers/gs-shop-api/archive?path=/app/src/lib", {200, ""});
  runner.onEngine("HEAD /containers/gs-shop-api/archive?path=/app/src/", {404, ""});
  LocalDockerProvider provider(config, runner);
  EXPECT_TRUE(provider.copyInitialFiles({sessionInto("api-0", local.path(), "/app/src")}, {}).empty());
  EXPECT_EQ(runner.engineCalls().back(), "HEAD /containers/gs-shop-api/archive?path=/app/src/lib");
  EXPECT_TRUE(runner.calls().empty());  // no docker exec, no docker cp

  FakeRunner second;
  second.onEngine("HEAD", {404, ""});
  second.on({"exec"}, {answer(0, "missing uname\n--- gardensync: sync folders\nabsent 0 0 0\n")});
  LocalDockerProvider other(config, second);
  try {
    other.copyInitialFiles({sessionInto("api-0", local.path(), "/app/my src")}, {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "container gs-shop-api cannot host the sync agent: missing uname");
  }
  EXPECT_THAT(second.engineCalls(), ::testing::Contains("HEAD /containers/gs-shop-api/archive?path=/app/my%20src/file.txt"));
  EXPECT_EQ(second.countCalls("cp"), 0u);
}

// After a failed `mutagen sync create`, the container is checked for why; a check that cannot
// run itself leaves Mutagen's error to be reported.
TEST(LocalDockerProvider, AFailedCreateIsExplainedByTheAgentCheckWhenItCan) {
  auto config = loadFixture("container-spec");
  auto session = sessionInto("api-0", "/tmp", "/app");
  FakeRunner noShell;
  noShell.on({"exec"}, {answer(126, "", "OCI runtime exec failed: exec: \"sh\": executable file not found in $PATH")});
  noShell.on({"container", "inspect"}, {answer(0, R"([{"Id":"c1","Name":"/gs-shop-api","State":{"Running":true,"Status":"running"},"Config":{"Image":"x","Labels":{}}}])")});
  try {
    LocalDockerProvider(config, noShell).explainFailedCreate(session);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "container gs-shop-api cannot host the sync agent: it has no shell (sh)");
  }
  FakeRunner fine;
  fine.on({"exec"}, {answer(0, "")});
  EXPECT_NO_THROW(LocalDockerProvider(config, fine).explainFailedCreate(session));
  FakeRunner unknown;
  unknown.on({"exec"}, {testing::timedOut()});
  unknown.on({"container", "inspect"}, {answer(0, R"([{"Id":"c1","Name":"/gs-shop-api","State":{"Running":true,"Status":"running"},"Config":{"Image":"x","Labels":{}}}])")});
  EXPECT_NO_THROW(LocalDockerProvider(config, unknown).explainFailedCreate(session));
}

// A failed stream is undone (the folder it was creating is removed) and reported; Mutagen then
// copies everything.
TEST(LocalDockerProvider, AFailedInitialCopyIsRemovedAgainAndReported) {
  auto config = loadFixture("container-spec");
  util::TempDir local("initial-copy-");
  std::ofstream(local / "file.txt") << "x";
  FakeRunner runner;
  runner.on({"exec", "src"}, {answer(0)});  // the removal of the half-made folder
  runner.on({"exec"}, {answer(0, "--- gardensync: sync folders\nabsent 0 0 0\n")});
  runner.on({"cp"}, {answer(1, "", "Error response from daemon: no space left on device")});
  LocalDockerProvider provider(config, runner);
  const auto copies = provider.copyInitialFiles({sessionInto("api-0", local.path(), "/app/src")}, {});
  ASSERT_EQ(copies.size(), 1u);
  EXPECT_THAT(copies[0].failure, ::testing::HasSubstr("no space left on device"));
  EXPECT_THAT(runner.calls(), ::testing::Contains(::testing::HasSubstr("docker exec gs-shop-api sh -c")));
  EXPECT_EQ(runner.countCalls("src"), 1u);
}


// `sync start` asks about all Deploys with one docker inspect: a missing container is that
// Deploy's problem, not a failure of the question.
TEST(LocalDockerProvider, RunningDeploysAreCheckedWithOneInspect) {
  auto config = loadFixture("container-spec");
  const config::Action* api = config.find(config::ActionKind::Deploy, "api");
  FakeRunner runner;
  runner.on({"container", "inspect"},
            {answer(1, "[]\n", "Error: No such container: gs-shop-api\n"),
             answer(0, R"([{"Id":"c1","Name":"/gs-shop-api","State":{"Running":true,"Status":"running"},"Config":{}}])"),
             answer(1, "", "permission denied while trying to connect to the Docker daemon socket\n")});
  LocalDockerProvider provider(config, runner);
  auto problems = provider.checkRunning({api, api});
  ASSERT_EQ(problems.size(), 2u);
  try {
    std::rethrow_exception(problems[0]);
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("Deploy api is not running (no container gs-shop-api)"));
  }
  EXPECT_EQ(runner.countCalls("inspect"), 1u);
  problems = provider.checkRunning({api});
  EXPECT_FALSE(problems[0]);
  EXPECT_THROW(provider.checkRunning({api}), ToolError);
}

}  // namespace
}  // namespace gardensync::providers
