#include "gardensync/config/file_scan.h"

#include <gtest/gtest.h>

namespace gardensync::config {
namespace {

TEST(Glob, SegmentsAndDoubleStars) {
  EXPECT_TRUE(globMatch("vendor", "vendor/x/garden.yml"));
  EXPECT_TRUE(globMatch("*.tmp", "a.tmp"));
  EXPECT_FALSE(globMatch("*.tmp", "dir/a.tmp"));
  EXPECT_TRUE(globMatch("**/*.tmp", "dir/sub/a.tmp"));
  EXPECT_TRUE(globMatch("**/fixtures", "a/b/fixtures/garden.yml"));
  EXPECT_TRUE(globMatch("./build/", "build/x"));
  EXPECT_FALSE(globMatch("buil?", "build2"));
}

TEST(Glob, ConfigFileNames) {
  EXPECT_TRUE(isConfigFileName("garden.yml"));
  EXPECT_TRUE(isConfigFileName("api.garden.yml"));
  EXPECT_FALSE(isConfigFileName(".garden.yml"));
  // Garden reads the .yaml spelling too.
  EXPECT_TRUE(isConfigFileName("garden.yaml"));
  EXPECT_TRUE(isConfigFileName("api.garden.yaml"));
  EXPECT_FALSE(isConfigFileName(".garden.yaml"));
  EXPECT_FALSE(isConfigFileName("api.yaml"));
}

}  // namespace
}  // namespace gardensync::config
