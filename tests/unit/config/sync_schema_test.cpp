#include "gardensync/config/sync_schema.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "gardensync/util/text.h"

namespace gardensync::config {
namespace {

// Reads one container Deploy sync path written as YAML; returns the errors, formatted.
std::vector<std::string> errorsOf(const std::string& yaml) {
  Diagnostics diagnostics;
  YamlReader reader("garden.yml", diagnostics, nullptr);
  SyncSchemaContext context;
  context.deployType = "container";
  context.actionDir = "/project";
  context.projectRoot = "/project";
  parseSyncConfig(reader, YAML::Load(yaml), "spec.sync", context);
  std::vector<std::string> lines;
  for (const auto& issue : diagnostics.errors) lines.push_back(issue.format());
  return lines;
}

// Parses spec.sync of a Deploy of `type`; returns the parsed config and collects the errors.
std::optional<SyncConfig> parseOf(const std::string& yaml, std::vector<std::string>& errors,
                                  const std::string& type = "container") {
  Diagnostics diagnostics;
  YamlReader reader("garden.yml", diagnostics, nullptr);
  SyncSchemaContext context;
  context.deployType = type;
  context.actionDir = "/project";
  context.projectRoot = "/project";
  auto sync = parseSyncConfig(reader, YAML::Load(yaml), "spec.sync", context);
  for (const auto& issue : diagnostics.errors) errors.push_back(issue.format());
  return sync;
}

TEST(AfterSyncSchema, ReadsRunAndRestart) {
  std::vector<std::string> errors;
  auto sync = parseOf("paths:\n"
                      "  - source: src\n"
                      "    target: /app/src\n"
                      "    afterSync:\n"
                      "      run: [npm, run, build]\n"
                      "  - source: src\n"
                      "    target: /app/b\n"
                      "    afterSync: {restart: true}\n"
                      "  - source: src\n"
                      "    target: /app/c\n",
                      errors);
  ASSERT_TRUE(errors.empty()) << errors.front();
  ASSERT_EQ(sync->paths.size(), 3u);
  ASSERT_TRUE(sync->paths[0].afterSync);
  EXPECT_THAT(sync->paths[0].afterSync->run, ::testing::ElementsAre("npm", "run", "build"));
  EXPECT_FALSE(sync->paths[0].afterSync->restart);
  EXPECT_EQ(sync->paths[0].afterSync->position.line, 5);
  ASSERT_TRUE(sync->paths[1].afterSync);
  EXPECT_TRUE(sync->paths[1].afterSync->run.empty());
  EXPECT_TRUE(sync->paths[1].afterSync->restart);
  EXPECT_FALSE(sync->paths[2].afterSync);
}

TEST(AfterSyncSchema, RejectsMistakesWithPositionAndKeyPath) {
  const std::string head = "paths:\n  - source: src\n    target: /app\n";
  auto one = [&](const std::string& afterSync) { return errorsOf(head + "    afterSync:\n" + afterSync); };
  EXPECT_THAT(one("      run: [make]\n      restart: true\n"),
              ::testing::ElementsAre("garden.yml:6:16: spec.sync.paths[0].afterSync.restart: give either run or "
                                     "restart, not both (a restart would interrupt the command)"));
  EXPECT_THAT(one("      restat: true\n"),
              ::testing::ElementsAre(::testing::HasSubstr(
                                         "garden.yml:5:7: spec.sync.paths[0].afterSync.restat: is not a known key (did "
                                         "you mean \"restart\"?)")));
  EXPECT_THAT(one("      run: npm run build\n"),
              ::testing::ElementsAre(::testing::HasSubstr(
                  "garden.yml:5:12: spec.sync.paths[0].afterSync.run: expected the command as a list of arguments, "
                  "got \"npm run build\"")));
  EXPECT_THAT(one("      run: []\n"), ::testing::ElementsAre(::testing::HasSubstr(
                                         "spec.sync.paths[0].afterSync.run: must name a command")));
  EXPECT_THAT(one("      run: [\"\"]\n"),
              ::testing::ElementsAre(::testing::HasSubstr("afterSync.run: the program must not be empty")));
  EXPECT_THAT(one("      run: [sh, \"a\\u0007b\"]\n"),
              ::testing::ElementsAre(::testing::HasSubstr("spec.sync.paths[0].afterSync.run[1]")));
  EXPECT_THAT(one("      restart: yes-please\n"),
              ::testing::ElementsAre(::testing::HasSubstr(
                  "spec.sync.paths[0].afterSync.restart: expected true or false, got \"yes-please\"")));
  EXPECT_THAT(one("      {}\n"), ::testing::ElementsAre(::testing::HasSubstr(
                                      "spec.sync.paths[0].afterSync: needs run (a command to run in the container) or "
                                      "restart: true")));
  EXPECT_THAT(one("      - make\n"), ::testing::ElementsAre(::testing::HasSubstr("spec.sync.paths[0].afterSync")));
}

TEST(AfterSyncSchema, RestartFalseAloneIsNoAction) {
  std::vector<std::string> errors;
  auto sync = parseOf("paths:\n  - {source: src, target: /app, afterSync: {restart: false}}\n", errors);
  EXPECT_TRUE(errors.empty());
  ASSERT_TRUE(sync->paths[0].afterSync);
  EXPECT_FALSE(sync->paths[0].afterSync->restart);
  EXPECT_TRUE(sync->paths[0].afterSync->run.empty());
}

// Nothing goes to the container in the reverse modes, so nothing would ever start the action.
TEST(AfterSyncSchema, ReverseModesAreRefused) {
  for (const std::string mode : {"one-way-replica-reverse", "one-way-reverse"}) {
    EXPECT_THAT(errorsOf("paths:\n  - source: src\n    target: /app\n    mode: " + mode +
                         "\n    afterSync: {run: [make]}\n"),
                ::testing::ElementsAre("garden.yml:5:16: spec.sync.paths[0].afterSync: after-sync actions run once "
                                       "changes have reached the container, and in mode " +
                                       mode +
                                       " nothing goes to the container (it syncs container to local); remove "
                                       "afterSync or choose a mode that syncs to the container"));
  }
  for (const std::string mode : {"one-way", "one-way-replica", "two-way-safe", "two-way-resolved"})
    EXPECT_THAT(errorsOf("paths:\n  - {source: src, target: /app, mode: " + mode + ", afterSync: {restart: true}}\n"),
                ::testing::IsEmpty());
}

TEST(AfterSyncSchema, KubernetesPathsTakeAfterSyncAndRebuildOn) {
  std::vector<std::string> errors;
  auto sync = parseOf("rebuildOn: [Dockerfile]\n"
                      "paths:\n"
                      "  - sourcePath: src\n"
                      "    containerPath: /app\n"
                      "    afterSync: {run: [kill, -HUP, \"1\"]}\n",
                      errors, "kubernetes");
  ASSERT_TRUE(errors.empty()) << errors.front();
  EXPECT_THAT(sync->rebuildOn, ::testing::ElementsAre("Dockerfile"));
  EXPECT_THAT(sync->paths[0].afterSync->run, ::testing::ElementsAre("kill", "-HUP", "1"));
}

TEST(AfterSyncSchema, ReadsAndChecksRebuildOn) {
  std::vector<std::string> errors;
  auto sync = parseOf("rebuildOn: [Dockerfile, \"config/**/*.json\", ./package.json]\npaths: []\n", errors);
  ASSERT_TRUE(errors.empty()) << errors.front();
  EXPECT_THAT(sync->rebuildOn, ::testing::ElementsAre("Dockerfile", "config/**/*.json", "./package.json"));
  EXPECT_EQ(sync->rebuildOnPosition.line, 1);

  EXPECT_THAT(errorsOf("rebuildOn: [\"\", /etc/passwd, ../Dockerfile, \"a\\\\b\", \"[ab\"]\n"),
              ::testing::ElementsAre(
                  "garden.yml:1:13: spec.sync.rebuildOn[0]: a pattern must not be empty",
                  "garden.yml:1:17: spec.sync.rebuildOn[1]: \"/etc/passwd\" must be relative to the Build's source "
                  "folder",
                  "garden.yml:1:30: spec.sync.rebuildOn[2]: \"../Dockerfile\" must stay inside the Build's source "
                  "folder (no \"..\")",
                  "garden.yml:1:45: spec.sync.rebuildOn[3]: \"a\\b\" contains a backslash; separate folders with \"/\"",
                  "garden.yml:1:53: spec.sync.rebuildOn[4]: \"[ab\" has an unbalanced \"[\" or \"]\""));
  EXPECT_THAT(errorsOf("rebuildOn: Dockerfile\n"),
              ::testing::ElementsAre(::testing::HasSubstr("spec.sync.rebuildOn: expected a list of strings")));
  EXPECT_THAT(errorsOf("rebuildOnn: [Dockerfile]\n"),
              ::testing::ElementsAre(::testing::HasSubstr("spec.sync.rebuildOnn: is not a known key (did you mean "
                                                          "\"rebuildOn\"?)")));
}

// A 300-byte name fails with ENAMETOOLONG in whatever touches it first; validate says so instead.
TEST(SyncSchema, OverlongPathNamesAreConfigErrors) {
  const std::string longName(300, 'n');
  EXPECT_THAT(errorsOf("paths:\n  - source: src/" + longName + "\n    target: /app\n"),
              ::testing::ElementsAre(::testing::HasSubstr(
                  "spec.sync.paths[0].source: has a name of 300 bytes (\"nnnnnnnnnnnnnnnnnnnn...\"); names in a "
                  "path may have at most 255")));
  EXPECT_THAT(errorsOf("paths:\n  - source: src\n    target: /app/" + longName + "\n"),
              ::testing::ElementsAre(::testing::HasSubstr("spec.sync.paths[0].target: has a name of 300 bytes")));
}

TEST(SyncSchema, PathLengthLimits) {
  EXPECT_FALSE(util::pathLengthProblem("/app/" + std::string(255, 'a')));
  EXPECT_TRUE(util::pathLengthProblem("/app/" + std::string(256, 'a')));
  EXPECT_TRUE(util::pathLengthProblem(std::string(4096, '/')));
}

}  // namespace
}  // namespace gardensync::config
