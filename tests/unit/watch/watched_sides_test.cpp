#include "gardensync/watch/watched_sides.h"

#include <gtest/gtest.h>

#include "gardensync/sync/plan.h"

namespace gardensync::watch {
namespace {

mutagen::SessionStatus session(const std::string& mode, const std::string& watcher, bool containerIsAlpha,
                               const std::string& containerProtocol = "docker") {
  mutagen::SessionStatus s;
  s.name = "app-0";
  s.labels = {{sync::kGardenModeLabel, mode}, {sync::kWatcherLabel, watcher}};
  mutagen::EndpointStatus local;
  local.protocol = "local";
  local.path = "/home/me/shop/src";
  mutagen::EndpointStatus container;
  container.protocol = containerProtocol;
  container.host = "gs-shop-app";
  container.path = "/app/src";
  s.alpha = containerIsAlpha ? container : local;
  s.beta = containerIsAlpha ? local : container;
  return s;
}

TEST(WatchedSides, TwoWayWatchesBothSides) {
  const auto s = session("two-way-safe", "on", false);
  EXPECT_TRUE(watchesLocalSide(s));
  const auto side = watchedContainerSide(s);
  ASSERT_TRUE(side);
  EXPECT_EQ(side->container, "gs-shop-app");
  EXPECT_EQ(side->path, "/app/src");
  EXPECT_TRUE(watchedContainerSide(session("two-way-resolved", "on", false)));
}

TEST(WatchedSides, OneWayWatchesOnlyTheLocalSideAndReverseOnlyTheContainer) {
  EXPECT_TRUE(watchesLocalSide(session("one-way-replica", "on", false)));
  EXPECT_FALSE(watchedContainerSide(session("one-way-replica", "on", false)));
  EXPECT_FALSE(watchedContainerSide(session("one-way-safe", "on", false)));
  const auto reverse = session("one-way-replica-reverse", "on", true);
  EXPECT_FALSE(watchesLocalSide(reverse));  // the local side only receives
  ASSERT_TRUE(watchedContainerSide(reverse));
  EXPECT_EQ(watchedContainerSide(reverse)->path, "/app/src");
  EXPECT_TRUE(servedByWatcher(reverse));
}

TEST(WatchedSides, NothingWithoutTheLabelOrAKnownMode) {
  EXPECT_FALSE(servedByWatcher(session("two-way-safe", "off", false)));  // GARDENSYNC_WATCHER=off
  EXPECT_FALSE(servedByWatcher(session("one-way-reverse", "off", true)));
  auto unknown = session("sideways", "on", false);
  EXPECT_FALSE(watchedContainerSide(unknown));
}

TEST(WatchedSides, PodsOfGardensyncsTransportAreWatchedOtherSshHostsAreNot) {
  auto pod = session("two-way-safe", "on", false, "ssh");
  pod.beta.host = "kube_shop_deployment_vote_-_vote-0_0123456789";
  const auto side = watchedContainerSide(pod);
  ASSERT_TRUE(side);
  EXPECT_EQ(side->kind, ContainerSide::Kind::Kubernetes);
  EXPECT_EQ(side->container, pod.beta.host);
  EXPECT_EQ(side->path, "/app/src");
  EXPECT_EQ(watchedContainerSide(session("two-way-safe", "on", false))->kind, ContainerSide::Kind::Docker);
  // A host gardensync's transport did not write is no pod it can reach.
  EXPECT_FALSE(watchedContainerSide(session("two-way-safe", "on", false, "ssh")));
}

}  // namespace
}  // namespace gardensync::watch
