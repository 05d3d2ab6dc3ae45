#include "gardensync/watch/container_helper.h"

#include <gtest/gtest.h>

namespace gardensync::watch {
namespace {

const std::string kVersioned = std::string("gardensync-container-watch-") + GARDENSYNC_VERSION;

TEST(ContainerHelper, DockerCopiesIntoTheRootAtEveryStartAndRunsWithExec) {
  const auto launch = helperLaunch({ContainerSide::Kind::Docker, "gs-shop-app", "/app/src"}, {"*.tmp", "node_modules"},
                                   "/opt/gs/gardensync-container-watch", "/data", "x86_64");
  EXPECT_EQ(launch.where, "container gs-shop-app");
  EXPECT_TRUE(launch.check.empty());
  EXPECT_EQ(launch.install, (std::vector<std::string>{"docker", "cp", "/opt/gs/gardensync-container-watch",
                                                      "gs-shop-app:/." + kVersioned}));
  EXPECT_EQ(launch.run, (std::vector<std::string>{"docker", "exec", "-i", "gs-shop-app", "/." + kVersioned, "/app/src",
                                                  "--ignore", "*.tmp", "--ignore", "node_modules"}));
}

TEST(ContainerHelper, PodsAreReachedThroughTheTransportsStandInsAndGetTheHelperOnlyWhenMissing) {
  const std::string host = "kube_shop_deployment_vote_web_vote-0_0123456789";
  const auto launch = helperLaunch({ContainerSide::Kind::Kubernetes, host, "/app/my src"}, {"it's"},
                                   "/opt/gs/gardensync-container-watch", "/data", "aarch64");
  EXPECT_EQ(launch.where, "pod of deployment/vote in namespace shop (container web)");
  const std::string pod = ".gardensync/" + kVersioned;
  ASSERT_EQ(launch.check.size(), 3u);
  EXPECT_EQ(launch.check[0], "/data/kubernetes/bin/ssh");
  EXPECT_EQ(launch.check[1], host);
  EXPECT_EQ(launch.check[2], "m=$(uname -m); if [ \"$m\" != 'aarch64' ]; then echo \"$m\"; exit 11; fi; test -x '" +
                                 pod + "' || exit 10");
  EXPECT_EQ(launch.install,
            (std::vector<std::string>{"/data/kubernetes/bin/scp", "/opt/gs/gardensync-container-watch", host + ":" + pod}));
  EXPECT_EQ(launch.run, (std::vector<std::string>{"/data/kubernetes/bin/ssh", host,
                                                  "exec '" + pod + "' '/app/my src' '--ignore' 'it'\\''s'"}));
}

TEST(ContainerHelper, APodFoundBySelectorIsNamedByItsSession) {
  const auto launch = helperLaunch({ContainerSide::Kind::Kubernetes, "kube_shop_selector_ab12cd34ef_-_api-1_0123456789", "/srv"},
                                   {}, "/gs", "/data", "x86_64");
  EXPECT_EQ(launch.where, "pod of api-1 in namespace shop");
}

}  // namespace
}  // namespace gardensync::watch
