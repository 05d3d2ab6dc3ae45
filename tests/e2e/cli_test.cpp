// The command line as a user and a CI script meet it: help, exit codes, positioned config
// errors and the dry-run plan.
#include <gtest/gtest.h>

#include "harness.h"

namespace gardensync::e2e {
namespace {

namespace fs = std::filesystem;

Run gardensyncIn(const fs::path& root, const std::vector<std::string>& args) {
  std::vector<std::string> argv{GARDENSYNC_BINARY, "--root", root.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  auto result = util::runProcess(argv);
  return {result.exitCode, result.stdoutText, result.stderrText};
}

const fs::path kFixtures = GARDENSYNC_FIXTURES_DIR;

TEST(Cli, HelpExplainsEveryCommand) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--help"}, {"deploy", "--help"}, {"sync", "--help"}, {"sync", "status", "--help"},
        {"validate", "--help"}, {"cleanup", "deploy", "--help"}, {"util", "--help"}}) {
    std::vector<std::string> argv{GARDENSYNC_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    auto run = util::runProcess(argv);
    EXPECT_EQ(run.exitCode, 0) << args.front();
    EXPECT_NE(run.stdoutText.find("Examples:"), std::string::npos) << run.stdoutText;
  }
}

TEST(Cli, UsageErrorsExitTwo) {
  auto unknown = util::runProcess({GARDENSYNC_BINARY, "frobnicate"});
  EXPECT_EQ(unknown.exitCode, 2);
  auto badOutput = util::runProcess({GARDENSYNC_BINARY, "--output", "xml", "version"});
  EXPECT_EQ(badOutput.exitCode, 2);
  auto noProject = util::runProcess({GARDENSYNC_BINARY, "--root", "/", "validate"});
  EXPECT_EQ(noProject.exitCode, 2);
  EXPECT_NE(noProject.stderrText.find("no project.garden.yml"), std::string::npos) << noProject.stderrText;
}

TEST(Cli, ValidateAcceptsEveryExampleOfTheDocs) {
  for (const char* example : {"container-sync", "kubernetes-sync", "excludes", "permissions", "advanced"}) {
    auto run = gardensyncIn(kFixtures / "seed" / example, {"validate"});
    EXPECT_EQ(run.exitCode, 0) << example << ": " << run.err;
    EXPECT_NE(run.out.find("is valid"), std::string::npos) << run.out;
  }
}

TEST(Cli, BrokenConfigGetsEveryErrorWithPositions) {
  auto run = gardensyncIn(kFixtures / "errors/many", {"validate"});
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_NE(run.err.find("9 configuration errors"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("api/api.garden.yml:10:15: spec.sync.paths[0].mode: \"two-ways\" is not a sync mode"),
            std::string::npos)
      << run.err;
  auto syntax = gardensyncIn(kFixtures / "errors/syntax", {"deploy", "--sync=*", "--dry-run"});
  EXPECT_EQ(syntax.exitCode, 2);
  EXPECT_NE(syntax.err.find("broken.garden.yml:6:"), std::string::npos) << syntax.err;
}

TEST(Cli, DryRunJsonOfTheAdvancedExample) {
  auto run = gardensyncIn(kFixtures / "seed/advanced", {"deploy", "--sync=*", "--dry-run", "--output", "json"});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  auto sessions = run.json()["sessions"];
  ASSERT_EQ(sessions.size(), 2u);
  EXPECT_EQ(sessions[0]["alpha"], "/app/src");
  EXPECT_EQ(sessions[0]["mode"], "one-way-replica");
  EXPECT_EQ(sessions[0]["ignore"], nlohmann::json::array({"/**/node_modules"}));
  EXPECT_EQ(sessions[0]["defaultOwner"], "id:1000");
  EXPECT_EQ(sessions[0]["defaultGroup"], "id:1000");
  EXPECT_EQ(sessions[0]["defaultFileMode"], "0666");
  EXPECT_EQ(sessions[0]["defaultDirectoryMode"], "0777");
  EXPECT_EQ(sessions[1]["gardenMode"], "one-way-replica-reverse");
  EXPECT_EQ(sessions[1]["beta"], "/test-artifacts");
  // Mutagen's SSH endpoint to gardensync's kubectl transport: namespace, workload, container and
  // session in the host (docs/kubernetes.md).
  const std::string alpha = sessions[1]["alpha"];
  EXPECT_EQ(alpha.rfind("kube_seed-advanced_deployment_node-service_node-service_node-service-1_", 0), 0u) << alpha;
  EXPECT_EQ(alpha.substr(alpha.size() - 16), ":/test-artifacts") << alpha;
}

TEST(Cli, SyncTakesGardensForms) {
  const fs::path root = kFixtures / "errors/all-modes";
  for (const std::vector<std::string>& form : {std::vector<std::string>{"--sync=*"}, {"--sync", "app"}, {"--sync=app,app"},
                                               {"--sync", "app", "--sync", "app"}, {"app", "--sync"}, {"--sync"}}) {
    std::vector<std::string> args{"deploy"};
    args.insert(args.end(), form.begin(), form.end());
    args.insert(args.end(), {"--dry-run", "--output", "json"});
    auto run = gardensyncIn(root, args);
    ASSERT_EQ(run.exitCode, 0) << form.front() << ": " << run.err;
    EXPECT_EQ(run.json()["sessions"].size(), 9u) << form.front();
  }
  auto unknown = gardensyncIn(root, {"deploy", "--sync", "app,nope", "--dry-run"});
  EXPECT_EQ(unknown.exitCode, 2);
  EXPECT_NE(unknown.err.find("no Deploy named \"nope\""), std::string::npos) << unknown.err;
}

TEST(Cli, DryRunTouchesNeitherDockerNorMutagen) {
  Project project("e2e-dry-run");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", "kind: Build\nname: img\ntype: container\n---\n" +
                                  sleepDeployYaml("app", "      - source: src\n        target: /app/src\n") +
                                  "  env:\n    TAG: ${actions.build.img.outputs.version}\n");
  project.write("src/a.txt", "a");
  auto run = project.gardensync({"deploy", "--sync=*", "--dry-run"});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_NE(run.out.find("app-0"), std::string::npos) << run.out;
  EXPECT_FALSE(fs::exists(project.root() / ".garden"));  // no Mutagen data dir was prepared
  EXPECT_NE(project.exec("app", {"true"}).exitCode, 0);   // no container
}

TEST(Cli, MissingSourceIsAWarningForValidateAndAnErrorForDeploy) {
  Project project("e2e-missing-source");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", sleepDeployYaml("app", "      - source: nope\n        target: /app/src\n"));
  auto validate = project.gardensync({"validate"});
  EXPECT_EQ(validate.exitCode, 0);
  EXPECT_NE(validate.err.find("garden.yml:9:17: spec.sync.paths[0].source:"), std::string::npos) << validate.err;
  auto deploy = project.gardensync({"deploy", "--sync=*"});
  EXPECT_EQ(deploy.exitCode, 1);
  EXPECT_NE(deploy.err.find("does not exist"), std::string::npos) << deploy.err;
}

}  // namespace
}  // namespace gardensync::e2e

