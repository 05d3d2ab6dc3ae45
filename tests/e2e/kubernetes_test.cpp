// Syncing into Kubernetes pods: the real local cluster (scripts/local-cluster), the real kubectl
// and helm, the real Mutagen through gardensync's kubectl-exec transport. Each test's project
// deploys into a namespace of its own name.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "harness.h"

namespace gardensync::e2e {
namespace {

using namespace std::chrono_literals;

const std::string kVote = "deployment/vote";

// The seed's kubernetes example (reference/garden-code-synchronization.md), made runnable: the
// Deployment `vote` its defaultTarget names, and an override that a busybox can run in place of
// `npm run dev`. The container writes which command it runs into /tmp/mode.
std::string seedExample(const std::string& mode = "two-way", const std::string& extraPaths = "") {
  return "kind: Deploy\n"
         "type: kubernetes\n"
         "name: node-service\n"
         "spec:\n"
         "  defaultTarget:\n"
         "    kind: Deployment\n"
         "    name: vote\n"
         "  manifests:\n"
         "    - apiVersion: apps/v1\n"
         "      kind: Deployment\n"
         "      metadata:\n"
         "        name: vote\n"
         "      spec:\n"
         "        replicas: 1\n"
         "        selector:\n"
         "          matchLabels: {app: vote}\n"
         "        template:\n"
         "          metadata:\n"
         "            labels: {app: vote}\n"
         "          spec:\n"
         "            terminationGracePeriodSeconds: 2\n"
         "            containers:\n"
         "              - name: node\n"
         "                image: " +
         cluster().busybox() +
         "\n"
         "                imagePullPolicy: IfNotPresent\n"
         "                command: [sh, -c, \"echo production > /tmp/mode; exec sleep 3600\"]\n"
         "  sync:\n"
         "    paths:\n"
         "      - containerPath: /app/src\n"
         "        sourcePath: src\n"
         "        mode: " +
         mode + "\n" + extraPaths +
         "    overrides:\n"
         "      - command: [sh, -c, \"echo dev > /tmp/mode; trap 'exit 0' TERM; while true; do sleep 1; done\"]\n";
}

void writeSeedProject(KubeProject& project, const std::string& mode = "two-way", const std::string& extraPaths = "",
                      const std::string& providerExtra = "") {
  project.write("project.garden.yml", projectYaml(project.name(), project.providerYaml(providerExtra)));
  project.write("garden.yml", seedExample(mode, extraPaths));
}

TEST(Kubernetes, SeedExampleSyncsAnEditIntoThePod) {
  KubeProject project("e2e-k8s-seed");
  ASSERT_TRUE(cluster().ok());
  writeSeedProject(project);
  project.write("src/hello.txt", "v1");
  project.write("src/dir/nested.txt", "nested");

  auto deploy = project.gardensync({"deploy", "--sync=*", "--output", "json"});
  ASSERT_EQ(deploy.exitCode, 0) << deploy.err;
  const auto result = deploy.json();
  EXPECT_EQ(result["deploys"][0]["outcome"], "created");
  EXPECT_EQ(result["deploys"][0]["resource"], "deployment/vote (namespace e2e-k8s-seed)");
  EXPECT_EQ(project.catIn(kVote, "node", "/tmp/mode"), "dev\n");  // the override's command runs
  EXPECT_EQ(project.catIn(kVote, "node", "/app/src/hello.txt"), "v1");
  EXPECT_EQ(project.catIn(kVote, "node", "/app/src/dir/nested.txt"), "nested");

  // An edit reaches the pod, and (two-way) a change in the pod comes back.
  project.write("src/hello.txt", "v2");
  EXPECT_TRUE(project.eventually([&] { return project.catIn(kVote, "node", "/app/src/hello.txt") == "v2"; }));
  project.writeIn(kVote, "node", "/app/src/from-pod.txt", "pod");
  EXPECT_TRUE(project.eventually([&] { return project.read("src/from-pod.txt") == "pod"; }));

  // Mutagen's own view names the namespace, the workload and the container.
  auto list = project.gardensync({"util", "mutagen", "sync", "list"});
  EXPECT_EQ(list.exitCode, 0) << list.err;
  EXPECT_NE(list.out.find("kube_e2e-k8s-seed_deployment_vote_node_node-service-0_"), std::string::npos) << list.out;
  auto status = project.gardensync({"sync", "status", "--output", "json"});
  ASSERT_EQ(status.exitCode, 0) << status.err;
  ASSERT_EQ(status.json()["sessions"].size(), 1u);
  EXPECT_EQ(status.json()["sessions"][0]["state"], "watching");

  // Deploying again changes nothing and keeps the session.
  auto again = project.gardensync({"deploy", "--sync=*", "--output", "json"});
  ASSERT_EQ(again.exitCode, 0) << again.err;
  EXPECT_EQ(again.json()["deploys"][0]["outcome"], "unchanged");
  EXPECT_EQ(again.json()["sessions"][0]["identifier"], status.json()["sessions"][0]["identifier"]);
}

// examples/kubernetes-sync as a user runs it: the kubeconfig from $KUBECONFIG, the provider's
// current context, the image from the cluster's registry.
TEST(Kubernetes, TheExampleProjectSyncsAnEdit) {
  KubeProject project("kubernetes-sync");  // the example's project name, so its namespace
  ASSERT_TRUE(cluster().ok());
  project.copyFixture("../../examples/kubernetes-sync");
  project.env()["KUBECONFIG"] = cluster().kubeconfig;
  auto deploy = project.gardensync({"deploy", "--sync=*"});
  ASSERT_EQ(deploy.exitCode, 0) << deploy.err;
  EXPECT_EQ(project.catIn(kVote, "node", "/app/src/index.html"), project.read("src/index.html"));
  project.write("src/index.html", "<h1>edited</h1>\n");
  EXPECT_TRUE(project.eventually([&] { return project.catIn(kVote, "node", "/app/src/index.html") == "<h1>edited</h1>\n"; }));
}

TEST(Kubernetes, DryRunPrintsTheTransportEndpointWithoutTouchingTheCluster) {
  KubeProject project("e2e-k8s-dry-run");
  ASSERT_TRUE(cluster().ok());
  writeSeedProject(project);
  project.write("src/a.txt", "a");
  auto run = project.gardensync({"deploy", "--sync=*", "--dry-run", "--output", "json"});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  const auto session = run.json()["sessions"][0];
  EXPECT_EQ(session["alpha"], (project.root() / "src").string());
  const std::string beta = session["beta"];
  EXPECT_EQ(beta.rfind("kube_e2e-k8s-dry-run_deployment_vote_node_node-service-0_", 0), 0u) << beta;
  EXPECT_EQ(beta.substr(beta.find(':')), ":/app/src");
  EXPECT_EQ(session["mode"], "two-way-safe");
  EXPECT_NE(kubectl({"get", "namespace", project.name()}).exitCode, 0);  // nothing was created
}

TEST(Kubernetes, SyncStopLeavesTheWorkloadsAndStartAndRestartResume) {
  KubeProject project("e2e-k8s-stop-start");
  ASSERT_TRUE(cluster().ok());
  writeSeedProject(project, "one-way-replica");
  project.write("src/a.txt", "a");
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);
  const auto podsBefore = project.pods("app=vote");
  ASSERT_EQ(podsBefore.size(), 1u);

