#include "gardensync/watch/watcher_record.h"

#include <gtest/gtest.h>

#include "gardensync/util/temp_dir.h"

namespace gardensync::watch {
namespace {

const WatcherRecord kRecord{4242, 987654, "/usr/bin/gardensync", "/home/u/.gardensync/m/abc"};

util::ProcessInfo watcherProcess() {
  util::ProcessInfo info;
  info.argv = {"/usr/bin/gardensync", "__watch", "--data-dir", "/home/u/.gardensync/m/abc", "--mutagen", "/m",
               "--project", "shop"};
  info.startTime = 987654;
  return info;
}

TEST(WatcherRecord, FormatsAndParsesBack) {
  auto parsed = parseRecord(formatRecord(kRecord));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->pid, 4242);
  EXPECT_EQ(parsed->started, 987654u);
  EXPECT_EQ(parsed->binary, "/usr/bin/gardensync");
  EXPECT_EQ(parsed->dataDir, "/home/u/.gardensync/m/abc");
}

TEST(WatcherRecord, ADamagedRecordNamesNoProcess) {
  EXPECT_FALSE(parseRecord(""));
  EXPECT_FALSE(parseRecord("pid=12x\nstarted=5\nbinary=/b\ndataDir=/d\n"));
  EXPECT_FALSE(parseRecord("pid=0\nstarted=5\nbinary=/b\ndataDir=/d\n"));
  EXPECT_FALSE(parseRecord("pid=-3\nstarted=5\nbinary=/b\ndataDir=/d\n"));
  EXPECT_FALSE(parseRecord("pid=12\nbinary=/b\ndataDir=/d\n"));
  EXPECT_FALSE(parseRecord("pid=12\nstarted=5\ndataDir=/d\n"));
}

TEST(WatcherRecord, RecognisesTheWatcherItDescribes) {
  EXPECT_TRUE(isRecordedWatcher(kRecord, watcherProcess()));
}

// A pid reused by another program, or by another project's watcher, is never taken for ours.
TEST(WatcherRecord, RejectsAnyOtherProcessUnderThatPid) {
  auto later = watcherProcess();
  later.startTime = 987655;
  EXPECT_FALSE(isRecordedWatcher(kRecord, later));
  auto other = watcherProcess();
  other.argv = {"/usr/bin/sleep", "100"};
  EXPECT_FALSE(isRecordedWatcher(kRecord, other));
  auto otherProject = watcherProcess();
  otherProject.argv[3] = "/home/u/.gardensync/m/def";
  EXPECT_FALSE(isRecordedWatcher(kRecord, otherProject));
  auto kube = watcherProcess();
  kube.argv[1] = "__kube-transport";
  EXPECT_FALSE(isRecordedWatcher(kRecord, kube));
}

TEST(WatcherRecord, IsWrittenReadAndRemovedInTheDataDir) {
  util::TempDir dir("gs-watcher-record-");
  EXPECT_FALSE(readRecord(dir.path()));
  writeRecord(dir.path(), kRecord);
  auto read = readRecord(dir.path());
  ASSERT_TRUE(read);
  EXPECT_EQ(read->pid, 4242);
  removeRecord(dir.path());
  EXPECT_FALSE(readRecord(dir.path()));
}

}  // namespace
}  // namespace gardensync::watch
