#include "gardensync/providers/manifests.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../config/load_helpers.h"
#include "gardensync/sync/plan.h"
#include "gardensync/util/error.h"

namespace gardensync::providers {
namespace {

using gardensync::testing::loadFixture;

std::vector<nlohmann::json> bodies(const config::Action& deploy) {
  std::vector<nlohmann::json> result;
  for (const auto& manifest : deploy.manifests) result.push_back(manifest.body);
  return result;
}

TEST(Manifests, OverridesSetCommandAndArgsOnTheTargetsContainer) {
  auto config = loadFixture("kubernetes/valid");
  const auto& web = *config.find(config::ActionKind::Deploy, "web");
  auto manifests = bodies(web);
  applySyncOverrides(manifests, web);
  const auto& containers = manifests[0]["spec"]["template"]["spec"]["containers"];
  EXPECT_EQ(containers[0]["command"], nlohmann::json({"sh", "-c", "dev"}));  // the defaultTarget's first container
  EXPECT_EQ(containers[0]["args"], nlohmann::json({"--watch"}));
  EXPECT_FALSE(containers[1].contains("command"));  // the second override sets args only
  EXPECT_EQ(containers[1]["args"], nlohmann::json({"--sidecar-dev"}));
  EXPECT_EQ(manifests[1], web.manifests[1].body);  // other objects are left alone
}

TEST(Manifests, AnOverrideOfAWorkloadNotInTheManifestsIsAnError) {
  auto config = loadFixture("seed/kubernetes-sync");  // defaultTarget Deployment vote, no manifests
  const auto& deploy = *config.find(config::ActionKind::Deploy, "node-service");
  std::vector<nlohmann::json> manifests;
  try {
    applySyncOverrides(manifests, deploy);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "Deploy node-service: spec.sync.overrides[0]: its target Deployment/vote is not among the "
                           "Deploy's manifests");
  }
}

TEST(Manifests, AContainerDeployBecomesADeploymentAndAServiceForItsPorts) {
  auto config = loadFixture("seed/advanced");
  auto deploy = *config.find(config::ActionKind::Deploy, "node-service");
  deploy.image = "127.0.0.1:5000/seed-advanced/node-service-build:v-1";
  config::PortSpec port;
  port.name = "http";
  port.containerPort = 8080;
  deploy.ports.push_back(port);
  deploy.env = {{"MODE", "dev"}};
  auto manifests = containerManifests(config, deploy, true);
  ASSERT_EQ(manifests.size(), 2u);
  const auto& deployment = manifests[0];
  EXPECT_EQ(deployment["kind"], "Deployment");
  EXPECT_EQ(deployment["metadata"]["name"], "node-service");
  const auto& container = deployment["spec"]["template"]["spec"]["containers"][0];
  EXPECT_EQ(container["name"], "node-service");
  EXPECT_EQ(container["image"], deploy.image);
  EXPECT_EQ(container["imagePullPolicy"], "IfNotPresent");
  EXPECT_EQ(container["command"], nlohmann::json({"npm", "run", "dev"}));  // spec.sync.command in sync mode
  EXPECT_EQ(container["args"], nlohmann::json({"npm", "start"}));
  EXPECT_EQ(container["env"][0], nlohmann::json({{"name", "MODE"}, {"value", "dev"}}));
  EXPECT_EQ(deployment["spec"]["selector"]["matchLabels"][sync::kDeployLabel], "node-service");
  EXPECT_EQ(manifests[1]["kind"], "Service");
  EXPECT_EQ(manifests[1]["spec"]["ports"][0]["port"], 8080);
  auto plain = containerManifests(config, deploy, false);
  EXPECT_FALSE(plain[0]["spec"]["template"]["spec"]["containers"][0].contains("command"));
}

TEST(Manifests, LabelsAndTheirHashChangeWithTheObjects) {
  std::vector<nlohmann::json> a{{{"kind", "ConfigMap"}, {"metadata", {{"name", "x"}}}, {"data", {{"k", "1"}}}}};
  auto b = a;
  b[0]["data"]["k"] = "2";
  const std::map<std::string, std::string> labels{{sync::kProjectLabel, "shop"}};
  const std::string hashA = labelManifests(a, labels);
  EXPECT_EQ(a[0]["metadata"]["labels"][sync::kProjectLabel], "shop");
  EXPECT_EQ(a[0]["metadata"]["labels"][kManifestHashLabel], hashA);
  EXPECT_NE(labelManifests(b, labels), hashA);
  EXPECT_EQ(labelManifests(a, labels), hashA);  // labelling again gives the same hash
}

TEST(Manifests, CheckoutIdsDifferByFolder) {
  EXPECT_EQ(checkoutId("/home/a/shop").size(), 12u);
  EXPECT_NE(checkoutId("/home/a/shop"), checkoutId("/home/b/shop"));
}

}  // namespace
}  // namespace gardensync::providers
