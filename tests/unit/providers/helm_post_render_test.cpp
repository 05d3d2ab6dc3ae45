#include "gardensync/providers/helm_post_render.h"

#include <gtest/gtest.h>

#include "../config/load_helpers.h"
#include "gardensync/providers/manifests.h"
#include "gardensync/util/error.h"

namespace gardensync::providers {
namespace {

using gardensync::testing::loadFixture;

const char* kRendered = R"(---
# Source: chart/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: chart
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: main
          image: x
          command: [sh, -c, "sleep 3600"]
---
# an empty document
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {port: "80"}
)";

TEST(HelmPostRender, LabelsEveryObjectAndAppliesTheOverridesInSyncMode) {
  auto config = loadFixture("kubernetes/valid");
  const auto& chart = *config.find(config::ActionKind::Deploy, "chart");
  const auto spec = postRenderSpec(chart, true, {{"gardensync.io/project", "kube-valid"}}, "");
  const auto objects = parseYamlObjects(postRender(kRendered, spec));
  ASSERT_EQ(objects.size(), 2u);
  for (const auto& object : objects) {
    EXPECT_EQ(object["metadata"]["labels"]["gardensync.io/project"], "kube-valid");
    EXPECT_EQ(object["metadata"]["labels"][kManifestHashLabel].get<std::string>().size(), 16u);
  }
  const auto& container = objects[0]["spec"]["template"]["spec"]["containers"][0];
  EXPECT_EQ(container["command"], nlohmann::json({"sleep", "3600"}));
  EXPECT_EQ(objects[1]["data"]["port"], "80");  // quoted in the chart: still a string
}

TEST(HelmPostRender, WithoutSyncTheObjectsKeepTheirCommandsAndAGivenHashIsUsed) {
  auto config = loadFixture("kubernetes/valid");
  const auto& chart = *config.find(config::ActionKind::Deploy, "chart");
  const auto objects = parseYamlObjects(postRender(kRendered, postRenderSpec(chart, false, {}, "0123456789abcdef")));
  EXPECT_EQ(objects[0]["spec"]["template"]["spec"]["containers"][0]["command"],
            nlohmann::json({"sh", "-c", "sleep 3600"}));
  EXPECT_EQ(objects[0]["metadata"]["labels"][kManifestHashLabel], "0123456789abcdef");
}

TEST(HelmPostRender, SomethingThatIsNotYamlIsAnError) {
  EXPECT_THROW(parseYamlObjects("a: [unclosed"), Error);
}

}  // namespace
}  // namespace gardensync::providers
