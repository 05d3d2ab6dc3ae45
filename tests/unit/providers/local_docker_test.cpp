#include "gardensync/providers/local_docker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../config/load_helpers.h"
#include "../fake_runner.h"
#include "gardensync/util/error.h"

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

}  // namespace
}  // namespace gardensync::providers
