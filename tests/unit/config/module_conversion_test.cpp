// Garden 0.12 Modules converted to actions as Garden 0.13 does (tests/fixtures/kinds/modules).
#include "gardensync/config/module_conversion.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "gardensync/config/loader.h"
#include "load_helpers.h"

namespace gardensync::config {
namespace {

using gardensync::testing::fixture;
using gardensync::testing::loadFixture;
using ::testing::ElementsAre;
using ::testing::Pair;

std::vector<std::string> keys(const std::vector<ActionRef>& refs) {
  std::vector<std::string> result;
  for (const auto& ref : refs) result.push_back(std::string(lowercaseKind(ref.kind)) + "." + ref.name);
  return result;
}

std::vector<std::string> actionKeys(const ProjectConfig& config) {
  std::vector<std::string> result;
  for (const auto& action : config.actions) result.push_back(action.key() + " (" + action.type + ")");
  std::sort(result.begin(), result.end());
  return result;
}

TEST(ModuleConversion, EachModuleTypeBecomesTheActionsGardenMakesOfIt) {
  ProjectConfig config = loadFixture("kinds/modules");
  EXPECT_THAT(actionKeys(config),
              ElementsAre("build.api (container)", "build.base (container)", "build.worker (exec)", "deploy.api (container)",
                          "deploy.chart-app (helm)", "deploy.db (container)", "deploy.infra (terraform)",
                          "deploy.k8s-app (kubernetes)", "deploy.worker-svc (exec)", "run.chart-seed (helm-pod)",
                          "run.migrate (container)", "run.worker-task (exec)", "test.api-unit (container)",
                          "test.worker-smoke (exec)"));
  // Module base has a Dockerfile and no services: only a Build, which api's Build depends on.
  EXPECT_THAT(keys(config.find(ActionKind::Build, "api")->dependencies), ElementsAre("build.base"));
  EXPECT_EQ(config.find(ActionKind::Deploy, "base"), nullptr);
}

TEST(ModuleConversion, AContainerModuleBuildsWithItsDockerfileAndDeploysItsServices) {
  ProjectConfig config = loadFixture("kinds/modules");
  const Action* build = config.find(ActionKind::Build, "api");
  ASSERT_NE(build, nullptr);
  EXPECT_EQ(build->targetStage, "dev");
  EXPECT_THAT(build->buildArgs, ElementsAre(Pair("NODE_ENV", "development")));
  EXPECT_EQ(build->dir, fixture("kinds/modules/api").lexically_normal());

  const Action* api = config.find(ActionKind::Deploy, "api");
  ASSERT_NE(api, nullptr);
  EXPECT_EQ(api->image, "${actions.build.api.outputs.deploymentImageId}");
  // Service and task names become deploy.<name> and run.<name>; the Build comes with `build`.
  EXPECT_THAT(keys(api->dependencies), ElementsAre("deploy.db", "run.migrate", "deploy.infra", "build.api"));
  EXPECT_THAT(*api->args, ElementsAre("npm", "start"));
  EXPECT_THAT(api->env, ElementsAre(Pair("LOG_LEVEL", "debug")));
  // 0.12's devMode is the Deploy's sync.
  ASSERT_TRUE(api->sync);
  EXPECT_THAT(*api->sync->command, ElementsAre("npm", "run", "dev"));
  ASSERT_EQ(api->sync->paths.size(), 1u);
  EXPECT_EQ(api->sync->paths[0].localPath, fixture("kinds/modules/api/src").lexically_normal());
  EXPECT_EQ(api->sync->paths[0].containerPath, "/app/src");
  EXPECT_EQ(api->sync->paths[0].mode, SyncMode::TwoWaySafe);
  EXPECT_THAT(api->sync->paths[0].exclude, ElementsAre("node_modules"));
  // Positions are where the module writes them.
  EXPECT_EQ(api->sync->paths[0].position.file, "api/garden.yml");
  EXPECT_EQ(api->sync->paths[0].position.line, 22);

  // Without a Dockerfile, a service runs the module's image; 0.13's `sync` works too.
  const Action* db = config.find(ActionKind::Deploy, "db");
  EXPECT_EQ(db->image, "postgres:15");
  EXPECT_TRUE(db->dependencies.empty());
  EXPECT_EQ(db->sync->paths.at(0).containerPath, "/seed");

  EXPECT_EQ(config.find(ActionKind::Test, "api-unit")->skipReason, "gardensync does not run Test actions");
  EXPECT_THAT(keys(config.find(ActionKind::Run, "migrate")->dependencies), ElementsAre("deploy.db", "build.api"));
}

TEST(ModuleConversion, AnExecModuleFoldsItsEnvAndRunsPersistentlyInSyncMode) {
  ProjectConfig config = loadFixture("kinds/modules");
  const Action* build = config.find(ActionKind::Build, "worker");
  ASSERT_NE(build, nullptr);
  EXPECT_TRUE(build->buildAtSource);  // `local: true`
  EXPECT_THAT(build->execCommand->argv, ElementsAre("/bin/sh", "-c", "make all"));
  const Action* service = config.find(ActionKind::Deploy, "worker-svc");
  ASSERT_NE(service, nullptr);
  EXPECT_EQ(service->build, "worker");
  EXPECT_THAT(service->env, ElementsAre(Pair("SHARED", "1"), Pair("OWN", "2")));
  EXPECT_FALSE(service->persistent);  // not deployed with --sync
  EXPECT_THAT(service->execCommand->argv, ElementsAre("/bin/sh", "-c", "./run.sh"));

  LoadOptions options;
  options.root = fixture("kinds/modules");
  options.cwd = *options.root;
  options.command.name = "deploy";
  options.command.params = {{"sync", "worker-svc"}};
  ProjectConfig synced = loadProject(options);
  const Action* persistent = synced.find(ActionKind::Deploy, "worker-svc");
  EXPECT_TRUE(persistent->persistent);
  EXPECT_THAT(persistent->execCommand->argv, ElementsAre("/bin/sh", "-c", "./run.sh --watch"));
}

TEST(ModuleConversion, KubernetesAndHelmModulesSyncTheirServiceResource) {
  ProjectConfig config = loadFixture("kinds/modules");
  const Action* app = config.find(ActionKind::Deploy, "k8s-app");
  ASSERT_NE(app, nullptr);
  EXPECT_THAT(keys(app->dependencies), ElementsAre("build.api", "deploy.db"));
  ASSERT_EQ(app->manifests.size(), 1u);
  ASSERT_TRUE(app->defaultTarget);
  EXPECT_EQ(app->defaultTarget->kind, "Deployment");
  EXPECT_EQ(app->defaultTarget->name, "k8s-app");
  const SyncPath& path = app->sync->paths.at(0);
  EXPECT_EQ(path.localPath, fixture("kinds/modules/k8s").lexically_normal());
  EXPECT_EQ(path.containerPath, "/app");
  EXPECT_EQ(path.mode, SyncMode::OneWaySafe);
  ASSERT_EQ(app->sync->overrides.size(), 1u);
  EXPECT_THAT(*app->sync->overrides[0].command, ElementsAre("npm", "run", "dev"));

  const Action* chart = config.find(ActionKind::Deploy, "chart-app");
  ASSERT_NE(chart, nullptr);
  EXPECT_EQ(chart->helm->path, (fixture("kinds/modules/chart") / ".").lexically_normal());  // the module's folder
  EXPECT_EQ(chart->helm->values["replicas"], 1);
  EXPECT_EQ(chart->sync->paths.at(0).containerPath, "/templates");
}

}  // namespace
}  // namespace gardensync::config
