// exec Build and Deploy actions: local commands next to containers, a background process that
// `cleanup deploy` stops, and the actions gardensync skips planned around.
#include <signal.h>

#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "harness.h"

namespace gardensync::e2e {
namespace {

namespace fs = std::filesystem;

// A pid is gone when /proc has no such process or only its zombie (this machine's pid 1 need not
// reap the orphans of detached processes).
bool processGone(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) return true;
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const size_t close = text.rfind(')');
  return close != std::string::npos && close + 2 < text.size() && text[close + 2] == 'Z';
}

TEST(ExecActions, AnExecBuildsOutputFileIsUsedByAContainerDeploy) {
  Project project("e2e-exec-build");
  project.write("project.garden.yml", projectYaml(project.name()) + "variables:\n  greeting: hello\n");
  project.write("gen/input.txt", "from source\n");
  project.write("gen/garden.yml",
                "kind: Build\nname: gen\ntype: exec\nspec:\n"
                "  command: [sh, -c, \"mkdir -p out && cp input.txt out/ && echo $GREETING > out/greeting.txt\"]\n"
                "  env:\n    GREETING: ${var.greeting}\n");
  project.write("garden.yml",
                "kind: Deploy\nname: web\ntype: container\ndependencies: [build.gen]\nspec:\n"
                "  image: gardensync-test/busybox:latest\n"
                "  command: [sh, -c, \"trap 'exit 0' TERM; while true; do sleep 1; done\"]\n"
                "  volumes:\n    - containerPath: /data\n      hostPath: ${actions.build.gen.buildPath}/out\n");
  auto run = project.gardensync({"deploy", "--output", "json"});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.json()["deploys"][0]["outcome"], "created");
  // The command ran in Garden's build folder, a copy of the sources, not in the sources.
  EXPECT_EQ(project.read(".garden/build/gen/out/greeting.txt"), "hello\n");
  EXPECT_FALSE(project.exists("gen/out"));
  EXPECT_EQ(project.catIn("web", "/data/input.txt"), "from source\n");
  EXPECT_EQ(project.catIn("web", "/data/greeting.txt"), "hello\n");
  EXPECT_EQ(project.gardensync({"cleanup", "deploy"}).exitCode, 0);
}

TEST(ExecActions, APersistentExecDeployRunsInTheBackgroundUntilCleanup) {
  Project project("e2e-exec-persistent");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml",
                "kind: Deploy\nname: ticker\ntype: exec\nspec:\n  persistent: true\n"
                "  deployCommand: [sh, -c, \"echo $$ > pid.txt; echo started; while true; do sleep 1; done\"]\n"
                "  statusCommand: [test, -f, pid.txt]\n");
  auto run = project.gardensync({"deploy", "--output", "json"});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.json()["deploys"][0]["outcome"], "created");
  // The statusCommand succeeded, so the process had written its pid; it still runs, recorded in
  // the project's data dir.
  const int pid = std::stoi(project.read("pid.txt"));
  EXPECT_FALSE(processGone(pid));
  const auto record = nlohmann::json::parse(project.read(".garden/gardensync/exec/ticker.json"));
  EXPECT_EQ(record["pid"], pid);
  EXPECT_EQ(project.read(".garden/gardensync/exec/ticker.log"), "started\n");

  // Deployed again with the same spec, it is left running.
  auto again = project.gardensync({"deploy", "--output", "json"});
  ASSERT_EQ(again.exitCode, 0) << again.err;
  EXPECT_EQ(again.json()["deploys"][0]["outcome"], "unchanged");
  EXPECT_EQ(std::stoi(project.read("pid.txt")), pid);

  auto cleanup = project.gardensync({"cleanup", "deploy", "--output", "json"});
  ASSERT_EQ(cleanup.exitCode, 0) << cleanup.err;
  EXPECT_EQ(cleanup.json()["removed"][0], "local process ticker (pid " + std::to_string(pid) + ")");
  EXPECT_TRUE(processGone(pid));
  EXPECT_FALSE(project.exists(".garden/gardensync/exec/ticker.json"));
}

TEST(ExecActions, SkippedActionsAreReportedAndWhatDependsOnThemStillDeploys) {
  Project project("e2e-skipped-kinds");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml",
                "kind: Deploy\nname: infra\ntype: terraform\nspec:\n  root: ./tf\n---\n"
                "kind: Run\nname: seed\ntype: kubernetes-pod\nspec:\n  command: [seed]\n---\n"
                "kind: Deploy\nname: app\ntype: container\ndependencies: [deploy.infra, run.seed]\nspec:\n"
                "  image: gardensync-test/busybox:latest\n"
                "  command: [sh, -c, \"trap 'exit 0' TERM; while true; do sleep 1; done\"]\n");
  auto validate = project.gardensync({"validate"});
  ASSERT_EQ(validate.exitCode, 0) << validate.err;
  EXPECT_NE(validate.out.find("skipped: deploy.infra (terraform): gardensync does not deploy terraform Deploys"),
            std::string::npos)
      << validate.out;
  EXPECT_NE(validate.out.find("skipped: run.seed (kubernetes-pod): gardensync does not run Run actions"),
            std::string::npos)
      << validate.out;
  auto plan = project.gardensync({"deploy", "--dry-run"});
  ASSERT_EQ(plan.exitCode, 0) << plan.err;
  EXPECT_NE(plan.out.find("skip deploy infra: gardensync does not deploy terraform Deploys"), std::string::npos)
      << plan.out;
  EXPECT_NE(plan.out.find("deploy app: image gardensync-test/busybox:latest"), std::string::npos) << plan.out;
  auto run = project.gardensync({"deploy", "--output", "json"});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  const auto json = run.json();
  ASSERT_EQ(json["deploys"].size(), 1u);
  EXPECT_EQ(json["deploys"][0]["deploy"], "app");
  EXPECT_EQ(json["skipped"][0]["action"], "deploy.infra");
  EXPECT_EQ(json["skipped"][1]["action"], "run.seed");
  EXPECT_EQ(json["skipped"][1]["reason"], "gardensync does not run Run actions");
  EXPECT_EQ(project.exec("app", {"echo", "up"}).out, "up\n");
  EXPECT_EQ(project.gardensync({"cleanup", "deploy"}).exitCode, 0);
}

}  // namespace
}  // namespace gardensync::e2e