  auto stop = project.gardensync({"sync", "stop"});
  ASSERT_EQ(stop.exitCode, 0) << stop.err;
  EXPECT_NE(stop.out.find("Stopped 1 sync session"), std::string::npos) << stop.out;
  EXPECT_TRUE(project.gardensync({"sync", "status", "--output", "json"}).json()["sessions"].empty());
  EXPECT_EQ(project.pods("app=vote"), podsBefore);  // the workload runs on, untouched
  project.write("src/b.txt", "b");
  std::this_thread::sleep_for(2s);
  EXPECT_FALSE(project.existsIn(kVote, "node", "/app/src/b.txt"));

  auto start = project.gardensync({"sync", "start"});
  ASSERT_EQ(start.exitCode, 0) << start.err;
  EXPECT_EQ(project.catIn(kVote, "node", "/app/src/b.txt"), "b");
  auto restart = project.gardensync({"sync", "restart", "node-service", "--output", "json"});
  ASSERT_EQ(restart.exitCode, 0) << restart.err;
  EXPECT_EQ(restart.json()["sessions"].size(), 1u);
  project.write("src/c.txt", "c");
  EXPECT_TRUE(project.eventually([&] { return project.catIn(kVote, "node", "/app/src/c.txt") == "c"; }));
  EXPECT_EQ(project.pods("app=vote"), podsBefore);
}

TEST(Kubernetes, CleanupRemovesExactlyWhatWasApplied) {
  KubeProject project("e2e-k8s-cleanup");
  ASSERT_TRUE(cluster().ok());
  writeSeedProject(project);
  project.write("garden.yml", seedExample() +
                                  "---\nkind: Deploy\ntype: kubernetes\nname: settings\nspec:\n  manifests:\n"
                                  "    - apiVersion: v1\n      kind: ConfigMap\n      metadata: {name: settings}\n"
                                  "      data: {greeting: \"hello from ${project.name}\"}\n");
  project.write("src/a.txt", "a");
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);
  auto greeting = kubectl({"get", "configmap", "settings", "--namespace", project.name(), "--output",
                           "jsonpath={.data.greeting}"});
  EXPECT_EQ(greeting.out, "hello from e2e-k8s-cleanup");
  // Someone else's object in the same namespace.
  ASSERT_EQ(kubectl({"create", "configmap", "theirs", "--namespace", project.name()}).exitCode, 0);

