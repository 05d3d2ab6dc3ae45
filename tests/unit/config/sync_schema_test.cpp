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
