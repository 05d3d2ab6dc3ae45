#include "gardensync/sync/path_safety.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "gardensync/util/error.h"

namespace gardensync::sync {
namespace {

using namespace std::string_literals;

config::SyncPath pathOf(std::string source, std::filesystem::path local, std::string target) {
  config::SyncPath path;
  path.source = std::move(source);
  path.localPath = std::move(local);
  path.containerPath = std::move(target);
  path.position = {"garden.yml", 7, 9};
  return path;
}

// The issue formatted, or "" when the path passes.
std::string problem(const config::SyncPath& path) {
  try {
    checkSyncPathSafety(path, 2, "/project");
  } catch (const ConfigError& e) {
    return e.issues().at(0).format();
  }
  return "";
}

TEST(PathSafety, AcceptsOrdinaryPaths) {
  EXPECT_EQ(problem(pathOf("src", "/project/api/src", "/app/src")), "");
  EXPECT_EQ(problem(pathOf("/elsewhere/data", "/elsewhere/data", "/data")), "");
}

TEST(PathSafety, ANulByteCannotTurnTheTargetIntoTheContainerRoot) {
  EXPECT_THAT(problem(pathOf("src", "/project/src", "/\0x"s)),
              "garden.yml:7:9: spec.sync.paths[2].target: the container path contains the control character "
              "U+0000 (NUL) at byte 1");
}

TEST(PathSafety, ANulByteCannotHideATraversalOutOfTheProject) {
  // What `x/../../..\0/a/b` becomes once a NUL truncates it and the rest is normalised.
  EXPECT_THAT(problem(pathOf("x/../../..\0/a/b"s, "/project/x/../../..\0/a/b"s, "/app")),
              ::testing::HasSubstr("spec.sync.paths[2].source: the local path contains the control character U+0000"));
  EXPECT_THAT(problem(pathOf("../..", "/", "/app")), ::testing::HasSubstr("outside the project root /project"));
  EXPECT_THAT(problem(pathOf("a/../..", "/project/a/../..", "/app")), ::testing::HasSubstr("not absolute and normalised"));
}

TEST(PathSafety, RejectsRootRelativeAndUnnormalisedTargets) {
  EXPECT_THAT(problem(pathOf("src", "/project/src", "/")), ::testing::HasSubstr("must not be \"/\""));
  EXPECT_THAT(problem(pathOf("src", "/project/src", "/a/..")), ::testing::HasSubstr("must not be \"/\""));
  EXPECT_THAT(problem(pathOf("src", "/project/src", "app")), ::testing::HasSubstr("is not absolute"));
  EXPECT_THAT(problem(pathOf("src", "/project/src", "/app/../etc")),
              ::testing::HasSubstr("is not normalised (expected \"/etc\")"));
  EXPECT_THAT(problem(pathOf("src", "/project/src", "/app\n")), ::testing::HasSubstr("U+000A (line feed)"));
  EXPECT_THAT(problem(pathOf("src", "/project/src", "/app\xff")), ::testing::HasSubstr("is not valid UTF-8"));
}

}  // namespace
}  // namespace gardensync::sync
