#include "gardensync/config/loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "gardensync/config/template.h"
#include "load_helpers.h"

namespace gardensync::config {
namespace {

using gardensync::testing::fixture;
using gardensync::testing::loadErrors;
using gardensync::testing::loadFixture;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(Loader, ContainerSyncExampleFromTheDocs) {
  ProjectConfig config = loadFixture("seed/container-sync");
  EXPECT_EQ(config.project.name, "seed-container-sync");
  EXPECT_EQ(config.environment, "local");
  EXPECT_EQ(config.provider.name, "local-docker");  // no provider named: the embedded default
  const Action* deploy = config.find(ActionKind::Deploy, "node-service");
  ASSERT_NE(deploy, nullptr);
  EXPECT_EQ(deploy->image, "${actions.build.node-service-build.outputs.deploymentImageId}");
  EXPECT_THAT(*deploy->args, ElementsAre("npm", "run", "serve"));
  ASSERT_EQ(deploy->sync->paths.size(), 1u);
  const SyncPath& path = deploy->sync->paths[0];
  EXPECT_EQ(path.containerPath, "/app/src");
  EXPECT_EQ(path.source, "src");
  EXPECT_EQ(path.localPath, fixture("seed/container-sync/node-service/src").lexically_normal());
  EXPECT_EQ(path.mode, SyncMode::TwoWaySafe);
  EXPECT_THAT(path.exclude, ElementsAre("node_modules"));
  ASSERT_EQ(deploy->dependencies.size(), 1u);
  EXPECT_EQ(deploy->dependencies[0].name, "node-service-build");
  EXPECT_TRUE(config.warnings.empty());
}

TEST(Loader, KubernetesExampleUsesSourcePathAndContainerPath) {
  ProjectConfig config = loadFixture("seed/kubernetes-sync");
  EXPECT_EQ(config.provider.name, "kubernetes");
  EXPECT_EQ(config.provider.kubernetesNamespace, "seed-kubernetes");
  EXPECT_THAT(config.provider.syncDefaults.exclude, ElementsAre("/**/node_modules"));
  const Action* deploy = config.find(ActionKind::Deploy, "node-service");
  ASSERT_NE(deploy, nullptr);
  EXPECT_EQ(deploy->type, "kubernetes");
  ASSERT_TRUE(deploy->defaultTarget);
  EXPECT_EQ(deploy->defaultTarget->kind, "Deployment");
  EXPECT_EQ(deploy->defaultTarget->name, "vote");
  const SyncPath& path = deploy->sync->paths.at(0);
  EXPECT_EQ(path.containerPath, "/app/src");
  EXPECT_EQ(path.localPath, "/src");  // absolute: used as it is, as Garden does
  ASSERT_EQ(deploy->sync->overrides.size(), 1u);
  EXPECT_THAT(*deploy->sync->overrides[0].command, ElementsAre("npm", "run", "dev"));
  // /src does not exist here: a warning, not an error.
  EXPECT_THAT(config.warnings, Contains(HasSubstr("garden.yml:11:21: spec.sync.paths[0].sourcePath: /src does not exist")));
}

TEST(Loader, PermissionsExampleReadsOctalModesAndIds) {
  ProjectConfig config = loadFixture("seed/permissions");
  const SyncPath& path = config.find(ActionKind::Deploy, "node-service")->sync->paths.at(0);
  EXPECT_EQ(path.defaultOwner, "1000");
  EXPECT_EQ(path.defaultGroup, "1000");
  EXPECT_EQ(path.defaultFileMode, 0666u);
  EXPECT_EQ(path.defaultDirectoryMode, 0777u);
}

TEST(Loader, ExcludesExampleKeepsGlobPatterns) {
  ProjectConfig config = loadFixture("seed/excludes");
  const SyncPath& path = config.find(ActionKind::Deploy, "node-service")->sync->paths.at(0);
  EXPECT_THAT(path.exclude, ElementsAre("node_modules", "tmp", "**/*.log"));
}

TEST(Loader, AdvancedExampleReadsProjectAndDeployFromOneFile) {
  ProjectConfig config = loadFixture("seed/advanced");
  EXPECT_EQ(config.provider.name, "kubernetes");
  const SyncDefaults& defaults = config.provider.syncDefaults;
  EXPECT_THAT(defaults.exclude, ElementsAre("/**/node_modules"));
  EXPECT_EQ(defaults.owner, "1000");
  EXPECT_EQ(defaults.group, "1000");
  EXPECT_EQ(defaults.fileMode, 0666u);
  EXPECT_EQ(defaults.directoryMode, 0777u);
  const Action* deploy = config.find(ActionKind::Deploy, "node-service");
  ASSERT_NE(deploy, nullptr);
  EXPECT_THAT(*deploy->sync->command, ElementsAre("npm", "run", "dev"));
  ASSERT_EQ(deploy->sync->paths.size(), 2u);
  EXPECT_EQ(deploy->sync->paths[0].mode, SyncMode::OneWayReplica);
  EXPECT_EQ(deploy->sync->paths[1].mode, SyncMode::OneWayReplicaReverse);
  EXPECT_EQ(deploy->sync->paths[1].containerPath, "/test-artifacts");
}

TEST(Loader, TemplatesResolveVariablesEnvironmentAndLocalEnv) {
  ProjectConfig config = loadFixture("errors/all-modes");
  EXPECT_EQ(config.environment, "dev");
  EXPECT_EQ(config.provider.syncDefaults.owner, "1000");  // ${var.owner} from the environment
  EXPECT_EQ(config.find(ActionKind::Deploy, "app")->image, "img:dev");
}

TEST(Loader, UnknownEnvironmentIsAUsageError) {
  EXPECT_THROW(loadFixture("errors/all-modes", "prod"), UsageError);
}

TEST(Loader, ReportsEveryErrorOfARunWithPositions) {
  std::vector<std::string> errors = loadErrors("errors/many");
  EXPECT_THAT(errors, ElementsAre(
      "api/api.garden.yml:5:10: spec.image: ${var.missing}: no variable named \"missing\" is defined",
      "api/api.garden.yml:10:15: spec.sync.paths[0].mode: \"two-ways\" is not a sync mode (did you mean \"two-way\"? "
      "expected one of: "
      "one-way, one-way-safe, one-way-replica, one-way-reverse, one-way-replica-reverse, two-way, "
      "two-way-safe, two-way-resolved)",
      "api/api.garden.yml:13:9: spec.sync.paths[1].exlude: is not a known key (did you mean \"exclude\"?)",
      "api/api.garden.yml:11:17: spec.sync.paths[1].target: \"relative/path\" must be an absolute path in the container",
      ::testing::StartsWith("api/api.garden.yml:12:17: spec.sync.paths[1].source: \"../../..\" resolves to "),
      "api/api.garden.yml:14:17: spec.sync.paths[2].target: must not be \"/\": syncing the container's root would "
      "overwrite its system files",
      "api/api.garden.yml:17:19: spec.sync.paths[2].exclude[0]: \"*.{js,ts}\" contains a comma, which Mutagen's "
      "--ignore treats as a separator; write one pattern per list entry",
      "api/api.garden.yml:16:23: spec.sync.paths[2].defaultOwner: \"bad name!\" is not a user/group id (integer) or name",
      "api/api.garden.yml:15:26: spec.sync.paths[2].defaultFileMode: \"999\" is ambiguous: write permission bits in "
      "octal with a leading 0 (e.g. 0644)"));
}

TEST(Loader, YamlSyntaxErrorIsPositioned) {
  std::vector<std::string> errors = loadErrors("errors/syntax");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], ::testing::StartsWith("broken.garden.yml:6:"));
  EXPECT_THAT(errors[0], HasSubstr("YAML syntax error"));
}

