// Every sync mode against a real container: what propagates, what is kept, what is mirrored.
#include <gtest/gtest.h>

#include "harness.h"

namespace gardensync::e2e {
namespace {

std::string pathYaml(const std::string& mode, const std::string& extra = "") {
  return "      - source: src\n        target: /app/src\n        mode: " + mode + "\n" + extra;
}

// Deploys one `app` Deploy syncing ./src with /app/src in `mode`; `--yes` accepts the
// replica-reverse confirmation.
void deploy(Project& project, const std::string& mode, const std::string& extra = "") {
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", sleepDeployYaml("app", pathYaml(mode, extra)));
  auto run = project.gardensync({"deploy", "--sync=*", "--yes"});
  ASSERT_EQ(run.exitCode, 0) << run.err;
}

TEST(SyncModes, OneWaySafePropagatesLocalChangesAndKeepsContainerOnlyFiles) {
  Project project("e2e-one-way");
  project.write("src/hello.txt", "v1");
  project.write("src/dir/nested.txt", "nested");
  deploy(project, "one-way");
  EXPECT_EQ(project.catIn("app", "/app/src/hello.txt"), "v1");
  EXPECT_EQ(project.catIn("app", "/app/src/dir/nested.txt"), "nested");

  project.writeIn("app", "/app/src/container-only.txt", "keep me");
  project.write("src/hello.txt", "v2");
  project.remove("src/dir");
  EXPECT_TRUE(project.eventually([&] { return project.catIn("app", "/app/src/hello.txt") == "v2"; }));
  EXPECT_TRUE(project.eventually([&] { return !project.existsIn("app", "/app/src/dir"); }));
  EXPECT_EQ(project.catIn("app", "/app/src/container-only.txt"), "keep me");
  EXPECT_FALSE(project.exists("src/container-only.txt"));  // one-way: nothing comes back
}

TEST(SyncModes, OneWaySafeReportsConflictsInsteadOfOverwriting) {
  Project project("e2e-one-way-conflict");
  project.write("src/shared.txt", "base");
  deploy(project, "one-way-safe");
  // Both sides change the file while the session is paused: a conflict on resume.
  project.gardensync({"util", "mutagen", "sync", "pause", "--all"});
  project.writeIn("app", "/app/src/shared.txt", "container edit");
  project.write("src/shared.txt", "local edit");
  project.gardensync({"util", "mutagen", "sync", "resume", "--all"});
  project.flush();
  auto status = project.gardensync({"sync", "status", "--output", "json"});
  ASSERT_EQ(status.exitCode, 0) << status.err;
  auto session = status.json()["sessions"][0];
  ASSERT_EQ(session["conflicts"].size(), 1u) << status.out;
  EXPECT_EQ(session["conflicts"][0]["root"], "shared.txt");
  EXPECT_EQ(project.catIn("app", "/app/src/shared.txt"), "container edit");
  EXPECT_EQ(project.read("src/shared.txt"), "local edit");
  auto text = project.gardensync({"sync", "status"});
  EXPECT_NE(text.out.find("conflict at shared.txt"), std::string::npos) << text.out;
}

TEST(SyncModes, OneWayReplicaMirrorsLocalAndRemovesExtraFilesInTheContainer) {
  Project project("e2e-replica");
  project.write("src/a.txt", "a");
  deploy(project, "one-way-replica");
  EXPECT_EQ(project.catIn("app", "/app/src/a.txt"), "a");
  project.writeIn("app", "/app/src/extra.txt", "extra");
  project.write("src/b.txt", "b");
  EXPECT_TRUE(project.eventually([&] {
    return project.catIn("app", "/app/src/b.txt") == "b" && !project.existsIn("app", "/app/src/extra.txt");
  }));
  project.write("src/a.txt", "a2");
  EXPECT_TRUE(project.eventually([&] { return project.catIn("app", "/app/src/a.txt") == "a2"; }));
}

TEST(SyncModes, OneWayReverseBringsContainerFilesHomeAndKeepsLocalOnlyFiles) {
  Project project("e2e-reverse");
  project.write("src/local-only.txt", "mine");
  deploy(project, "one-way-reverse");
  project.writeIn("app", "/app/src/report.txt", "from container");
  EXPECT_TRUE(project.eventually([&] { return project.read("src/report.txt") == "from container"; }));
  EXPECT_EQ(project.read("src/local-only.txt"), "mine");
  project.write("src/local-change.txt", "stays local");
  project.flush();
  EXPECT_FALSE(project.existsIn("app", "/app/src/local-change.txt"));
}

// The reverse modes fill the local folder, so one that does not exist yet is created, not refused.
TEST(SyncModes, ReverseModesCreateAMissingLocalFolder) {
  Project project("e2e-reverse-creates");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", sleepDeployYaml("app", "      - source: out/reports\n        target: /app/reports\n"
                                                     "        mode: one-way-replica-reverse\n"));
  auto validate = project.gardensync({"validate"});
  EXPECT_EQ(validate.exitCode, 0) << validate.err;
  EXPECT_EQ(validate.err.find("does not exist"), std::string::npos) << validate.err;
  auto run = project.gardensync({"deploy", "--sync=*"});  // no --yes needed: nothing local to replace
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_NE(run.err.find("sync app-0 (app): created the local folder " + (project.root() / "out/reports").string()),
            std::string::npos) << run.err;
  project.writeIn("app", "/app/reports/result.txt", "done");
  EXPECT_TRUE(project.eventually([&] { return project.read("out/reports/result.txt") == "done"; }));
}

