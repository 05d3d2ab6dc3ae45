#include "gardensync/providers/container_spec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../config/load_helpers.h"

namespace gardensync::providers {
namespace {

using gardensync::testing::fixture;
using gardensync::testing::loadFixture;
using ::testing::ElementsAre;

TEST(ContainerSpec, MapsTheDeployOntoDockerRunFlags) {
  auto config = loadFixture("container-spec");
  const auto* deploy = config.find(config::ActionKind::Deploy, "api");
  auto spec = containerSpec(config, *deploy, "shop/api:1", false);
  EXPECT_EQ(spec.name, "gs-shop-api");
  const std::string cache = fixture("container-spec/cache").lexically_normal().string();
  EXPECT_THAT(spec.runArgs,
              ElementsAre("--name", "gs-shop-api", "--label", "gardensync.io/project=shop", "--label",
                          "gardensync.io/deploy=api", "--label",
                          "gardensync.io/project-root=" + config.project.root.string(), "--label",
                          "gardensync.io/container-spec=" + spec.specHash,
                          "--env", "MODE=dev", "--publish", "127.0.0.1:18080:8080/tcp", "--mount",
                          "type=volume,source=gs-shop-api-data,target=/data", "--mount",
                          "type=bind,source=" + cache + ",target=/cache", "--entrypoint", "node",
                          "shop/api:1", "server.js", "--port", "8080"));
}

TEST(ContainerSpec, SyncModeReplacesTheCommandAndChangesTheHash) {
  auto config = loadFixture("container-spec");
  const auto* deploy = config.find(config::ActionKind::Deploy, "api");
  auto plain = containerSpec(config, *deploy, "shop/api:1", false);
  auto synced = containerSpec(config, *deploy, "shop/api:1", true);
  EXPECT_NE(plain.specHash, synced.specHash);
  auto entrypoint = std::find(synced.runArgs.begin(), synced.runArgs.end(), "--entrypoint");
  ASSERT_NE(entrypoint, synced.runArgs.end());
  EXPECT_EQ(*(entrypoint + 1), "npm");
  EXPECT_THAT(std::vector<std::string>(entrypoint + 2, synced.runArgs.end()),
              ElementsAre("shop/api:1", "run", "dev", "--port", "8080"));  // args are kept
  // The same inputs give the same hash: a redeploy leaves the container alone.
  EXPECT_EQ(plain.specHash, containerSpec(config, *deploy, "shop/api:1", false).specHash);
  EXPECT_NE(plain.specHash, containerSpec(config, *deploy, "shop/api:2", false).specHash);
}

}  // namespace
}  // namespace gardensync::providers
