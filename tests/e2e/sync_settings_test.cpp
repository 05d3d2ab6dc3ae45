// Excludes, ownership and permissions, and the life cycle of syncs and containers.
#include <sys/stat.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "harness.h"

namespace gardensync::e2e {
namespace {

TEST(SyncSettings, PathAndProviderExcludesKeepFilesOut) {
  Project project("e2e-excludes");
  project.write("project.garden.yml",
                projectYaml(project.name(), "  - name: local-docker\n    sync:\n      defaults:\n        exclude: [\"**/*.tmp\"]\n"));
  project.write("garden.yml", sleepDeployYaml("app",
                                              "      - source: src\n        target: /app/src\n        mode: one-way-replica\n"
                                              "        exclude: [node_modules, \"**/*.log\"]\n"));
  project.write("src/keep.txt", "keep");
  project.write("src/debug.log", "log");
  project.write("src/sub/trace.log", "log");
  project.write("src/scratch.tmp", "tmp");
  project.write("src/node_modules/dep/index.js", "dep");
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);
  EXPECT_EQ(project.catIn("app", "/app/src/keep.txt"), "keep");
  EXPECT_FALSE(project.existsIn("app", "/app/src/debug.log"));
  EXPECT_FALSE(project.existsIn("app", "/app/src/sub/trace.log"));
  EXPECT_FALSE(project.existsIn("app", "/app/src/scratch.tmp"));
  EXPECT_FALSE(project.existsIn("app", "/app/src/node_modules"));
  EXPECT_TRUE(project.existsIn("app", "/app/src/sub"));
}

TEST(SyncSettings, OwnerGroupAndModesApplyInsideTheContainer) {
  Project project("e2e-perms");
  project.write("project.garden.yml",
                projectYaml(project.name(), "  - name: local-docker\n    sync:\n      defaults:\n        owner: 1000\n        fileMode: 0600\n"));
  project.write("garden.yml", sleepDeployYaml("app",
                                              "      - source: src\n        target: /app/src\n        mode: two-way\n"
                                              "        defaultGroup: 1000\n        defaultFileMode: 0640\n"
                                              "        defaultDirectoryMode: 0750\n"));
  project.write("src/file.txt", "x");
  project.write("src/dir/inner.txt", "y");
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);
  // owner from the provider default, group and modes from the path (path settings win).
  EXPECT_EQ(project.statIn("app", "/app/src/file.txt"), "1000:1000:640");
  EXPECT_EQ(project.statIn("app", "/app/src/dir/inner.txt"), "1000:1000:640");
  EXPECT_EQ(project.statIn("app", "/app/src/dir"), "1000:1000:750");
}

// What a two-way sync brings from the container gets the modes the user's umask gives new files,
// not Mutagen's private 0600/0700. The same run, at --log-level debug, shows each command it runs.
TEST(SyncSettings, LocalFilesFromTheContainerGetTheUmasksModesAndDebugShowsEachCommand) {
  Project project("e2e-local-modes");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", sleepDeployYaml("app", "      - source: src\n        target: /app/src\n        mode: two-way\n"));
  project.write("src/a.txt", "a");
  const mode_t previous = ::umask(027);
  auto deploy = project.gardensync({"--log-level", "debug", "deploy", "--sync=*"});
  ::umask(previous);
  ASSERT_EQ(deploy.exitCode, 0) << deploy.err;
  EXPECT_NE(deploy.err.find("debug: run: docker "), std::string::npos) << deploy.err;
  EXPECT_NE(deploy.err.find(" sync create --no-global-configuration --name app-0"), std::string::npos) << deploy.err;
  EXPECT_NE(deploy.err.find("--default-file-mode-alpha 0640 --default-directory-mode-alpha 0750"), std::string::npos)
      << deploy.err;
  EXPECT_NE(deploy.err.find("debug: run: MUTAGEN_DATA_DIRECTORY="), std::string::npos) << deploy.err;
  EXPECT_NE(deploy.err.find("docker: exit 0 after "), std::string::npos) << deploy.err;
  EXPECT_EQ(deploy.err.find('\x1b'), std::string::npos) << deploy.err;  // no colour codes
  EXPECT_EQ(deploy.err.find("\n\n"), std::string::npos) << deploy.err;  // no empty lines
  EXPECT_NE(deploy.err.front(), '\n');

  ASSERT_EQ(project.exec("app", {"sh", "-c", "mkdir -p /app/src/made/deeper && echo hi > /app/src/made/deeper/f.txt && "
                                             "printf '#!/bin/sh\\n' > /app/src/run.sh && chmod 755 /app/src/run.sh"})
                .exitCode,
            0);
  ASSERT_TRUE(project.eventually([&] { return project.exists("src/made/deeper/f.txt") && project.exists("src/run.sh"); }));
  auto modeOf = [&](const std::string& relative) {
    return static_cast<unsigned>(std::filesystem::status(project.root() / relative).permissions());
  };
  EXPECT_EQ(modeOf("src/made"), 0750u);
  EXPECT_EQ(modeOf("src/made/deeper"), 0750u);
  EXPECT_EQ(modeOf("src/made/deeper/f.txt"), 0640u);
  EXPECT_EQ(modeOf("src/run.sh"), 0750u);  // executable stays executable, for those who may read it
  EXPECT_EQ(project.read("src/made/deeper/f.txt"), "hi\n");
}

