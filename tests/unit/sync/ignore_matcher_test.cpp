#include "gardensync/sync/ignore_matcher.h"

#include <gtest/gtest.h>

namespace gardensync::sync {
namespace {

TEST(GlobMatch, StarsStayInsideOneComponent) {
  EXPECT_TRUE(globMatch("*.log", "a.log"));
  EXPECT_FALSE(globMatch("*.log", "dir/a.log"));
  EXPECT_TRUE(globMatch("dir/*.log", "dir/a.log"));
  EXPECT_TRUE(globMatch("a?c", "abc"));
  EXPECT_FALSE(globMatch("a?c", "a/c"));
  EXPECT_FALSE(globMatch("*.log", "a.log.1"));
}

TEST(GlobMatch, DoubleStarSpansFolders) {
  EXPECT_TRUE(globMatch("**/node_modules", "node_modules"));
  EXPECT_TRUE(globMatch("**/node_modules", "a/b/node_modules"));
  EXPECT_TRUE(globMatch("build/**", "build/x/y"));
  EXPECT_TRUE(globMatch("a/**/z", "a/z"));
  EXPECT_TRUE(globMatch("a/**/z", "a/b/c/z"));
  EXPECT_FALSE(globMatch("a/**/z", "b/a/z"));
}

TEST(GlobMatch, ClassesAlternativesAndEscapes) {
  EXPECT_TRUE(globMatch("[a-c]x", "bx"));
  EXPECT_FALSE(globMatch("[a-c]x", "dx"));
  EXPECT_TRUE(globMatch("[!a-c]x", "dx"));
  EXPECT_TRUE(globMatch("[^a-c]x", "dx"));
  EXPECT_TRUE(globMatch("*.{js,ts}", "a.ts"));
  EXPECT_FALSE(globMatch("*.{js,ts}", "a.go"));
  EXPECT_TRUE(globMatch("\\*", "*"));
  EXPECT_FALSE(globMatch("\\*", "a"));
}

TEST(IgnoreMatcher, APatternWithoutSlashMatchesTheLastComponentAnywhere) {
  const IgnoreMatcher matcher({"node_modules", "*.log"});
  EXPECT_TRUE(matcher.ignored("node_modules", true));
  EXPECT_TRUE(matcher.ignored("web/node_modules", true));
  EXPECT_TRUE(matcher.ignored("logs/today.log", false));
  EXPECT_FALSE(matcher.ignored("src/main.js", false));
}

TEST(IgnoreMatcher, ALeadingSlashAnchorsAtTheRoot) {
  const IgnoreMatcher matcher({"/build"});
  EXPECT_TRUE(matcher.ignored("build", true));
  EXPECT_FALSE(matcher.ignored("web/build", true));
}

TEST(IgnoreMatcher, APatternWithASlashMatchesTheWholePath) {
  const IgnoreMatcher matcher({"web/tmp"});
  EXPECT_TRUE(matcher.ignored("web/tmp", true));
  EXPECT_FALSE(matcher.ignored("other/web/tmp", true));
}

TEST(IgnoreMatcher, ATrailingSlashMatchesFoldersOnly) {
  const IgnoreMatcher matcher({"cache/"});
  EXPECT_TRUE(matcher.ignored("cache", true));
  EXPECT_FALSE(matcher.ignored("cache", false));
}

TEST(IgnoreMatcher, TheLastMatchingPatternWins) {
  const IgnoreMatcher matcher({"*.log", "!keep.log", "keep.log/"});
  EXPECT_TRUE(matcher.ignored("a.log", false));
  EXPECT_FALSE(matcher.ignored("keep.log", false));
  EXPECT_TRUE(matcher.ignored("keep.log", true));
}

TEST(IgnoreMatcher, PatternsAreCleanedLikeMutagenDoes) {
  const IgnoreMatcher matcher({"./a//b/../c", "", "!", "/"});
  EXPECT_TRUE(matcher.ignored("a/c", false));
  EXPECT_FALSE(matcher.ignored("a/b", false));
  EXPECT_FALSE(matcher.ignored("x", false));
}

TEST(IgnoreMatcher, NoPatternsIgnoreNothing) {
  const IgnoreMatcher matcher({});
  EXPECT_FALSE(matcher.ignored("anything", true));
}

}  // namespace
}  // namespace gardensync::sync
