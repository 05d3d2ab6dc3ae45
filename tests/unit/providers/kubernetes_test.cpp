#include "gardensync/providers/kubernetes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../config/load_helpers.h"
#include "../fake_runner.h"
#include "gardensync/providers/manifests.h"
#include "gardensync/util/error.h"

namespace gardensync::providers {
namespace {

using gardensync::testing::answer;
using gardensync::testing::FakeRunner;
using gardensync::testing::loadFixture;
using ::testing::HasSubstr;

config::ProjectConfig seedConfig() {
  auto config = loadFixture("kubernetes/valid");
  config.provider.kubectlPath = "kubectl";
  return config;
}

TEST(KubernetesProvider, EndpointsNameNamespaceWorkloadContainerAndSession) {
  auto config = seedConfig();
  FakeRunner runner;  // computing an endpoint runs nothing
  KubernetesProvider provider(config, runner);
  const auto& web = *config.find(config::ActionKind::Deploy, "web");
  const std::string connection = connectionRef(connectionOf(config.provider));
  EXPECT_EQ(provider.syncEndpoint(web, web.sync->paths[0], "web-0"),
            "kube_web-ns_deployment_web_app_web-0_" + connection + ":/app/src");  // the manifest's first container
  EXPECT_EQ(provider.syncEndpoint(web, web.sync->paths[1], "web-1"),
            "kube_web-ns_deployment_web_sidecar_web-1_" + connection + ":/sidecar");
  EXPECT_EQ(provider.syncEndpoint(web, web.sync->paths[2], "web-2"),
            "kube_web-ns_selector_" + selectorRef({{"app", "web"}}) + "_app_web-2_" + connection + ":/selected");
  EXPECT_TRUE(runner.calls().empty());
}

TEST(KubernetesProvider, AContainerDeployRunsAsADeploymentOfItsName) {
  auto config = loadFixture("seed/advanced");
  FakeRunner runner;
  KubernetesProvider provider(config, runner);
  const auto& deploy = *config.find(config::ActionKind::Deploy, "node-service");
  EXPECT_THAT(provider.syncEndpoint(deploy, deploy.sync->paths[0], "node-service-0"),
              ::testing::StartsWith("kube_seed-advanced_deployment_node-service_node-service_node-service-0_"));
}

std::string liveObject(const std::string& project, const std::string& deploy, const std::string& checkout,
                       const std::string& hash) {
  return nlohmann::json{{"kind", "Deployment"},
                        {"metadata",
                         {{"name", "web"},
                          {"labels",
                           {{"gardensync.io/project", project},
                            {"gardensync.io/deploy", deploy},
                            {kCheckoutLabel, checkout},
                            {kManifestHashLabel, hash}}},
                          {"annotations", {{"gardensync.io/project-root", "/elsewhere/shop"}}}}}}
      .dump();
}

TEST(KubernetesProvider, APlanIsCreatedWhenNothingExists) {
  auto config = seedConfig();
  FakeRunner runner;
  runner.on({"get", "--ignore-not-found"}, {answer(0, "")});
  KubernetesProvider provider(config, runner);
  auto deploy = *config.find(config::ActionKind::Deploy, "web");
  auto plan = provider.planDeploy(deploy, true);
  EXPECT_EQ(plan.outcome, DeployOutcome::Created);
  EXPECT_EQ(plan.resource, "deployment/web (namespace web-ns)");
  EXPECT_EQ(runner.countCalls("--ignore-not-found"), 3u);  // the Deployment, the ConfigMap, the Service
  EXPECT_THAT(runner.calls()[0], HasSubstr("get Deployment.apps web --ignore-not-found --namespace web-ns"));
}

TEST(KubernetesProvider, ObjectsOfAnotherProjectOrCheckoutAreNeverTakenOver) {
  auto config = seedConfig();
  auto deploy = *config.find(config::ActionKind::Deploy, "web");
  {
    FakeRunner runner;
    runner.on({"get", "Deployment.apps"}, {answer(0, liveObject("other", "web", checkoutId(config.project.root), "h"))});
    runner.on({"get"}, {answer(0, "")});
    KubernetesProvider provider(config, runner);
    try {
      provider.planDeploy(deploy, false);
      FAIL();
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()),
                "Deploy web: deployment/web in namespace web-ns (context gardensync-local of " +
                    config.provider.kubeconfig + ") exists but was not deployed by gardensync for project kube-valid");
    }
  }
  {
    FakeRunner runner;
    runner.on({"get", "Deployment.apps"}, {answer(0, liveObject("kube-valid", "web", "another", "h"))});
    runner.on({"get"}, {answer(0, "")});
    KubernetesProvider provider(config, runner);
    try {
      provider.planDeploy(deploy, false);
      FAIL();
    } catch (const Error& e) {
      EXPECT_THAT(e.what(), HasSubstr("belongs to another checkout of project kube-valid, at /elsewhere/shop"));
      EXPECT_THAT(e.hint(), HasSubstr("gardensync cleanup deploy"));
    }
  }
}

TEST(KubernetesProvider, BuildsNeedARegistry) {
  auto config = seedConfig();
  config.provider.deploymentRegistry.reset();
  FakeRunner runner;
  KubernetesProvider provider(config, runner);
  try {
    provider.build(*config.find(config::ActionKind::Build, "web-image"), {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("Build web-image: the local-kubernetes provider pushes images to a registry"));
    EXPECT_THAT(e.hint(), HasSubstr("deploymentRegistry.hostname"));
  }
  EXPECT_TRUE(runner.calls().empty());
}

TEST(KubernetesProvider, RequireRunningNamesWhatIsMissing) {
  auto config = seedConfig();
  FakeRunner runner;
  runner.on({"get", "deployment", "web"}, {answer(0, "")});
  KubernetesProvider provider(config, runner);
  try {
    provider.requireRunning(*config.find(config::ActionKind::Deploy, "web"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("Deploy web is not running: deployment/web does not exist in namespace web-ns"));
    EXPECT_EQ(e.hint(), "deploy it first: gardensync deploy --sync web");
  }
}

}  // namespace
}  // namespace gardensync::providers