TEST(SyncSettings, SyncStopLeavesContainersAndFilesAlone) {
  Project project("e2e-stop");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", sleepDeployYaml("app", "      - source: src\n        target: /app/src\n        mode: two-way\n"));
  project.write("src/a.txt", "a");
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);
  auto stop = project.gardensync({"sync", "stop"});
  ASSERT_EQ(stop.exitCode, 0) << stop.err;
  EXPECT_NE(stop.out.find("Stopped 1 sync session"), std::string::npos) << stop.out;
  EXPECT_TRUE(project.gardensync({"sync", "status", "--output", "json"}).json()["sessions"].empty());
  EXPECT_EQ(project.catIn("app", "/app/src/a.txt"), "a");
  EXPECT_EQ(project.read("src/a.txt"), "a");
  project.write("src/b.txt", "b");  // no longer synced
  project.flush();
  EXPECT_FALSE(project.existsIn("app", "/app/src/b.txt"));
  // ... until the syncs start again.
  auto start = project.gardensync({"sync", "start"});
  ASSERT_EQ(start.exitCode, 0) << start.err;
  EXPECT_EQ(project.catIn("app", "/app/src/b.txt"), "b");
}

TEST(SyncSettings, SecondDeployWithoutChangesTouchesNothing) {
  Project project("e2e-idempotent");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", sleepDeployYaml("app", "      - source: src\n        target: /app/src\n"));
  project.write("src/a.txt", "a");
  auto first = project.gardensync({"deploy", "--sync=*", "--output", "json"});
  ASSERT_EQ(first.exitCode, 0) << first.err;
  auto second = project.gardensync({"deploy", "--sync=*", "--output", "json"});
  ASSERT_EQ(second.exitCode, 0) << second.err;
  EXPECT_EQ(first.json()["deploys"][0]["outcome"], "created");
  EXPECT_EQ(second.json()["deploys"][0]["outcome"], "unchanged");
  EXPECT_EQ(first.json()["sessions"][0]["identifier"], second.json()["sessions"][0]["identifier"]);
  EXPECT_NE(second.err.find("0 started, 1 unchanged, 0 stopped"), std::string::npos) << second.err;
  auto list = project.gardensync({"util", "mutagen", "sync", "list", "--template", "{{ json . }}"});
  EXPECT_EQ(list.json().size(), 1u);  // no duplicates

  // A changed sync spec replaces just that session.
  project.write("garden.yml", sleepDeployYaml("app", "      - source: src\n        target: /app/src\n        exclude: [tmp]\n"));
  auto third = project.gardensync({"deploy", "--sync=*", "--output", "json"});
  ASSERT_EQ(third.exitCode, 0) << third.err;
  EXPECT_EQ(third.json()["deploys"][0]["outcome"], "unchanged");
  EXPECT_NE(third.json()["sessions"][0]["identifier"], second.json()["sessions"][0]["identifier"]);
  EXPECT_EQ(project.gardensync({"util", "mutagen", "sync", "list", "--template", "{{ json . }}"}).json().size(), 1u);
}

