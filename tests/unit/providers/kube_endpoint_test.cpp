#include "gardensync/providers/kube_endpoint.h"

#include <gtest/gtest.h>

namespace gardensync::providers {
namespace {

TEST(KubeEndpoint, HostRoundTripsAndReadsAsItsParts) {
  KubeEndpoint endpoint{"shop", "deployment", "vote.v2", "node", "node-service-0", "0123456789"};
  const std::string host = formatHost(endpoint);
  EXPECT_EQ(host, "kube_shop_deployment_vote.v2_node_node-service-0_0123456789");
  EXPECT_EQ(parseHost(host), endpoint);
}

TEST(KubeEndpoint, TheFirstContainerIsWrittenAsADash) {
  KubeEndpoint endpoint{"shop", "pod", "web", "", "web-1", "abc"};
  EXPECT_EQ(formatHost(endpoint), "kube_shop_pod_web_-_web-1_abc");
  EXPECT_EQ(parseHost(formatHost(endpoint))->container, "");
}

TEST(KubeEndpoint, HostsHoldNothingMutagensUrlParserSplitsOn) {
  const std::string host = formatHost({"ns", "selector", selectorRef({{"app", "web"}}), "c", "s-0", "ref"});
  for (char c : {':', '/', '@', ' '}) EXPECT_EQ(host.find(c), std::string::npos) << c;
}

TEST(KubeEndpoint, ForeignHostsAreRefused) {
  EXPECT_FALSE(parseHost("example.com"));
  EXPECT_FALSE(parseHost("kube_ns_cronjob_x_c_s_r"));     // not a workload kind
  EXPECT_FALSE(parseHost("kube_ns_pod_X_c_s_r"));         // not a Kubernetes name
  EXPECT_FALSE(parseHost("kube_ns_pod_x_c_s_r_extra"));   // a field too many
  EXPECT_FALSE(parseHost("kube_ns_pod_$(id)_c_s_r"));
}

TEST(KubeEndpoint, ReferencesDependOnEveryPartOfTheConnection) {
  const KubeConnection base{"kubectl", "/k", "ctx", ""};
  EXPECT_EQ(connectionRef(base).size(), 10u);
  EXPECT_NE(connectionRef(base), connectionRef({"kubectl", "/k", "other", ""}));
  EXPECT_NE(connectionRef(base), connectionRef({"/bin/kubectl", "/k", "ctx", ""}));
  EXPECT_NE(selectorRef({{"app", "a"}}), selectorRef({{"app", "b"}}));
}

TEST(KubeEndpoint, KindsMapBothWays) {
  for (const char* kind : {"Deployment", "StatefulSet", "DaemonSet", "Pod"}) EXPECT_EQ(workloadKind(hostKind(kind)), kind);
}

}  // namespace
}  // namespace gardensync::providers
