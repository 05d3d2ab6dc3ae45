#include "gardensync/providers/local_exec.h"

#include <algorithm>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../config/load_helpers.h"
#include "../fake_runner.h"
#include "gardensync/providers/local_docker.h"
#include "gardensync/util/error.h"
#include "gardensync/util/temp_dir.h"

namespace gardensync::providers {
namespace {

namespace fs = std::filesystem;
using gardensync::testing::answer;
using gardensync::testing::FakeRunner;
using gardensync::testing::fixture;
using gardensync::testing::loadFixture;
using ::testing::ElementsAre;

// The exec provider around local-docker, both on one scripted runner: a docker call would find
// no answer and fail the test.
struct ExecFixture {
  config::ProjectConfig config = loadFixture("kinds/exec");
  FakeRunner runner;
  LocalExecProvider provider{config, std::make_unique<LocalDockerProvider>(config, runner), runner};
  const config::Action& deploy(const std::string& name) { return *config.find(config::ActionKind::Deploy, name); }
  const config::Action& build(const std::string& name) { return *config.find(config::ActionKind::Build, name); }
};

TEST(LocalExec, BuildAndWorkingFoldersFollowGarden) {
  ExecFixture f;
  const fs::path root = fixture("kinds/exec");
  // Without buildAtSource an exec Build runs in a copy; with it, in its folder.
  EXPECT_EQ(buildPathOf(f.config, f.build("gen")), root / ".garden/build/gen");
  EXPECT_EQ(buildPathOf(f.config, f.build("tools")), root);
  // A Deploy runs where the Build it names was built, else in its own folder.
  EXPECT_EQ(execWorkingDirectory(f.config, f.deploy("migrate")), root / ".garden/build/gen");
  EXPECT_EQ(execWorkingDirectory(f.config, f.deploy("server")), root / "sub");  // its source.path
}

TEST(LocalExec, AStatusCommandThatSucceedsLeavesTheDeployAlone) {
  ExecFixture f;
  f.runner.on({"test", "-f", "migrated"}, {answer(0)});
  const DeployPlan plan = f.provider.planDeploy(f.deploy("migrate"), false);
  EXPECT_EQ(plan.outcome, DeployOutcome::Unchanged);
  EXPECT_EQ(plan.resource, "local command");
  f.provider.applyDeploy(plan, [](const std::string&) {});
  EXPECT_THAT(f.runner.calls(), ElementsAre("test -f migrated"));
}

TEST(LocalExec, OtherwiseTheDeployCommandRunsAndMustSucceed) {
  ExecFixture f;
  f.runner.on({"test", "-f", "migrated"}, {answer(1)});
  f.runner.on({"./migrate.sh"}, {answer(0), answer(3, "", "no database")});
  // The build output in the command is resolved by the caller (cli/deploy_runner.cpp) first.
  config::Action deploy = f.deploy("migrate");
  deploy.execCommand->argv[1] = "v-123";
  const DeployPlan plan = f.provider.planDeploy(deploy, false);
  EXPECT_EQ(plan.outcome, DeployOutcome::Created);
  f.provider.applyDeploy(plan, [](const std::string&) {});
  EXPECT_THAT(f.runner.calls(), ElementsAre("test -f migrated", "./migrate.sh v-123"));
  try {
    f.provider.applyDeploy(plan, [](const std::string&) {});
    FAIL() << "a failing deployCommand must fail the deploy";
  } catch (const ToolError& e) {
    EXPECT_EQ(e.stderrText(), "no database");
    EXPECT_THAT(e.what(), ::testing::HasSubstr("the deployCommand of Deploy migrate"));
  }
}

TEST(LocalExec, AnExecBuildAtSourceRunsItsCommandThroughTheShell) {
  ExecFixture f;
  f.runner.on({"/bin/sh", "-c"}, {answer(0)});
  const BuildResult result = f.provider.build(f.build("tools"), [](std::string_view) {});
  EXPECT_THAT(f.runner.calls(), ElementsAre("/bin/sh -c 'make tools && echo done'"));
  EXPECT_EQ(result.imageId, "");
  EXPECT_EQ(result.version.rfind("v-", 0), 0u);
  EXPECT_EQ(result.version.size(), 14u);
}

// local-docker alone refuses an exec Deploy; wrapped, the exec Deploy is the wrapper's and the
// container Deploy goes to docker (here: the runner, which has no answer for docker).
TEST(LocalExec, ContainerActionsGoToTheWrappedProvider) {
  ExecFixture f;
  EXPECT_EQ(f.provider.name(), "local-docker");
  EXPECT_THROW(LocalDockerProvider(f.config, f.runner).checkDeploySupported(f.deploy("server")), Error);
  EXPECT_NO_THROW(f.provider.checkDeploySupported(f.deploy("server")));
  EXPECT_THROW(f.provider.planDeploy(f.deploy("web"), false), std::logic_error);
  EXPECT_THAT(f.runner.calls().at(0), ::testing::StartsWith("docker "));
}

TEST(LocalExec, AnExecDeployHasNoContainerToExecInto) {
  ExecFixture f;
  EXPECT_THROW(f.provider.exec(f.deploy("server"), {"ls"}), UsageError);
  EXPECT_TRUE(f.runner.calls().empty());
}

TEST(LocalExec, TheSpecHashChangesWithTheCommandAndTheEnvironment) {
  ExecFixture f;
  config::Action server = f.deploy("server");
  const std::string hash = execSpecHash(f.config, server);
  EXPECT_EQ(execSpecHash(f.config, server), hash);
  server.execCommand->argv.back() = "2000";
  EXPECT_NE(execSpecHash(f.config, server), hash);
  server = f.deploy("server");
  server.env.emplace_back("X", "1");
  EXPECT_NE(execSpecHash(f.config, server), hash);
}

TEST(LocalExec, TheBuildCopyHoldsWhatIncludeAndExcludeSelect) {
  util::TempDir temp("gs-exec-copy-");
  const fs::path from = temp.path() / "src";
  auto write = [](const fs::path& file) {
    fs::create_directories(file.parent_path());
    std::ofstream(file) << file.filename().string();
  };
  for (const char* file : {"a.txt", "lib/b.txt", "lib/c.log", "docs/d.md", ".git/config", ".garden/x/y"})
    write(from / file);
  const fs::path to = from / ".garden/build/b";  // below the source, as for an action at the root
  write(to / "stale.txt");
  copyBuildContext(from, to, std::vector<std::string>{"*.txt", "lib/**/*"}, {"**/*.log"});
  std::vector<std::string> copied;
  for (const auto& entry : fs::recursive_directory_iterator(to))
    if (entry.is_regular_file()) copied.push_back(entry.path().lexically_relative(to).generic_string());
  std::sort(copied.begin(), copied.end());
  EXPECT_THAT(copied, ElementsAre("a.txt", "lib/b.txt"));
}

}  // namespace
}  // namespace gardensync::providers
