#include "gardensync/providers/kubectl_cli.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../fake_runner.h"
#include "gardensync/util/error.h"

namespace gardensync::providers {
namespace {

using testing::answer;
using testing::FakeRunner;

const KubeConnection kConnection{"kubectl", "/k/config", "ctx", ""};

TEST(KubectlCli, EveryCallNamesTheKubeconfigAndContext) {
  EXPECT_THAT(kConnection.argv({"get", "pods"}),
              ::testing::ElementsAre("kubectl", "--kubeconfig", "/k/config", "--context", "ctx", "get", "pods"));
  EXPECT_THAT((KubeConnection{"kubectl", "", "", ""}.argv({"version"})), ::testing::ElementsAre("kubectl", "version"));
  EXPECT_EQ(kConnection.describeContext(), "context ctx of /k/config");
  EXPECT_EQ((KubeConnection{"kubectl", "", "", "a:b"}.environment().set.at("KUBECONFIG")), "a:b");
}

TEST(KubectlCli, AMissingObjectIsNoObject) {
  FakeRunner runner;
  runner.on({"get", "deployment", "web"}, {answer(0, "")});
  KubectlCli kubectl(kConnection, runner);
  EXPECT_FALSE(kubectl.getObject("shop", "deployment", "web"));
  EXPECT_THAT(runner.calls().back(), ::testing::HasSubstr("--ignore-not-found --namespace shop --output json"));
}

TEST(KubectlCli, FailuresSayWhereAndWhatToDo) {
  FakeRunner runner;
  runner.on({"get"}, {answer(1, "", "Error from server (Forbidden): pods is forbidden: User \"dev\" cannot list")});
  KubectlCli kubectl(kConnection, runner);
  try {
    kubectl.getJson({"pods"}, "shop");
    FAIL();
  } catch (const ToolError& e) {
    EXPECT_STREQ(e.what(), "cannot read from the cluster in namespace shop (context ctx of /k/config)");
    EXPECT_NE(e.hint().find("docs/kubernetes.md"), std::string::npos);
    EXPECT_NE(e.stderrText().find("forbidden"), std::string::npos);
  }
}

TEST(KubectlCli, NamespacesAreCreatedOnlyWhenMissing) {
  FakeRunner runner;
  runner.on({"get", "namespace", "shop"}, {answer(0, ""), answer(0, R"({"kind":"Namespace"})")});
  runner.on({"create", "namespace", "shop"}, {answer(0, "namespace/shop created")});
  KubectlCli kubectl(kConnection, runner);
  kubectl.ensureNamespace("shop");
  kubectl.ensureNamespace("shop");
  EXPECT_EQ(runner.countCalls("create"), 1u);
}

TEST(KubectlCli, ResourceTypesComeWithTheirKindsWithoutEventsOrEndpoints) {
  FakeRunner runner;
  runner.on({"api-resources"}, {answer(0,
                                      "configmaps    cm    v1      true   ConfigMap\n"
                                      "endpoints     ep    v1      true   Endpoints\n"
                                      "events        ev    v1      true   Event\n"
                                      "deployments   deploy apps/v1 true  Deployment\n"
                                      "secrets             v1      true   Secret\n")});
  KubectlCli kubectl(kConnection, runner);
  const auto types = kubectl.deletableResourceTypes(true);
  ASSERT_EQ(types.size(), 3u);
  EXPECT_EQ(types[1].name, "deployments.apps");
  EXPECT_EQ(types[1].kind, "Deployment");
  EXPECT_EQ(types[2].name, "secrets");
}

TEST(KubectlCli, ListingSkipsTypesTheUserMayNotRead) {
  FakeRunner runner;
  runner.on({"get"}, {answer(1, R"({"items":[{"kind":"Deployment"}]})",
                             "Error from server (Forbidden): secrets is forbidden: User \"dev\" cannot list\n")});
  KubectlCli kubectl(kConnection, runner);
  std::vector<std::string> unreadable;
  const auto items = kubectl.listLabelled("shop", {"deployments.apps", "secrets"}, "a=b", unreadable);
  EXPECT_EQ(items.size(), 1u);
  ASSERT_EQ(unreadable.size(), 1u);
  EXPECT_NE(unreadable[0].find("secrets is forbidden"), std::string::npos);
}

}  // namespace
}  // namespace gardensync::providers