TEST(SyncModes, OneWayReplicaReverseMakesLocalAnExactMirror) {
  Project project("e2e-replica-reverse");
  project.write("src/stale.txt", "old local file");
  deploy(project, "one-way-replica-reverse");
  project.writeIn("app", "/app/src/artifact.txt", "result");
  EXPECT_TRUE(project.eventually([&] { return project.read("src/artifact.txt") == "result" && !project.exists("src/stale.txt"); }));
}

TEST(SyncModes, OneWayReplicaReverseAsksBeforeMirroringOverLocalFiles) {
  Project project("e2e-replica-reverse-ask");
  project.write("src/precious.txt", "do not lose");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", sleepDeployYaml("app", pathYaml("one-way-replica-reverse")));
  auto run = project.gardensync({"deploy", "--sync=*"});  // no TTY, no --yes
  EXPECT_EQ(run.exitCode, 2) << run.err;
  EXPECT_NE(run.err.find("exact mirror"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("--yes"), std::string::npos) << run.err;
  EXPECT_EQ(project.read("src/precious.txt"), "do not lose");
  EXPECT_NE(project.exec("app", {"true"}).exitCode, 0);  // nothing was deployed
}

TEST(SyncModes, TwoWaySafeSyncsBothWaysAndKeepsConflicts) {
  Project project("e2e-two-way");
  project.write("src/shared.txt", "base");
  deploy(project, "two-way");
  project.write("src/from-local.txt", "L");
  project.writeIn("app", "/app/src/from-container.txt", "C");
  EXPECT_TRUE(project.eventually([&] {
    return project.catIn("app", "/app/src/from-local.txt") == "L" && project.read("src/from-container.txt") == "C";
  }));
  project.exec("app", {"rm", "/app/src/from-local.txt"});
  EXPECT_TRUE(project.eventually([&] { return !project.exists("src/from-local.txt"); }));

  // Both sides change the same file while paused: a conflict, neither side overwritten.
  project.gardensync({"util", "mutagen", "sync", "pause", "--all"});
  project.exec("app", {"sh", "-c", "echo container > /app/src/shared.txt"});
  project.write("src/shared.txt", "local\n");
  project.gardensync({"util", "mutagen", "sync", "resume", "--all"});
  project.flush();
  auto status = project.gardensync({"sync", "status", "--output", "json"}).json();
  EXPECT_EQ(status["sessions"][0]["conflicts"].size(), 1u) << status.dump();
  EXPECT_EQ(project.read("src/shared.txt"), "local\n");
  EXPECT_EQ(project.catIn("app", "/app/src/shared.txt"), "container\n");
}

TEST(SyncModes, TwoWayResolvedLetsTheLocalSideWin) {
  Project project("e2e-two-way-resolved");
  project.write("src/shared.txt", "base");
  deploy(project, "two-way-resolved");
  project.writeIn("app", "/app/src/from-container.txt", "C");
  EXPECT_TRUE(project.eventually([&] { return project.read("src/from-container.txt") == "C"; }));
  project.gardensync({"util", "mutagen", "sync", "pause", "--all"});
  project.exec("app", {"sh", "-c", "echo container > /app/src/shared.txt"});
  project.write("src/shared.txt", "local\n");
  project.gardensync({"util", "mutagen", "sync", "resume", "--all"});
  EXPECT_TRUE(project.eventually([&] { return project.catIn("app", "/app/src/shared.txt") == "local\n"; }));
  EXPECT_EQ(project.read("src/shared.txt"), "local\n");
  auto status = project.gardensync({"sync", "status", "--output", "json"}).json();
  EXPECT_TRUE(status["sessions"][0]["conflicts"].empty());
}

}  // namespace
}  // namespace gardensync::e2e