TEST(SyncSettings, RestartedContainerCatchesUp) {
  Project project("e2e-restart");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", sleepDeployYaml("app", "      - source: src\n        target: /app/src\n        mode: one-way-replica\n"));
  project.write("src/a.txt", "a");
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);
  ASSERT_EQ(util::runProcess({"docker", "restart", "-t", "1", project.container("app")}).exitCode, 0);
  project.write("src/after-restart.txt", "caught up");
  EXPECT_TRUE(project.eventually([&] { return project.catIn("app", "/app/src/after-restart.txt") == "caught up"; }));
  auto status = project.gardensync({"sync", "status", "--output", "json"}).json();
  EXPECT_EQ(status["sessions"][0]["state"], "watching");
}

TEST(SyncSettings, ContainerWithoutShellIsRejectedWithTheReason) {
  Project project("e2e-no-shell");
  // An image holding only the busybox binary: no `sh` on PATH, so no agent can run.
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("img/Dockerfile",
                "FROM gardensync-test/busybox:latest AS base\nFROM scratch\nCOPY --from=base /bin/busybox /busybox\n"
                "ENTRYPOINT [\"/busybox\", \"sleep\", \"3600\"]\n");
  project.write("img/garden.yml", "kind: Build\nname: bare\ntype: container\n---\n"
                                  "kind: Deploy\nname: app\ntype: container\nspec:\n"
                                  "  image: ${actions.build.bare.outputs.deploymentImageId}\n"
                                  "  sync:\n    paths:\n      - source: src\n        target: /app\n");
  project.write("img/src/a.txt", "a");
  auto run = project.gardensync({"deploy", "--sync=*"});
  EXPECT_EQ(run.exitCode, 1);
  EXPECT_NE(run.err.find("cannot host the sync agent: it has no shell"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("busybox, alpine, debian"), std::string::npos) << run.err;
  // Without the initial copy nothing looks into the container before Mutagen's create, which
  // fails; the container is checked then, and the same reason is given.
  project.env()["GARDENSYNC_INITIAL_COPY"] = "off";
  auto again = project.gardensync({"deploy", "--sync=*"});
  EXPECT_EQ(again.exitCode, 1);
  EXPECT_NE(again.err.find("cannot host the sync agent: it has no shell"), std::string::npos) << again.err;
}

}  // namespace
}  // namespace gardensync::e2e

namespace gardensync::e2e {
namespace {

TEST(SyncSettings, UnwritableHomeIsNamedAsWhatIsMissing) {
  Project project("e2e-readonly-home-in-container");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("img/Dockerfile", "FROM gardensync-test/busybox:latest\nRUN chmod 555 /home/app\nUSER app\n");
  project.write("img/garden.yml", "kind: Build\nname: img\ntype: container\n---\n"
                                  "kind: Deploy\nname: app\ntype: container\nspec:\n"
                                  "  image: ${actions.build.img.outputs.deploymentImageId}\n"
                                  "  command: [sleep, \"3600\"]\n"
                                  "  sync:\n    paths:\n      - source: src\n        target: /tmp/app\n");
  project.write("img/src/a.txt", "a");
  auto run = project.gardensync({"deploy", "--sync=*"});
  EXPECT_EQ(run.exitCode, 1);
  EXPECT_NE(run.err.find("cannot host the sync agent: HOME /home/app is not writable"), std::string::npos) << run.err;
}

TEST(SyncSettings, HaltedSessionSaysWhyAndHowToRecover) {
  Project project("e2e-halted");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", sleepDeployYaml("app", "      - source: src\n        target: /app/src\n        mode: two-way\n"));
  project.write("src/a.txt", "a");
  project.write("src/b.txt", "b");
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);
  // Emptying the local folder must not empty the container's: Mutagen halts instead.
  project.remove("src/a.txt");
  project.remove("src/b.txt");
  nlohmann::json session;
  EXPECT_TRUE(project.eventually([&] {
    session = project.gardensync({"sync", "status", "--output", "json"}).json()["sessions"][0];
    return session["state"] == "halted-on-root-emptied";
  })) << session.dump();
  EXPECT_EQ(project.catIn("app", "/app/src/a.txt"), "a");
  auto text = project.gardensync({"sync", "status"});
  EXPECT_NE(text.out.find("halted"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("gardensync sync restart"), std::string::npos) << text.out;
}

}  // namespace
}  // namespace gardensync::e2e
