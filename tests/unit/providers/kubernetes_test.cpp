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

std::string podList(const std::string& name) {
  nlohmann::json pod{{"metadata", {{"name", name}, {"uid", "uid-" + name}, {"creationTimestamp", "t"}}},
                     {"spec", {{"containers", {{{"name", "app"}}, {{"name", "sidecar"}}}}}},
                     {"status",
                      {{"phase", "Running"},
                       {"conditions", {{{"type", "Ready"}, {"status", "True"}}}},
                       {"containerStatuses",
                        {{{"name", "app"}, {"state", {{"running", {{"startedAt", "t"}}}}}},
                         {{"name", "sidecar"}, {"state", {{"running", {{"startedAt", "t"}}}}}}}}}}};
  return nlohmann::json{{"items", {pod}}}.dump();
}

std::string webDeployment() {
  return nlohmann::json{{"kind", "Deployment"},
                        {"metadata", {{"name", "web"}}},
                        {"spec", {{"selector", {{"matchLabels", {{"app", "web"}}}}}}}}
      .dump();
}

// Kubernetes restarts no container on request: the pod goes and the Deployment makes a new one,
// which starts from its image (so its syncs send every file again).
TEST(AfterSyncKubernetes, RestartDeletesThePodOfThePathsWorkloadAndWaitsForTheNextOne) {
  auto config = seedConfig();
  FakeRunner runner;
  runner.on({"get", "deployment", "web"}, {answer(0, webDeployment())});
  runner.on({"get", "pods", "--selector", "app=web"}, {answer(0, podList("web-1")), answer(0, podList("web-2"))});
  runner.on({"delete", "pod/web-1"}, {answer(0)});
  KubernetesProvider provider(config, runner);
  const auto& web = *config.find(config::ActionKind::Deploy, "web");
  std::vector<std::string> status;
  EXPECT_TRUE(provider.restartSyncTarget(web, web.sync->paths[1],
                                         [&](const std::string& line) { status.push_back(line); }));
  EXPECT_EQ(runner.countCalls("delete"), 1u);
  const auto calls = runner.calls();
  const auto deleted = std::find_if(calls.begin(), calls.end(), [](const std::string& c) { return c.find("delete") != std::string::npos; });
  ASSERT_NE(deleted, calls.end());
  EXPECT_THAT(*deleted, HasSubstr("--namespace web-ns pod/web-1"));
  EXPECT_THAT(status.back(), HasSubstr("pod web-2 runs"));
}

TEST(AfterSyncKubernetes, RunGoesToThePodAndContainerOfThePath) {
  auto config = seedConfig();
  FakeRunner runner;
  runner.on({"get", "deployment", "web"}, {answer(0, webDeployment())});
  runner.on({"get", "pods"}, {answer(0, podList("web-1"))});
  runner.on({"exec"}, {answer(0, "built\n")});
  KubernetesProvider provider(config, runner);
  const auto& web = *config.find(config::ActionKind::Deploy, "web");
  const auto result = provider.execInSyncTarget(web, web.sync->paths[1], {"make", "build"});
  EXPECT_EQ(result.stdoutText, "built\n");
  const auto calls = runner.calls();
  EXPECT_THAT(calls.back(), HasSubstr("exec"));
  EXPECT_THAT(calls.back(), HasSubstr("web-1"));
  EXPECT_THAT(calls.back(), HasSubstr("sidecar"));
  EXPECT_THAT(calls.back(), HasSubstr("make build"));
}

TEST(AfterSyncKubernetes, ABarePodCannotBeRestarted) {
  auto config = seedConfig();
  FakeRunner runner;
  KubernetesProvider provider(config, runner);
  auto web = *config.find(config::ActionKind::Deploy, "web");
  web.sync->paths[0].target = config::WorkloadTarget{"Pod", "solo", {}, "app"};
  try {
    provider.restartSyncTarget(web, web.sync->paths[0], [](const std::string&) {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("cannot restart pod/solo of Deploy web: a bare Pod is not replaced when deleted"));
  }
  EXPECT_TRUE(runner.calls().empty());
}

}  // namespace
}  // namespace gardensync::providers