  auto one = project.gardensync({"cleanup", "deploy", "settings", "--output", "json"});
  ASSERT_EQ(one.exitCode, 0) << one.err;
  EXPECT_EQ(one.json()["removed"], nlohmann::json::array({"configmap/settings (namespace e2e-k8s-cleanup)"}));
  EXPECT_EQ(project.pods("app=vote").size(), 1u);

  auto all = project.gardensync({"cleanup", "deploy", "--output", "json"});
  ASSERT_EQ(all.exitCode, 0) << all.err;
  EXPECT_EQ(all.json()["stoppedSessions"], 1);
  EXPECT_EQ(all.json()["removed"], nlohmann::json::array({"deployment/vote (namespace e2e-k8s-cleanup)"}));
  EXPECT_NE(kubectl({"get", "deployment", "vote", "--namespace", project.name()}).exitCode, 0);
  EXPECT_EQ(kubectl({"get", "configmap", "theirs", "--namespace", project.name()}).exitCode, 0);
  EXPECT_EQ(project.read("src/a.txt"), "a");
}

// The seed's advanced example: a container Deploy of a Build pushed to the cluster's registry,
// the provider's sync defaults applied in the pod, sync.command in place of the args.
TEST(Kubernetes, AdvancedExampleWithABuildAndProviderDefaults) {
  KubeProject project("e2e-k8s-advanced");
  ASSERT_TRUE(cluster().ok());
  project.write("project.garden.yml",
                projectYaml(project.name(), project.providerYaml("    sync:\n      defaults:\n"
                                                                 "        exclude: [\"/**/node_modules\"]\n"
                                                                 "        owner: 1000\n        group: 1000\n"
                                                                 "        fileMode: 0666\n        directoryMode: 0777\n")));
  project.write("node-service/Dockerfile", "FROM gardensync-test/busybox:latest\nRUN echo built > /built.txt\n");
  project.write("node-service/garden.yml",
                "kind: Build\nname: node-service-build\ntype: container\n---\n"
                "kind: Deploy\nname: node-service\ntype: container\ndependencies: [build.node-service-build]\n"
                "spec:\n  image: ${actions.build.node-service-build.outputs.deploymentImageId}\n"
                "  args: [sh, -c, \"echo start > /tmp/mode; exec sleep 3600\"]\n"
                "  sync:\n"
                "    command: [sh, -c, \"echo dev > /tmp/mode; trap 'exit 0' TERM; while true; do sleep 1; done\"]\n"
                "    args: []\n"
                "    paths:\n"
                "      - containerPath: /app/src\n        sourcePath: src\n        mode: one-way-replica\n"
                "      - containerPath: /test-artifacts\n        sourcePath: test-artifacts\n"
                "        mode: one-way-replica-reverse\n");
  project.write("node-service/src/index.js", "console.log('hi')\n");
  project.write("node-service/src/lib/util.js", "module.exports = {}\n");
  project.write("node-service/src/node_modules/dep/index.js", "excluded\n");
  std::filesystem::create_directories(project.root() / "node-service/test-artifacts");

  auto deploy = project.gardensync({"deploy", "--sync=*", "--output", "json"});
  ASSERT_EQ(deploy.exitCode, 0) << deploy.err;
  const std::string image = deploy.json()["deploys"][0]["image"];
  EXPECT_EQ(image.rfind(cluster().registry + "/e2e-k8s-advanced/node-service-build:v-", 0), 0u) << image;
  const std::string workload = "deployment/node-service";
  EXPECT_EQ(project.catIn(workload, "node-service", "/built.txt"), "built\n");  // pulled from the registry
  EXPECT_EQ(project.catIn(workload, "node-service", "/tmp/mode"), "dev\n");
  EXPECT_EQ(project.catIn(workload, "node-service", "/app/src/index.js"), "console.log('hi')\n");
  EXPECT_FALSE(project.existsIn(workload, "node-service", "/app/src/node_modules"));
  EXPECT_EQ(project.statIn(workload, "node-service", "/app/src/index.js"), "1000:1000:666");
  EXPECT_EQ(project.statIn(workload, "node-service", "/app/src/lib"), "1000:1000:777");

  project.writeIn(workload, "node-service", "/test-artifacts/report.txt", "passed");
  EXPECT_TRUE(project.eventually([&] { return project.read("node-service/test-artifacts/report.txt") == "passed"; }));
}

