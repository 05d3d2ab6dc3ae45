#include "gardensync/mutagen/session_args.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace gardensync::mutagen {
namespace {

using ::testing::ElementsAre;

sync::PlannedSession session(bool containerIsAlpha) {
  sync::PlannedSession s;
  s.name = "api-0";
  s.labels = {{"gardensync.io/project", "shop"}, {"gardensync.io/deploy", "api"}};
  s.mode = "one-way-replica";
  s.alpha = containerIsAlpha ? "docker://gs-shop-api/app" : "/src";
  s.beta = containerIsAlpha ? "/src" : "docker://gs-shop-api/app";
  s.ignore = {"node_modules", "*.log"};
  s.defaultOwner = "id:1000";
  s.defaultFileMode = "0644";
  s.containerIsAlpha = containerIsAlpha;
  return s;
}

TEST(SessionArgs, ContainerSideGetsOwnershipFlags) {
  EXPECT_THAT(createArgs(session(false)),
              ElementsAre("sync", "create", "--no-global-configuration", "--name", "api-0", "--label",
                          "gardensync.io/deploy=api", "--label", "gardensync.io/project=shop", "--mode",
                          "one-way-replica", "--ignore", "node_modules", "--ignore", "*.log", "--default-owner-beta",
                          "id:1000", "--default-file-mode-beta", "0644", "/src", "docker://gs-shop-api/app"));
}

// With gardensync's watcher, Mutagen must not scan the local side by itself (a scan in the middle
// of a mass deletion propagates half of it); in the one-way modes it need not watch the container.
TEST(SessionArgs, TheLocalWatcherTurnsMutagensWatchingOff) {
  auto oneWay = session(false);
  oneWay.localWatcher = true;
  auto args = createArgs(oneWay);
  auto find = [&](const std::vector<std::string>& list, const std::string& flag) {
    auto it = std::find(list.begin(), list.end(), flag);
    return it == list.end() || it + 1 == list.end() ? std::string() : *(it + 1);
  };
  EXPECT_EQ(find(args, "--watch-mode-alpha"), "no-watch");
  EXPECT_EQ(find(args, "--watch-mode-beta"), "no-watch");
  EXPECT_EQ(args.back(), "docker://gs-shop-api/app");

  auto twoWay = oneWay;
  twoWay.mode = "two-way-safe";
  args = createArgs(twoWay);
  EXPECT_EQ(find(args, "--watch-mode-alpha"), "no-watch");
  EXPECT_EQ(find(args, "--watch-mode-beta"), "");  // container -> local still needs Mutagen's watching

  auto without = session(false);
  args = createArgs(without);
  EXPECT_EQ(find(args, "--watch-mode-alpha"), "");
  EXPECT_EQ(find(args, "--watch-mode-beta"), "");
}

// Mutagen reads --ignore as CSV: a quote must arrive quoted, or the create fails.
TEST(SessionArgs, IgnorePatternsAreWrittenAsCsvFields) {
  auto s = session(false);
  s.ignore = {"q'\"", " lead", "plain/**"};
  auto args = createArgs(s);
  EXPECT_NE(std::find(args.begin(), args.end(), "\"q'\"\"\""), args.end());
  EXPECT_NE(std::find(args.begin(), args.end(), "\" lead\""), args.end());
  EXPECT_NE(std::find(args.begin(), args.end(), "plain/**"), args.end());
}

TEST(SessionArgs, ReverseModesPutOwnershipOnAlpha) {
  auto args = createArgs(session(true));
  EXPECT_NE(std::find(args.begin(), args.end(), "--default-owner-alpha"), args.end());
  EXPECT_EQ(std::find(args.begin(), args.end(), "--default-owner-beta"), args.end());
  EXPECT_EQ(args[args.size() - 2], "docker://gs-shop-api/app");
}

// The local side's modes go to the other endpoint than the container side's.
TEST(SessionArgs, LocalModesGoToTheLocalEndpoint) {
  for (bool containerIsAlpha : {false, true}) {
    auto s = session(containerIsAlpha);
    s.localFileMode = "0644";
    s.localDirectoryMode = "0755";
    auto args = createArgs(s);
    const std::string local = containerIsAlpha ? "-beta" : "-alpha";
    auto it = std::find(args.begin(), args.end(), "--default-file-mode" + local);
    ASSERT_NE(it, args.end());
    EXPECT_EQ(*(it + 1), "0644");
    it = std::find(args.begin(), args.end(), "--default-directory-mode" + local);
    ASSERT_NE(it, args.end());
    EXPECT_EQ(*(it + 1), "0755");
  }
}

TEST(SessionArgs, LabelSelector) {
  EXPECT_EQ(labelSelector({{"a", "1"}, {"b", "2"}}), "a=1,b=2");
}

}  // namespace
}  // namespace gardensync::mutagen
