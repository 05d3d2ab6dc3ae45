// Folders gardensync walks (the project for config files, a Build's context for its version, a
// local folder before mirroring over it) that cannot be walked to the end: the walk must fail
// with the folder named, never stop quietly with part of the files. A walk holds one open folder
// per level, so a folder nested deeper than the process may open files fails it, whoever runs
// it (root included): gardensync runs here under `prlimit --nofile`.
#include <fstream>

#include <gtest/gtest.h>

#include "harness.h"

namespace gardensync::e2e {
namespace {

namespace fs = std::filesystem;

constexpr int kOpenFiles = 48;

// `dir/deep/d/d/.../d` 80 levels down, with a file at the bottom.
void makeDeepFolder(const fs::path& dir) {
  fs::path path = dir / "deep";
  for (int level = 0; level < 80; ++level) path /= "d";
  fs::create_directories(path);
  std::ofstream(path / "bottom.txt") << "bottom";
}

Run gardensyncWithFewFiles(Project& project, const std::vector<std::string>& args) {
  std::vector<std::string> argv{"prlimit", "--nofile=" + std::to_string(kOpenFiles) + ":" + std::to_string(kOpenFiles),
                                GARDENSYNC_BINARY, "--root", project.root().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  util::ProcessOptions options;
  options.environment.set = project.env();
  options.workingDirectory = project.root();
  auto result = util::runProcess(argv, options);
  return {result.exitCode, result.stdoutText, result.stderrText};
}

TEST(WalkErrors, AProjectFolderThatCannotBeWalkedIsNamedNotSkipped) {
  Project project("e2e-walk-config");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", sleepDeployYaml("app", "      - source: src\n        target: /app\n"));
  project.write("src/a.txt", "a");
  makeDeepFolder(project.root());
  EXPECT_EQ(project.gardensync({"validate"}).exitCode, 0);  // with enough open files
  auto validate = gardensyncWithFewFiles(project, {"validate"});
  EXPECT_EQ(validate.exitCode, 1) << validate.out << validate.err;
  EXPECT_NE(validate.err.find("cannot read the project folder at " + (project.root() / "deep").string()),
            std::string::npos)
      << validate.err;
  EXPECT_NE(validate.err.find("scan.exclude"), std::string::npos) << validate.err;
}

TEST(WalkErrors, ABuildContextThatCannotBeWalkedStopsTheBuild) {
  Project project("e2e-walk-build");
  project.write("project.garden.yml", projectYaml(project.name()) + "scan:\n  exclude: [img/deep]\n");
  project.write("img/Dockerfile", "FROM gardensync-test/busybox:latest\n");
  project.write("img/garden.yml", "kind: Build\nname: img\ntype: container\n");
  std::string deploy = sleepDeployYaml("app", "      - source: src\n        target: /app\n");
  deploy.replace(deploy.find("gardensync-test/busybox:latest"), 30, "${actions.build.img.outputs.deploymentImageId}");
  project.write("garden.yml", deploy);
  project.write("src/a.txt", "a");
  makeDeepFolder(project.root() / "img");
  auto run = gardensyncWithFewFiles(project, {"deploy"});
  EXPECT_EQ(run.exitCode, 1) << run.out << run.err;
  EXPECT_NE(run.err.find("Build img: cannot read its build context at " + (project.root() / "img" / "deep").string()),
            std::string::npos)
      << run.err;
  EXPECT_EQ(util::runProcess({"docker", "container", "inspect", project.container("app")}).exitCode, 1)
      << "nothing may be deployed from a version computed over part of the context";
}

TEST(WalkErrors, ALocalFolderThatCannotBeCountedIsNotMirroredOver) {
  Project project("e2e-walk-mirror");
  project.write("project.garden.yml", projectYaml(project.name()) + "scan:\n  exclude: [out/deep]\n");
  project.write("garden.yml",
                sleepDeployYaml("app", "      - source: out\n        target: /app\n        mode: one-way-replica-reverse\n"));
  project.write("out/mine.txt", "mine");
  makeDeepFolder(project.root() / "out");
  auto run = gardensyncWithFewFiles(project, {"deploy", "--sync=*"});
  EXPECT_EQ(run.exitCode, 1) << run.out << run.err;
  EXPECT_NE(run.err.find("cannot read the local folder " + (project.root() / "out").string()), std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("refusing to mirror a container folder over it"), std::string::npos) << run.err;
  EXPECT_EQ(project.read("out/mine.txt"), "mine");
  EXPECT_EQ(project.gardensync({"sync", "status", "--output", "json"}).json()["sessions"].size(), 0u);
}

}  // namespace
}  // namespace gardensync::e2e