TEST(Loader, GraphErrorsDuplicatesUnknownDependenciesCyclesAndKinds) {
  std::vector<std::string> errors = loadErrors("errors/graph");
  EXPECT_THAT(errors, ElementsAre(
      "project.garden.yml:32:7: kind: \"Frobnicate\" is not a known kind (expected Project, Build, Deploy, Run, "
      "Test, Workflow, Module, Command, ConfigTemplate or RenderTemplate)",
      // At the duplicate's name, naming the first definition.
      "project.garden.yml:23:7: name: Deploy \"web\" is already defined at project.garden.yml:15:1",
      // The YAML index: test.unit is entry 0.
      "project.garden.yml:18:27: dependencies[1]: deploy.web depends on build.nope, which is not defined",
      "project.garden.yml:5:1: dependencies: dependency cycle: build.a -> build.b -> build.a"));
}

TEST(Loader, EscapesSurviveUntilBuildOutputsResolve) {
  ProjectConfig config = loadFixture("errors/escapes");
  EXPECT_THAT(config.find(ActionKind::Build, "api")->buildArgs,
              ElementsAre(std::pair<std::string, std::string>("GREETING", "${USER}")));
  const Action* app = config.find(ActionKind::Deploy, "app");
  ASSERT_NE(app, nullptr);
  // An escaped reference to Build nope is no dependency.
  ASSERT_EQ(app->dependencies.size(), 1u);
  EXPECT_EQ(app->dependencies[0].name, "api");
  // The strings resolved after the builds keep their escapes until then.
  EXPECT_THAT(*app->command, ElementsAre("sh", "-c", "echo $${HOME"));
  EXPECT_THAT(*app->args, ElementsAre("$${actions.build.nope.outputs.version}", "$${HOME}",
                                      "${actions.build.api.outputs.version}"));
  const std::map<std::string, std::string> outputs{{"api.version", "v-1"}};
  EXPECT_EQ(resolveBuildOutputs(app->command->at(2), outputs), "echo ${HOME");
  EXPECT_EQ(resolveBuildOutputs(app->args->at(0), outputs), "${actions.build.nope.outputs.version}");
  EXPECT_EQ(resolveBuildOutputs(app->args->at(1), outputs), "${HOME}");
  EXPECT_EQ(resolveBuildOutputs(app->args->at(2), outputs), "v-1");
  ASSERT_EQ(app->env.size(), 1u);
  EXPECT_EQ(resolveBuildOutputs(app->env[0].second, outputs), "${actions.build.api.outputs.version}");
  EXPECT_EQ(resolveBuildOutputs(app->sync->command->at(0), outputs), "${PATH}");
  EXPECT_EQ(resolveBuildOutputs(app->sync->args->at(0), outputs), "${x}");
  // Everywhere else the escape is gone at load time.
  EXPECT_THAT(app->sync->paths.at(0).exclude, ElementsAre("${tmp}"));
}