// Every mode's direction, each path its own session into the same pod.
TEST(Kubernetes, EveryModeMovesFilesItsWay) {
  KubeProject project("e2e-k8s-modes");
  ASSERT_TRUE(cluster().ok());
  std::string paths;
  const std::vector<std::string> modes{"one-way",          "one-way-replica", "one-way-reverse", "one-way-replica-reverse",
                                       "two-way",          "two-way-resolved"};
  for (size_t i = 0; i < modes.size(); ++i) {
    project.write("m" + std::to_string(i) + "/local.txt", "local");
    paths += "      - containerPath: /m" + std::to_string(i) + "\n        sourcePath: m" + std::to_string(i) +
             "\n        mode: " + modes[i] + "\n";
  }
  writeSeedProject(project, "one-way", paths);
  project.write("src/.keep", "");
  auto deploy = project.gardensync({"deploy", "--sync=*", "--yes"});
  ASSERT_EQ(deploy.exitCode, 0) << deploy.err;
  for (size_t i = 0; i < modes.size(); ++i)
    project.writeIn(kVote, "node", "/m" + std::to_string(i) + "/pod.txt", "pod");
  for (size_t i = 0; i < modes.size(); ++i) project.write("m" + std::to_string(i) + "/later.txt", "later");
  project.flush();
  for (size_t i = 0; i < modes.size(); ++i) {
    SCOPED_TRACE(modes[i]);
    const std::string dir = "m" + std::to_string(i);
    const bool toPod = modes[i].find("reverse") == std::string::npos;
    const bool toLocal = modes[i].find("reverse") != std::string::npos || modes[i].starts_with("two-way");
    if (toPod) {
      EXPECT_TRUE(project.eventually([&] { return project.catIn(kVote, "node", "/" + dir + "/later.txt") == "later"; }));
    }
    if (toLocal) {
      EXPECT_TRUE(project.eventually([&] { return project.read(dir + "/pod.txt") == "pod"; }))
          << project.gardensync({"sync", "status"}).out << project.gardensync({"util", "mutagen", "sync", "list"}).out;
    } else {
      EXPECT_FALSE(project.exists(dir + "/pod.txt"));
    }
  }
  // Replica modes mirror: what the other side lacks is gone.
  EXPECT_FALSE(project.existsIn(kVote, "node", "/m1/pod.txt"));         // one-way-replica
  EXPECT_FALSE(project.exists("m3/local.txt"));                          // one-way-replica-reverse
  EXPECT_EQ(project.read("m2/local.txt"), "local");                      // one-way-reverse keeps local files
  EXPECT_FALSE(project.existsIn(kVote, "node", "/m2/local.txt"));
}

