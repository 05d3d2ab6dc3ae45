// Redeploying: what a changed container does to running syncs and local files, build outputs
// reaching the container, and builds that do not change.
#include <gtest/gtest.h>

#include "harness.h"

namespace gardensync::e2e {
namespace {

std::string deployWithEnv(const std::string& mode, const std::string& envValue) {
  return sleepDeployYaml("app", "      - source: src\n        target: /app/src\n        mode: " + mode + "\n") +
         "  env:\n    REVISION: \"" + envValue + "\"\n";
}

TEST(Redeploy, ReplacingAContainerStopsItsSyncsFirstAndKeepsLocalFiles) {
  Project project("e2e-replace-keeps-files");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", deployWithEnv("two-way", "1"));
  project.write("src/precious.txt", "mine");
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);
  ASSERT_EQ(project.catIn("app", "/app/src/precious.txt"), "mine");

  // A plain deploy (no --sync) with a changed spec replaces the container; the new one lacks
  // the file, and a sync still attached to it would delete the local copy.
  project.write("garden.yml", deployWithEnv("two-way", "2"));
  auto run = project.gardensync({"deploy", "--output", "json"});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.json()["deploys"][0]["outcome"], "replaced");
  EXPECT_NE(run.err.find("sync start app"), std::string::npos) << run.err;
  EXPECT_TRUE(project.gardensync({"sync", "status", "--output", "json"}).json()["sessions"].empty());
  EXPECT_EQ(project.read("src/precious.txt"), "mine");

  // Deploying with sync again brings the file back into the new container.
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);
  EXPECT_EQ(project.catIn("app", "/app/src/precious.txt"), "mine");
  EXPECT_EQ(project.exec("app", {"sh", "-c", "echo $REVISION"}).out, "2\n");
}

TEST(Redeploy, ReplacedContainerAsksAgainBeforeMirroringOverLocalFiles) {
  Project project("e2e-replace-asks");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", deployWithEnv("one-way-replica-reverse", "1"));
  std::filesystem::create_directories(project.root() / "src");
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);  // empty local folder: no question
  project.writeIn("app", "/app/src/result.txt", "from container");
  ASSERT_TRUE(project.eventually([&] { return project.read("src/result.txt") == "from container"; }));

  project.write("garden.yml", deployWithEnv("one-way-replica-reverse", "2"));
  auto refused = project.gardensync({"deploy", "--sync=*"});
  EXPECT_EQ(refused.exitCode, 2) << refused.err << refused.out;
  EXPECT_NE(refused.err.find("exact mirror"), std::string::npos) << refused.err;
  EXPECT_EQ(project.read("src/result.txt"), "from container");
  EXPECT_EQ(project.exec("app", {"sh", "-c", "echo $REVISION"}).out, "1\n");  // nothing was replaced
}

TEST(Redeploy, BuildOutputsReachEnvAndCommand) {
  Project project("e2e-build-outputs");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("img/Dockerfile", "FROM gardensync-test/busybox:latest\n");
  project.write("img/garden.yml", "kind: Build\nname: img\ntype: container\n");
  project.write("garden.yml",
                "kind: Deploy\nname: app\ntype: container\nspec:\n"
                "  image: ${actions.build.img.outputs.deploymentImageId}\n"
                "  command: [sh, -c, \"echo $0 > /tmp/arg; exec sleep 3600\", \"${actions.build.img.outputs.version}\"]\n"
                "  env:\n    IMAGE: ${actions.build.img.outputs.deploymentImageId}\n");
  auto run = project.gardensync({"deploy", "--output", "json"});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  const std::string image = run.json()["deploys"][0]["image"];
  EXPECT_EQ(image.rfind("gardensync/" + project.name() + "-img:v-", 0), 0u) << image;
  EXPECT_EQ(project.exec("app", {"sh", "-c", "echo $IMAGE"}).out, image + "\n");
  EXPECT_EQ("gardensync/" + project.name() + "-img:" + project.catIn("app", "/tmp/arg").substr(0, 14), image);
}

TEST(Redeploy, FilesSyncedBackIntoTheBuildFolderDoNotRebuildWhenDockerIgnoresThem) {
  Project project("e2e-dockerignore");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("web/Dockerfile", "FROM gardensync-test/busybox:latest\nCOPY site /site\n");
  project.write("web/.dockerignore", "logs/\n");
  project.write("web/site/index.html", "hi");
  project.write("web/logs/.keep", "");
  project.write("web/garden.yml",
                "kind: Build\nname: web-image\ntype: container\n---\n"
                "kind: Deploy\nname: web\ntype: container\nspec:\n"
                "  image: ${actions.build.web-image.outputs.deploymentImageId}\n"
                "  command: [sleep, \"3600\"]\n"
                "  sync:\n    paths:\n      - {source: logs, target: /logs, mode: one-way-reverse}\n");
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);
  project.exec("web", {"sh", "-c", "echo hit > /logs/access.log"});
  ASSERT_TRUE(project.eventually([&] { return project.read("web/logs/access.log") == "hit\n"; }));
  auto again = project.gardensync({"deploy", "--sync=*", "--output", "json"});
  ASSERT_EQ(again.exitCode, 0) << again.err;
  EXPECT_EQ(again.json()["deploys"][0]["outcome"], "unchanged");
  EXPECT_NE(again.err.find("up to date"), std::string::npos) << again.err;
  // A change Docker does see rebuilds and replaces.
  project.write("web/site/index.html", "changed");
  auto changed = project.gardensync({"deploy", "--sync=*", "--output", "json"});
  ASSERT_EQ(changed.exitCode, 0) << changed.err;
  EXPECT_EQ(changed.json()["deploys"][0]["outcome"], "replaced");
  EXPECT_EQ(project.catIn("web", "/site/index.html"), "changed");
}

}  // namespace
}  // namespace gardensync::e2e
