#include "gardensync/config/kubernetes_spec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "load_helpers.h"

namespace gardensync::config {
namespace {

using gardensync::testing::fixture;
using gardensync::testing::loadErrors;
using gardensync::testing::loadFixture;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(KubernetesSpec, ProviderSettingsAreReadAsGardenWritesThem) {
  auto config = loadFixture("kubernetes/valid");
  const Provider& provider = config.provider;
  EXPECT_EQ(provider.name, "local-kubernetes");
  EXPECT_EQ(provider.kubernetesNamespace, "shop-local");  // {name: ...}, templated
  EXPECT_EQ(provider.kubernetesContext, "gardensync-local");
  EXPECT_EQ(provider.kubeconfig, fixture("kubernetes/valid/config/kubeconfig").lexically_normal().string());
  EXPECT_EQ(provider.kubectlPath, "/opt/kube/bin/kubectl");
  ASSERT_TRUE(provider.deploymentRegistry);
  EXPECT_EQ(provider.deploymentRegistry->hostname, "127.0.0.1:5000");  // Garden's port joins the host
  EXPECT_EQ(provider.deploymentRegistry->ns, "team/shop");
  EXPECT_TRUE(provider.deploymentRegistry->insecure);
  EXPECT_THAT(provider.syncDefaults.exclude, ElementsAre("**/node_modules"));
}

TEST(KubernetesSpec, RegistryNamespaceDefaultsToTheProjectName) {
  auto config = loadFixture("seed/kubernetes-sync");
  EXPECT_FALSE(config.provider.deploymentRegistry);
  EXPECT_EQ(config.provider.kubernetesNamespace, "seed-kubernetes");
}

TEST(KubernetesSpec, ManifestsAreJsonWithKubectlTypesAndResolvedTemplates) {
  auto config = loadFixture("kubernetes/valid");
  const Action* web = config.find(ActionKind::Deploy, "web");
  ASSERT_NE(web, nullptr);
  EXPECT_EQ(web->deployNamespace, "web-ns");
  EXPECT_EQ(web->timeoutSeconds, 120);
  ASSERT_EQ(web->manifests.size(), 3u);  // inline, then the two documents of spec.files
  const auto& deployment = web->manifests[0].body;
  EXPECT_EQ(deployment["spec"]["replicas"], 2);  // ${var.replicas} written plain: a number
  const auto& labels = deployment["spec"]["template"]["metadata"]["labels"];
  EXPECT_EQ(labels["quoted"], "true");  // quoted: stays a string
  EXPECT_EQ(deployment["spec"]["template"]["spec"]["volumes"][0]["configMap"]["defaultMode"], 0644);
  // Build outputs resolve after the builds; until then they stay references.
  EXPECT_EQ(deployment["spec"]["template"]["spec"]["containers"][0]["image"],
            "${actions.build.web-image.outputs.deploymentImageId}");
  EXPECT_EQ(web->manifests[1].body["data"]["greeting"], "hello from kube-valid");
  EXPECT_EQ(web->manifests[1].position.file, "manifests/extra.yml");
  EXPECT_EQ(web->manifests[2].body["kind"], "Service");
}

TEST(KubernetesSpec, BuildOutputsInManifestsAndValuesAreDependencies) {
  auto config = loadFixture("kubernetes/valid");
  for (const char* name : {"web", "chart"}) {
    const Action* deploy = config.find(ActionKind::Deploy, name);
    ASSERT_NE(deploy, nullptr);
    bool found = false;
    for (const auto& dependency : deploy->dependencies) found = found || dependency.name == "web-image";
    EXPECT_TRUE(found) << name;
  }
}

TEST(KubernetesSpec, TargetsAcceptKindAndNameOrAPodSelector) {
  auto config = loadFixture("kubernetes/valid");
  const Action* web = config.find(ActionKind::Deploy, "web");
  ASSERT_EQ(web->sync->paths.size(), 3u);
  EXPECT_FALSE(web->sync->paths[0].target);
  EXPECT_EQ(web->sync->paths[1].target->containerName, "sidecar");
  const auto& selector = *web->sync->paths[2].target;
  EXPECT_TRUE(selector.kind.empty());
  EXPECT_EQ(selector.podSelector.at("app"), "web");
  EXPECT_EQ(selector.containerName, "app");
  ASSERT_EQ(web->sync->overrides.size(), 2u);
  EXPECT_THAT(*web->sync->overrides[0].command, ElementsAre("sh", "-c", "dev"));
}

TEST(KubernetesSpec, HelmChartPathValuesAndReleaseName) {
  auto config = loadFixture("kubernetes/valid");
  const Action* chart = config.find(ActionKind::Deploy, "chart");
  ASSERT_TRUE(chart->helm);
  EXPECT_EQ(chart->helm->path, fixture("kubernetes/valid/chart").lexically_normal());
  EXPECT_EQ(chart->helm->releaseName, "chart-release");
  EXPECT_EQ(chart->helm->values["replicaCount"], 1);
  ASSERT_EQ(chart->helm->valueFiles.size(), 1u);
  EXPECT_EQ(chart->helm->valueFiles[0].filename(), "values-dev.yaml");
}

TEST(KubernetesSpec, EveryBadInputIsReportedWithItsPosition) {
  const auto errors = loadErrors("kubernetes/errors");
  auto has = [&](const std::string& text) {
    return std::any_of(errors.begin(), errors.end(), [&](const std::string& e) { return e.find(text) != std::string::npos; });
  };
  EXPECT_TRUE(has("providers[0].namespace: \"Not_A_Namespace\" is not a valid namespace name")) << ::testing::PrintToString(errors);
  EXPECT_TRUE(has("deploymentRegistry.hostname: \"https://registry.example.com/x\" is not a registry host"));
  EXPECT_TRUE(has("timeout: must be a positive number of seconds"));
  EXPECT_TRUE(has("spec.defaultTarget.containerName: \"no_such\" is not a valid container name"));
  EXPECT_TRUE(has("spec.manifests[0].apiVersion: is required"));
  EXPECT_TRUE(has("spec.manifests[1]: expected a Kubernetes manifest"));
  EXPECT_TRUE(has("spec.files[0]: the manifest file"));
  EXPECT_TRUE(has("target.kind: give either kind and name, or podSelector, not both"));
  EXPECT_TRUE(has("spec.chart.name: gardensync deploys local charts only"));
  EXPECT_TRUE(has("spec.releaseName: \"Not Valid\" is not a valid Helm release name"));
  EXPECT_TRUE(has("spec.chart.path: is required"));
}

}  // namespace
}  // namespace gardensync::config