TEST(Kubernetes, ADeletedPodIsFoundAgainWithoutLosingLocalFiles) {
  KubeProject project("e2e-k8s-pod-replaced");
  ASSERT_TRUE(cluster().ok());
  writeSeedProject(project, "two-way");
  project.write("src/precious.txt", "mine");
  project.write("src/also.txt", "also mine");
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);
  const auto before = project.pods("app=vote");
  ASSERT_EQ(before.size(), 1u);
  ASSERT_EQ(project.catIn(kVote, "node", "/app/src/precious.txt"), "mine");

  // The ReplicaSet starts a new pod, whose /app/src is empty: not a deletion to sync home.
  ASSERT_EQ(kubectl({"delete", "pod", before[0], "--namespace", project.name(), "--wait=false"}).exitCode, 0);
  project.write("src/after.txt", "written while the pod was replaced");
  const auto deadline = std::chrono::steady_clock::now() + 180s;
  bool recovered = false;
  while (!recovered && std::chrono::steady_clock::now() < deadline) {
    const auto now = project.pods("app=vote");
    recovered = now.size() == 1 && now != before &&
                project.catIn(kVote, "node", "/app/src/precious.txt") == "mine" &&
                project.catIn(kVote, "node", "/app/src/after.txt") == "written while the pod was replaced";
    if (!recovered) std::this_thread::sleep_for(1s);
  }
  EXPECT_TRUE(recovered) << project.gardensync({"sync", "status"}).out;
  EXPECT_EQ(project.read("src/precious.txt"), "mine");
  EXPECT_EQ(project.read("src/also.txt"), "also mine");
  project.write("src/precious.txt", "edited after");
  EXPECT_TRUE(project.eventually([&] { return project.catIn(kVote, "node", "/app/src/precious.txt") == "edited after"; }));
  project.writeIn(kVote, "node", "/app/src/back.txt", "from the new pod");
  EXPECT_TRUE(project.eventually([&] { return project.read("src/back.txt") == "from the new pod"; }));
}

