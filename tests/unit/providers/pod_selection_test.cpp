#include "gardensync/providers/pod_selection.h"

#include <gtest/gtest.h>

namespace gardensync::providers {
namespace {

nlohmann::json pod(const std::string& name, const std::string& phase, bool running, bool ready,
                   const std::string& created, bool deleting = false) {
  nlohmann::json state = running ? nlohmann::json{{"running", {{"startedAt", created}}}}
                                 : nlohmann::json{{"waiting", {{"reason", "ImagePullBackOff"}, {"message", "no such image"}}}};
  nlohmann::json p{{"metadata", {{"name", name}, {"uid", "uid-" + name}, {"creationTimestamp", created}}},
                   {"spec", {{"containers", {{{"name", "app"}}, {{"name", "sidecar"}}}}}},
                   {"status",
                    {{"phase", phase},
                     {"conditions", {{{"type", "Ready"}, {"status", ready ? "True" : "False"}}}},
                     {"containerStatuses", {{{"name", "app"}, {"state", state}}, {{"name", "sidecar"}, {"state", state}}}}}}};
  if (deleting) p["metadata"]["deletionTimestamp"] = "2025-01-01T00:00:00Z";
  return p;
}

TEST(PodSelection, PrefersReadyThenNewestAndSkipsPodsBeingDeleted) {
  auto selection = choosePod({pod("old", "Running", true, true, "2025-01-01T00:00:00Z", true),
                              pod("a", "Running", true, false, "2025-01-03T00:00:00Z"),
                              pod("b", "Running", true, true, "2025-01-02T00:00:00Z"),
                              pod("c", "Running", true, true, "2025-01-02T10:00:00Z")},
                             "");
  ASSERT_TRUE(selection.pod);
  EXPECT_EQ(selection.pod->name, "c");
  EXPECT_EQ(selection.pod->uid, "uid-c");
  EXPECT_EQ(selection.pod->container, "app");  // the first container when none is named
}

TEST(PodSelection, TheNamedContainerMustExistAndRun) {
  auto sidecar = choosePod({pod("a", "Running", true, true, "t")}, "sidecar");
  ASSERT_TRUE(sidecar.pod);
  EXPECT_EQ(sidecar.pod->container, "sidecar");
  auto missing = choosePod({pod("a", "Running", true, true, "t")}, "db");
  EXPECT_FALSE(missing.pod);
  EXPECT_EQ(missing.problem, "pod a has no container db (its containers: app, sidecar)");
}

TEST(PodSelection, SaysWhyNoPodQualifies) {
  auto selection = choosePod({pod("a", "Pending", false, false, "t")}, "");
  EXPECT_FALSE(selection.pod);
  EXPECT_EQ(selection.problem, "pod a: Pending, container app waiting: ImagePullBackOff (no such image)");
  EXPECT_EQ(choosePod({}, "").problem, "no pods");
}

TEST(PodSelection, SelectorsOfWorkloads) {
  auto workload = nlohmann::json::parse(R"({"spec":{"selector":{"matchLabels":{"app":"web","tier":"front"},
      "matchExpressions":[{"key":"env","operator":"In","values":["dev","qa"]},{"key":"canary","operator":"DoesNotExist"}]}}})");
  EXPECT_EQ(podSelectorOf(workload), "app=web,tier=front,env in (dev,qa),!canary");
  EXPECT_FALSE(podSelectorOf(nlohmann::json::object()));
  EXPECT_EQ(labelSelector({{"a", "1"}, {"b", "2"}}), "a=1,b=2");
}

TEST(PodSelection, WorkloadsDescribeThemselves) {
  EXPECT_EQ((KubeWorkload{"StatefulSet", "db", {}}.describe()), "statefulset/db");
  EXPECT_EQ((KubeWorkload{"", "", {{"app", "web"}}}.describe()), "the pods with app=web");
}

}  // namespace
}  // namespace gardensync::providers