TEST(Loader, KubernetesSyncPathRejectsSourceAndAPathTarget) {
  EXPECT_THAT(loadErrors("errors/kubernetes-source"), ElementsAre(
      // The fixture's helm Deploy names no chart, which a helm Deploy needs besides its syncs.
      "project.garden.yml:11:3: spec.chart.path: is required (the folder of a local chart, relative to the action's "
      "folder)",
      "project.garden.yml:14:9: spec.sync.paths[0].source: is not a known key here (did you mean \"sourcePath\"?)",
      "project.garden.yml:17:17: spec.sync.paths[1].target: expected a workload {kind, name, containerName}, got "
      "\"/app\" (the path in the container is containerPath)",
      "project.garden.yml:16:9: spec.sync.paths[1].containerPath: is required (the absolute path in the container)"));
}

TEST(Loader, MissingSyncTargetIsReportedUnderTheKeyOfTheDeployType) {
  EXPECT_THAT(loadErrors("errors/missing-target"), ElementsAre(
      "project.garden.yml:12:9: spec.sync.paths[0].target: is required (the absolute path in the container; also "
      "spelled containerPath)",
      "project.garden.yml:22:9: spec.sync.paths[0].containerPath: is required (the absolute path in the container)"));
}

TEST(Loader, VariablesResolveInDependencyOrderAndEnvironmentsOverride) {
  ProjectConfig config = loadFixture("errors/variables-order");
  const Action* app = config.find(ActionKind::Deploy, "app");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->image, "registry.local/app:1");  // project variables see project variables
  EXPECT_THAT(app->env, ElementsAre(std::pair<std::string, std::string>("PATH", "/bin:/opt"),
                                    std::pair<std::string, std::string>("TAG", "dev-2")));
}

TEST(Loader, VariableErrorsArePositionedAndCyclesNamed) {
  EXPECT_THAT(loadErrors("errors/variables-errors"), ElementsAre(
      "project.garden.yml:9:6: variables.e: ${var.nope}: no variable named \"nope\" is defined",
      "project.garden.yml:5:6: variables.a: variable cycle: a -> b -> c -> a",
      "project.garden.yml:13:10: environments[0].variables.f: ${var.missing}: no variable named \"missing\" is "
      "defined",
      "project.garden.yml:14:10: environments[0].variables.g: variable cycle: g -> g"));
}

// Variables doubling one another stop at 1 MiB; a Deploy repeating a 1 MiB variable stops at the
// load's 64 MiB, once, and nothing after it is read.
TEST(Loader, ResolvedStringsAreLimitedPerStringAndPerLoad) {
  EXPECT_THAT(loadErrors("limits/doubling-variables"), ElementsAre(
      "project.garden.yml:27:8: variables.v21: resolves to more than 1 MiB (1048576 bytes); gardensync stops here "
      "to protect memory",
      "project.garden.yml:116:10: spec.env.K62: the strings resolved in this project would pass 64 MiB (67108864 "
      "bytes) in total; gardensync stops here to protect memory"));
}

TEST(Loader, DefaultEnvironmentMustBeDefined) {
  EXPECT_THAT(loadErrors("errors/default-environment"), ElementsAre(
      "project.garden.yml:4:21: defaultEnvironment: \"prod\" is not an environment of this project (defined: "
      "local, ci)"));
}

TEST(Loader, FindsTheProjectByWalkingUp) {
  LoadOptions options;
  options.cwd = fixture("seed/container-sync/node-service/src");
  EXPECT_EQ(findProjectRoot(options), fixture("seed/container-sync").lexically_normal());
}

TEST(Loader, MissingProjectIsAUsageError) {
  LoadOptions options;
  options.cwd = "/";
  EXPECT_THROW(findProjectRoot(options), UsageError);
}

}  // namespace
}  // namespace gardensync::config