std::string podWatcherLog(const Project& project) {
  std::ifstream in(project.root() / ".garden/mutagen/latest/watcher.log");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The container-side helpers running in the pod, one line each.
std::string helpersInPod(const KubeProject& project) {
  return wordsContaining(project.execIn(kVote, "node", kProcessCommandLines).out, "gardensync-container-watch-");
}

// A change made inside the pod starts a cycle at once, as in a local container: the watcher puts
// its helper into the pod through the same kubectl exec transport as Mutagen's agent (the two
// sessions share the pod, and neither copy fails on the other's running helper), runs one per
// two-way session, and ends them with the syncs.
TEST(Kubernetes, ChangesInsideThePodAreNoticedByAHelperThere) {
  KubeProject project("e2e-k8s-watch-pod");
  ASSERT_TRUE(cluster().ok());
  project.env()["GARDENSYNC_WATCHER_SAFETY_FLUSH"] = "0";
  writeSeedProject(project, "two-way",
                   "      - containerPath: /app/data\n        sourcePath: data\n        mode: two-way-resolved\n");
  project.write("src/deep/er/old.txt", "old");
  project.write("data/d.txt", "d");
  auto deploy = project.gardensync({"deploy", "--sync=*", "--yes"});
  ASSERT_EQ(deploy.exitCode, 0) << deploy.err;
  ASSERT_TRUE(project.eventually([&] { return contains(podWatcherLog(project), ":/app/src: watching its changes"); }))
      << podWatcherLog(project);
  EXPECT_TRUE(project.eventually([&] { return contains(podWatcherLog(project), ":/app/data: watching its changes"); }))
      << podWatcherLog(project);
  EXPECT_TRUE(contains(podWatcherLog(project), "pod of deployment/vote in namespace e2e-k8s-watch-pod (container node):"))
      << podWatcherLog(project);
  EXPECT_FALSE(contains(podWatcherLog(project), "cannot put the helper there")) << podWatcherLog(project);
  const std::string helpers = helpersInPod(project);
  EXPECT_EQ(std::count(helpers.begin(), helpers.end(), '\n'), 2) << helpers;

  project.writeIn(kVote, "node", "/app/src/deep/er/new.txt", "from the pod");
  EXPECT_TRUE(project.eventually([&] { return project.read("src/deep/er/new.txt") == "from the pod"; }));
  EXPECT_TRUE(project.eventually([&] { return contains(podWatcherLog(project), "changes in the containers of node-service-0"); }))
      << podWatcherLog(project);

  // The helpers end with the watcher.
  ASSERT_EQ(project.gardensync({"sync", "stop"}).exitCode, 0);
  EXPECT_TRUE(project.eventually([&] { return helpersInPod(project).empty(); })) << helpersInPod(project);
}

TEST(Kubernetes, HelmChartWithSync) {
  KubeProject project("e2e-k8s-helm");
  ASSERT_TRUE(cluster().ok());
  project.write("project.garden.yml", projectYaml(project.name(), project.providerYaml()));
  project.write("chart/Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n");
  project.write("chart/values.yaml", "image: none\nmessage: default\n");
  project.write("chart/templates/deployment.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n"
                "  replicas: 1\n  selector:\n    matchLabels: {app: {{ .Release.Name }}}\n  template:\n"
                "    metadata:\n      labels: {app: {{ .Release.Name }}}\n    spec:\n"
                "      terminationGracePeriodSeconds: 2\n      containers:\n        - name: web\n"
                "          image: {{ .Values.image }}\n          imagePullPolicy: IfNotPresent\n"
                "          env: [{name: MESSAGE, value: {{ .Values.message | quote }}}]\n"
                "          command: [sh, -c, \"echo chart > /tmp/mode; exec sleep 3600\"]\n");
  project.write("garden.yml", "kind: Deploy\ntype: helm\nname: web\nspec:\n  chart:\n    path: chart\n"
                              "  releaseName: web-release\n  values:\n    image: " + cluster().busybox() +
                              "\n    message: from ${project.name}\n"
                              "  defaultTarget: {kind: Deployment, name: web-release}\n"
                              "  sync:\n    paths:\n      - sourcePath: src\n        containerPath: /app\n"
                              "        mode: one-way-replica\n"
                              "    overrides:\n      - command: [sh, -c, \"echo dev > /tmp/mode; trap 'exit 0' TERM; "
                              "while true; do sleep 1; done\"]\n");
  project.write("src/page.html", "<h1>v1</h1>");
  auto deploy = project.gardensync({"deploy", "--sync=*", "--output", "json"});
  ASSERT_EQ(deploy.exitCode, 0) << deploy.err;
  EXPECT_EQ(deploy.json()["deploys"][0]["resource"], "helm release web-release (namespace e2e-k8s-helm)");
  const std::string workload = "deployment/web-release";
  EXPECT_EQ(project.catIn(workload, "web", "/tmp/mode"), "dev\n");
  EXPECT_EQ(project.execIn(workload, "web", {"sh", "-c", "echo $MESSAGE"}).out, "from e2e-k8s-helm\n");
  EXPECT_EQ(project.catIn(workload, "web", "/app/page.html"), "<h1>v1</h1>");
  project.write("src/page.html", "<h1>v2</h1>");
  EXPECT_TRUE(project.eventually([&] { return project.catIn(workload, "web", "/app/page.html") == "<h1>v2</h1>"; }));
  EXPECT_EQ(kubectl({"get", "secrets", "--namespace", project.name(), "--selector", "owner=helm,name=web-release",
                     "--output", "name"})
                .out.empty(),
            false);  // a real helm release

  auto cleanup = project.gardensync({"cleanup", "deploy"});
  ASSERT_EQ(cleanup.exitCode, 0) << cleanup.err;
  EXPECT_NE(kubectl({"get", "deployment", "web-release", "--namespace", project.name()}).exitCode, 0);
  EXPECT_EQ(kubectl({"get", "secrets", "--namespace", project.name(), "--selector", "owner=helm", "--output", "name"}).out,
            "");
}

// The everyday commands on a cluster, one Deploy through several phases (to keep cluster time
// low): logs and logs -f of its pod, exec with the exit code and output passed through (and a TTY
// when interactive), get status with and without a running pod.
TEST(Kubernetes, LogsExecAndGetStatusReachThePod) {
  KubeProject project("e2e-k8s-commands");
  ASSERT_TRUE(cluster().ok());
  project.write("project.garden.yml", projectYaml(project.name(), project.providerYaml()));
  project.write("garden.yml",
                "kind: Deploy\nname: web\ntype: container\nspec:\n  image: " + cluster().busybox() +
                    "\n  command: [sh, -c, \"echo hello from the pod; echo warming up >&2; trap 'exit 0' TERM; "
                    "while true; do sleep 1; done\"]\n"
                    "  sync:\n    paths:\n      - source: src\n        target: /app/src\n");
  project.write("src/a.txt", "from local");
  auto deploy = project.gardensync({"deploy", "--sync=*"});
  ASSERT_EQ(deploy.exitCode, 0) << deploy.err;
  const std::string workload = "deployment/web";
  const std::string resource = "deployment/web (namespace e2e-k8s-commands)";

  // logs: the pod's stdout and stderr.
  auto logs = project.gardensync({"logs", "web"});
  ASSERT_EQ(logs.exitCode, 0) << logs.err;
  EXPECT_TRUE(contains(logs.out, "hello from the pod\n")) << logs.out;
  EXPECT_TRUE(contains(logs.out, "warming up\n")) << logs.out;

  // logs -f: once the first line is shown the pod prints another; once that arrives the follower
  // is told to stop (SIGTERM, as Ctrl-C) and ends by itself.
  auto follow = followLogs(
      project, "web", "hello from the pod",
      [&] { project.execIn(workload, "web", {"sh", "-c", "echo printed while following > /proc/1/fd/1"}); },
      "printed while following\n");
  EXPECT_TRUE(follow.cancelled) << follow.stdoutText << follow.stderrText;
  EXPECT_FALSE(follow.timedOut);
  EXPECT_EQ(follow.signal, 0) << follow.stderrText;  // it exited on its own, not killed
  EXPECT_TRUE(contains(follow.stdoutText, "hello from the pod\n")) << follow.stdoutText;
  EXPECT_TRUE(contains(follow.stdoutText, "printed while following\n")) << follow.stdoutText;

  // exec: in the Deploy's container, with the synced files, the exit code and both streams.
  auto exec = project.gardensync({"exec", "web", "--", "sh", "-c", "cat /app/src/a.txt; echo oops >&2; exit 7"});
  EXPECT_EQ(exec.exitCode, 7) << exec.err;
  EXPECT_EQ(exec.out, "from local");
  EXPECT_TRUE(contains(exec.err, "oops\n")) << exec.err;
  auto notTty = project.gardensync({"exec", "web", "--", "sh", "-c", "test -t 0 && echo tty || echo no tty"});
  EXPECT_EQ(notTty.exitCode, 0) << notTty.err;
  EXPECT_EQ(notTty.out, "no tty\n");
  // In a terminal (script(1) gives it one): the command gets a TTY of its own.
  const std::string command = util::shellQuote(GARDENSYNC_BINARY) + " --root " +
                              util::shellQuote(project.root().string()) +
                              " exec web -- sh -c 'test -t 0 && test -t 1 && echo has a tty'";
  util::ProcessOptions scriptOptions;
  scriptOptions.environment.set = project.env();
  auto tty = util::runProcess({"script", "-qec", command, "/dev/null"}, scriptOptions);
  EXPECT_EQ(tty.exitCode, 0) << tty.stdoutText << tty.stderrText;
  EXPECT_TRUE(contains(tty.stdoutText, "has a tty")) << tty.stdoutText;

  // get status: the workload, its state and its sync.
  auto text = project.gardensync({"get", "status"});
  ASSERT_EQ(text.exitCode, 0) << text.err;
  EXPECT_TRUE(contains(text.out, "provider kubernetes")) << text.out;
  EXPECT_TRUE(contains(text.out, "web     running  " + resource)) << text.out;
  EXPECT_TRUE(contains(text.out, "web-0 watching")) << text.out;
  auto json = project.gardensync({"get", "status", "--output", "json"});
  ASSERT_EQ(json.exitCode, 0) << json.err;
  EXPECT_EQ(json.json()["provider"], "kubernetes");
  ASSERT_EQ(json.json()["deploys"].size(), 1u) << json.out;
  const auto web = json.json()["deploys"][0];
  EXPECT_EQ(web["deploy"], "web");
  EXPECT_EQ(web["state"], "running");
  EXPECT_EQ(web["running"], true);
  EXPECT_EQ(web["resource"], resource);
  EXPECT_EQ(web["image"], nullptr);  // docs/status-json.md: null on a cluster
  EXPECT_EQ(web["ports"], nlohmann::json::array());
  EXPECT_EQ(web["syncs"], nlohmann::json::array({"web-0"}));
  EXPECT_EQ(json.json()["daemonRunning"], true);
  ASSERT_EQ(json.json()["sessions"].size(), 1u);
  EXPECT_EQ(json.json()["sessions"][0]["name"], "web-0");

  // With no pod left: not running, and exec says so.
  ASSERT_EQ(kubectl({"scale", "deployment", "web", "--replicas=0", "--namespace", project.name()}).exitCode, 0);
  const auto deadline = std::chrono::steady_clock::now() + 120s;
  while (!project.pods("gardensync.io/deploy=web").empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(1s);
  ASSERT_TRUE(project.pods("gardensync.io/deploy=web").empty());
  auto stopped = project.gardensync({"get", "status", "--output", "json"});
  ASSERT_EQ(stopped.exitCode, 0) << stopped.err;
  EXPECT_EQ(stopped.json()["deploys"][0]["state"], "not running") << stopped.out;
  EXPECT_EQ(stopped.json()["deploys"][0]["running"], false);
  auto gone = project.gardensync({"exec", "web", "--", "true"});
  EXPECT_EQ(gone.exitCode, 1);
  EXPECT_TRUE(contains(gone.err, "no pod of deployment/web")) << gone.err;
}

TEST(Kubernetes, MistakesAreReportedWithWhereAndWhatToDo) {
  KubeProject project("e2e-k8s-mistakes");
  ASSERT_TRUE(cluster().ok());
  // A sync target the manifests do not have: the override cannot apply.
  writeSeedProject(project);
  project.write("src/a.txt", "a");
  project.write("garden.yml", [] {
    std::string yaml = seedExample();
    return yaml.replace(yaml.find("name: vote\n  manifests"), 10, "name: ballot");
  }());
  auto missing = project.gardensync({"deploy", "--sync=*"});
  EXPECT_EQ(missing.exitCode, 1);
  EXPECT_NE(missing.err.find("its target Deployment/ballot is not among the Deploy's manifests"), std::string::npos)
      << missing.err;

  // A context the kubeconfig does not have.
  writeSeedProject(project);
  std::string wrongContext = projectYaml(project.name(), project.providerYaml());
  wrongContext.replace(wrongContext.find("context: gardensync-local"), 25, "context: no-such-context");
  project.write("project.garden.yml", wrongContext);
  auto context = project.gardensync({"deploy", "--sync=*"});
  EXPECT_EQ(context.exitCode, 1);
  EXPECT_NE(context.err.find("context no-such-context"), std::string::npos) << context.err;

  // A Build with no registry to push to.
  project.write("project.garden.yml",
                projectYaml(project.name(), "  - name: kubernetes\n    kubeconfig: " + cluster().kubeconfig + "\n"));
  project.write("img/Dockerfile", "FROM gardensync-test/busybox:latest\n");
  project.write("img/garden.yml", "kind: Build\nname: img\ntype: container\n");
  std::string withBuild = sleepDeployYaml("app", "      - source: src\n        target: /app/src\n");
  withBuild.replace(withBuild.find("gardensync-test/busybox:latest"), 30, "${actions.build.img.outputs.deploymentImageId}");
  project.write("garden.yml", withBuild);
  auto registry = project.gardensync({"deploy", "--sync=*"});
  EXPECT_EQ(registry.exitCode, 1);
  EXPECT_NE(registry.err.find("Build img: the kubernetes provider pushes images to a registry"), std::string::npos)
      << registry.err;

  // helm missing from PATH.
  project.write("project.garden.yml", projectYaml(project.name(), project.providerYaml()));
  project.write("chart/Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n");
  project.write("garden.yml", "kind: Deploy\ntype: helm\nname: web\nspec:\n  chart: {path: chart}\n");
  project.env()["PATH"] = util::findOnPath("kubectl")->parent_path().string() + ":/usr/bin:/bin";
  auto helm = project.gardensync({"deploy"});
  EXPECT_EQ(helm.exitCode, 1);
  EXPECT_NE(helm.err.find("helm is not on PATH"), std::string::npos) << helm.err;
}

}  // namespace
}  // namespace gardensync::e2e