namespace gardensync::e2e {
namespace {

TEST(Cli, SyncsCanBeInspectedAndStoppedWhileAFileIsBroken) {
  Project project("e2e-broken-config");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", sleepDeployYaml("app", "      - source: src\n        target: /app/src\n"));
  project.write("src/a.txt", "a");
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);
  project.write("garden.yml", "kind: Deploy\nname: app\ntype: container\nspec: [broken\n");  // mid-edit
  auto status = project.gardensync({"sync", "status", "--output", "json"});
  ASSERT_EQ(status.exitCode, 0) << status.err;
  EXPECT_EQ(status.json()["sessions"].size(), 1u);
  EXPECT_NE(status.err.find("has errors"), std::string::npos) << status.err;
  auto stop = project.gardensync({"sync", "stop"});
  EXPECT_EQ(stop.exitCode, 0) << stop.err;
  auto cleanup = project.gardensync({"cleanup", "deploy"});
  EXPECT_EQ(cleanup.exitCode, 0) << cleanup.err;
  EXPECT_NE(cleanup.out.find("removed 1 container"), std::string::npos) << cleanup.out;
  // Nothing is left to sync, so nothing of the project keeps running.
  EXPECT_NE(cleanup.out.find("The project's Mutagen daemon is stopped too."), std::string::npos) << cleanup.out;
  EXPECT_EQ(project.gardensync({"sync", "status", "--output", "json"}).json()["daemonRunning"], false);
  EXPECT_EQ(project.gardensync({"deploy"}).exitCode, 2);  // deploying still needs a valid config
}

}  // namespace
}  // namespace gardensync::e2e
