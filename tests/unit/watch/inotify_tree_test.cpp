#include "gardensync/watch/inotify_tree.h"

#include <poll.h>

#include <filesystem>
#include <set>
#include <fstream>

#include <gtest/gtest.h>

#include "gardensync/util/temp_dir.h"

// inotify is Linux's; elsewhere the watcher is not used (cli/watcher_control.cpp).
#ifdef __linux__

namespace gardensync::watch {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

// Everything the kernel has queued so far (events are queued when the change happens, so by
// the time a change has returned its events are readable; the poll only waits for that).
std::vector<TreeEvent> drain(InotifyTree& tree) {
  struct pollfd entry {tree.fd(), POLLIN, 0};
  ::poll(&entry, 1, 1000);
  return tree.read();
}

bool has(const std::vector<TreeEvent>& events, size_t session, Change change) {
  for (const auto& e : events)
    if (e.session == session && e.change == change) return true;
  return false;
}

TEST(InotifyTree, SeesWritesAndRemovalsInFoldersThatExistedBefore) {
  util::TempDir root("gs-inotify-");
  write(root / "a/b/old.txt", "x");
  InotifyTree tree;
  tree.addRoot(3, root.path(), sync::IgnoreMatcher({}));
  EXPECT_EQ(tree.watchedFolders(), 3u);
  write(root / "a/b/old.txt", "changed");
  EXPECT_TRUE(has(drain(tree), 3, Change::Write));
  fs::remove(root / "a/b/old.txt");
  EXPECT_TRUE(has(drain(tree), 3, Change::Removal));
}

TEST(InotifyTree, WatchesFoldersCreatedLater) {
  util::TempDir root("gs-inotify-");
  InotifyTree tree;
  tree.addRoot(0, root.path(), sync::IgnoreMatcher({}));
  fs::create_directories(root / "new/deeper");
  drain(tree);
  write(root / "new/deeper/file.txt", "x");
  EXPECT_TRUE(has(drain(tree), 0, Change::Write));
}

TEST(InotifyTree, WhatANewFolderHeldBeforeItWasWatchedIsReported) {
  util::TempDir root("gs-inotify-");
  InotifyTree tree;
  tree.addRoot(0, root.path(), sync::IgnoreMatcher({"*.log"}));
  // Written before read() sees the folder's creation, so before its watch exists.
  fs::create_directories(root / "new/deeper");
  write(root / "new/deeper/file.txt", "x");
  write(root / "new/skip.log", "x");
  std::set<std::string> paths;
  for (const auto& event : drain(tree)) paths.insert(event.path);
  EXPECT_TRUE(paths.count("new"));
  EXPECT_TRUE(paths.count("new/deeper/file.txt"));
  EXPECT_FALSE(paths.count("new/skip.log"));
}

TEST(InotifyTree, ARenameIsARemovalAndAWrite) {
  util::TempDir root("gs-inotify-");
  write(root / "a.txt", "x");
  InotifyTree tree;
  tree.addRoot(0, root.path(), sync::IgnoreMatcher({}));
  fs::rename(root / "a.txt", root / "b.txt");
  const auto events = drain(tree);
  EXPECT_TRUE(has(events, 0, Change::Removal));
  EXPECT_TRUE(has(events, 0, Change::Write));
}

TEST(InotifyTree, IgnoredPathsAreNeitherWatchedNorReported) {
  util::TempDir root("gs-inotify-");
  write(root / "node_modules/pkg/index.js", "x");
  fs::create_directories(root / "web");
  InotifyTree tree;
  tree.addRoot(0, root.path(), sync::IgnoreMatcher({"node_modules", "*.log"}));
  EXPECT_EQ(tree.watchedFolders(), 2u);  // the root and web/
  write(root / "node_modules/pkg/index.js", "changed");
  write(root / "debug.log", "x");
  fs::create_directories(root / "web/node_modules");
  EXPECT_TRUE(drain(tree).empty());
  write(root / "web/node_modules/x.js", "x");
  write(root / "web/app.js", "x");
  const auto events = drain(tree);
  EXPECT_EQ(tree.watchedFolders(), 2u);  // web/node_modules was not added
  EXPECT_TRUE(has(events, 0, Change::Write));
}

TEST(InotifyTree, MutagensTemporaryFilesAreNotChanges) {
  util::TempDir root("gs-inotify-");
  InotifyTree tree;
  tree.addRoot(0, root.path(), sync::IgnoreMatcher({}));
  write(root / ".mutagen-temporary-cross-device-rename0", "x");
  EXPECT_TRUE(drain(tree).empty());
}

TEST(InotifyTree, EventsNameThePathAndTellMutagensOwnWrites) {
  util::TempDir root("gs-inotify-");
  fs::create_directories(root / "sub");
  InotifyTree tree;
  tree.addRoot(0, root.path(), sync::IgnoreMatcher({}));
  write(root / "sub/edit.txt", "mine");
  auto events = drain(tree);
  ASSERT_FALSE(events.empty());
  for (const auto& event : events) {
    EXPECT_EQ(event.path, "sub/edit.txt");
    EXPECT_FALSE(event.byMutagen);
  }
  // How Mutagen places a file it received: a temporary in the same folder, renamed into place.
  write(root / "sub/.mutagen-temporary-12345", "theirs");
  drain(tree);
  fs::rename(root / "sub/.mutagen-temporary-12345", root / "sub/received.txt");
  events = drain(tree);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].path, "sub/received.txt");
  EXPECT_TRUE(events[0].byMutagen);
  // Nor from its staging folder, outside the synced one.
  util::TempDir staging("gs-staging-");
  write(staging / "staged", "theirs too");
  fs::rename(staging / "staged", root / "sub/staged.txt");
  events = drain(tree);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].path, "sub/staged.txt");
  EXPECT_TRUE(events[0].byMutagen);
  // A user's own rename is not Mutagen's.
  fs::rename(root / "sub/edit.txt", root / "sub/renamed.txt");
  events = drain(tree);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_FALSE(events[0].byMutagen);
  EXPECT_FALSE(events[1].byMutagen);
  EXPECT_EQ(events[1].path, "sub/renamed.txt");
}

TEST(InotifyTree, OneFolderInTwoSessionsReportsToBoth) {
  util::TempDir root("gs-inotify-");
  InotifyTree tree;
  tree.addRoot(0, root.path(), sync::IgnoreMatcher({}));
  tree.addRoot(1, root.path(), sync::IgnoreMatcher({"*.tmp"}));
  write(root / "a.txt", "x");
  auto events = drain(tree);
  EXPECT_TRUE(has(events, 0, Change::Write));
  EXPECT_TRUE(has(events, 1, Change::Write));
  write(root / "b.tmp", "x");
  events = drain(tree);
  EXPECT_TRUE(has(events, 0, Change::Write));
  EXPECT_FALSE(has(events, 1, Change::Write));
}

}  // namespace
}  // namespace gardensync::watch

#endif  // __linux__
