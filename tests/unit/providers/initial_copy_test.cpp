#include "gardensync/providers/initial_copy.h"

#include <sys/stat.h>
#include <unistd.h>

#include <archive_entry.h>

#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../tar_reading.h"
#include "gardensync/util/process.h"
#include "gardensync/util/temp_dir.h"

namespace gardensync::providers {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

void writeLocalFile(const fs::path& path, const std::string& text, fs::perms perms = fs::perms(0644)) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
  fs::permissions(path, perms);
}

std::vector<std::string> pathsOf(const std::vector<LocalEntry>& entries) {
  std::vector<std::string> paths;
  for (const auto& entry : entries) paths.push_back(entry.path);
  return paths;
}

std::string wholeStream(TarStream& stream) {
  std::string tar;
  for (std::string chunk = stream.next(); !chunk.empty(); chunk = stream.next()) tar += chunk;
  return tar;
}

TEST(InitialCopy, SymbolicLinksFollowMutagensPortableRule) {
  EXPECT_TRUE(portableSymlink("a/link", "../b"));
  EXPECT_TRUE(portableSymlink("link", "./dir/file"));
  EXPECT_FALSE(portableSymlink("link", "../outside"));
  EXPECT_FALSE(portableSymlink("a/link", "../../outside"));
  EXPECT_FALSE(portableSymlink("link", "/etc/passwd"));
  EXPECT_FALSE(portableSymlink("link", "c:/x"));
  EXPECT_FALSE(portableSymlink("link", "a\\b"));
  EXPECT_FALSE(portableSymlink("link", ""));
  EXPECT_FALSE(portableSymlink("link", std::string(248, 'x')));
}

// What Mutagen's scan leaves out is left out of the copy: ignored paths and what is below an
// ignored folder, its temporary files, special files, links it rejects, names that are not UTF-8.
TEST(InitialCopy, TheScanTakesWhatMutagenSyncs) {
  util::TempDir root("initial-copy-");
  writeLocalFile(root / "app.js", "x");
  writeLocalFile(root / "lib/util.js", "y");
  writeLocalFile(root / "node_modules/dep/index.js", "z");
  writeLocalFile(root / "debug.log", "l");
  writeLocalFile(root / ".mutagen-temporary-123", "t");
  writeLocalFile(root / std::string("bad-\xff-name"), "b");
  ASSERT_EQ(::mkfifo((root / "pipe").c_str(), 0600), 0);
  fs::create_symlink("lib/util.js", root / "inside");
  fs::create_symlink("/etc/passwd", root / "absolute");
  fs::create_symlink("../outside", root / "escaping");
  const auto entries = scanLocalTree(root.path(), sync::IgnoreMatcher({"node_modules", "*.log"}));
  EXPECT_THAT(pathsOf(entries), ElementsAre("app.js", "inside", "lib", "lib/util.js"));
  EXPECT_EQ(entries[0].size, 1u);
  EXPECT_EQ(entries[1].type, util::TarHeader::Type::Symlink);
  EXPECT_EQ(entries[1].target, "lib/util.js");
  EXPECT_EQ(entries[2].type, util::TarHeader::Type::Directory);
  EXPECT_TRUE(scanLocalTree(root / "missing", sync::IgnoreMatcher({})).empty());
}

// Modes as Mutagen creates them: the session's defaults (Mutagen's 0600/0700 when unset), an
// executable bit wherever an executable file is readable; owner and group as the container said.
TEST(InitialCopy, TheStreamCarriesMutagensOwnersAndModes) {
  util::TempDir root("initial-copy-");
  writeLocalFile(root / "run.sh", "#!/bin/sh\n", fs::perms(0700));
  writeLocalFile(root / "lib/data.txt", std::string(3000000, 'd'), fs::perms(0664));
  fs::create_symlink("run.sh", root / "link");
  const auto entries = scanLocalTree(root.path(), sync::IgnoreMatcher({}));
  TarStream stream(root.path(), entries, {1000, 2000, 0640, 0750}, "src/", true);
  const auto read = testing::readTar(wholeStream(stream));
  ASSERT_EQ(read.size(), 5u);
  EXPECT_EQ(read[0].path, "src/");
  EXPECT_EQ(read[0].mode, 0750u);
  EXPECT_EQ(read[1].path, "src/lib/");
  EXPECT_EQ(read[2].path, "src/lib/data.txt");
  EXPECT_EQ(read[2].mode, 0640u);
  EXPECT_EQ(read[2].data, std::string(3000000, 'd'));
  EXPECT_EQ(read[2].uid, 1000);
  EXPECT_EQ(read[2].gid, 2000);
  EXPECT_EQ(read[3].path, "src/link");
  EXPECT_EQ(read[3].type, AE_IFLNK);
  EXPECT_EQ(read[3].uid, 1000);  // Mutagen gives links the owner too
  EXPECT_EQ(read[4].path, "src/run.sh");
  EXPECT_EQ(read[4].mode, 0750u);  // 0640 made executable where readable
  EXPECT_EQ(stream.filesDone(), 2u);
  EXPECT_EQ(stream.bytesRead(), 3000010u);
  EXPECT_EQ(stream.copied().size(), 2u);
  EXPECT_EQ(stream.copied().at("run.sh"), *stampOf(root / "run.sh"));
}

// Into an existing empty folder the paths have no prefix and the folder itself is not touched.
TEST(InitialCopy, IntoAnExistingFolderTheStreamHasNoRootEntry) {
  util::TempDir root("initial-copy-");
  writeLocalFile(root / "a.txt", "a");
  TarStream stream(root.path(), scanLocalTree(root.path(), sync::IgnoreMatcher({})), {}, "", false);
  const auto read = testing::readTar(wholeStream(stream));
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].path, "a.txt");
  EXPECT_EQ(read[0].mode, 0600u);  // Mutagen's default
}

// A file removed between the scan and the copy is left out; Mutagen's first cycle sees it gone.
TEST(InitialCopy, AFileGoneSinceTheScanIsLeftOut) {
  util::TempDir root("initial-copy-");
  writeLocalFile(root / "a.txt", "a");
  writeLocalFile(root / "b.txt", "b");
  const auto entries = scanLocalTree(root.path(), sync::IgnoreMatcher({}));
  fs::remove(root / "a.txt");
  TarStream stream(root.path(), entries, {}, "", false);
  const auto read = testing::readTar(wholeStream(stream));
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].path, "b.txt");
}

TEST(InitialCopy, SessionModesReplaceMutagensDefaults) {
  sync::PlannedSession session;
  session.defaultFileMode = "0644";
  session.defaultDirectoryMode = "755";
  auto modes = withSessionModes({1, 2, 0600, 0700}, session);
  ASSERT_TRUE(modes);
  EXPECT_EQ(modes->fileMode, 0644u);
  EXPECT_EQ(modes->directoryMode, 0755u);
  EXPECT_EQ(modes->uid, 1u);
  session.defaultFileMode = "rw-r--r--";
  EXPECT_FALSE(withSessionModes({}, session));
}

// The probe is plain sh; here it runs on this machine against a temp folder.
TEST(InitialCopy, TheProbeTellsAbsentEmptyAndBusyFoldersAndResolvesOwners) {
  util::TempDir root("initial-copy-");
  fs::create_directories(root / "empty");
  writeLocalFile(root / "busy/.hidden", "h");
  writeLocalFile(root / "file", "f");
  const std::vector<TargetQuestion> questions{
      {(root / "absent").string(), "", ""},       {(root / "empty").string(), "id:1234", "id:55"},
      {(root / "busy").string(), "", ""},         {(root / "file").string(), "", ""},
      {(root / "no/parent").string(), "", ""},    {(root / "absent").string(), "root", "no-such-group-x"},
  };
  const auto result = util::runProcess({"sh", "-c", targetProbeScript(questions)});
  ASSERT_TRUE(result.ok()) << result.stderrText;
  const auto answers = readTargetProbe(result.stdoutText, questions.size());
  EXPECT_EQ(answers[0].state, TargetState::Absent);
  ASSERT_TRUE(answers[0].ownership);
  EXPECT_EQ(answers[0].ownership->uid, ::getuid());
  EXPECT_EQ(answers[0].ownership->gid, ::getgid());
  EXPECT_EQ(answers[0].runsAsRoot, ::getuid() == 0);
  EXPECT_EQ(answers[1].state, TargetState::Empty);
  ASSERT_TRUE(answers[1].ownership);
  EXPECT_EQ(answers[1].ownership->uid, 1234u);
  EXPECT_EQ(answers[1].ownership->gid, 55u);
  EXPECT_EQ(answers[2].state, TargetState::NotEmpty);
  EXPECT_EQ(answers[3].state, TargetState::NotEmpty);
  EXPECT_EQ(answers[4].state, TargetState::NoParent);
  EXPECT_EQ(answers[5].state, TargetState::Absent);
  EXPECT_FALSE(answers[5].ownership);  // a group name the system does not know
  EXPECT_EQ(readTargetProbe("", 2)[1].state, TargetState::Unknown);
}

TEST(InitialCopy, OnlyConflictsOverCopiesOfChangedLocalFilesAreStale) {
  util::TempDir root("initial-copy-");
  writeLocalFile(root / "dir/a.txt", "a");
  writeLocalFile(root / "dir/b.txt", "b");
  writeLocalFile(root / "dir-x.txt", "x");
  InitialCopy copy;
  copy.localRoot = root.path();
  for (const char* path : {"dir/a.txt", "dir/b.txt", "dir-x.txt"}) copy.files[path] = *stampOf(root / path);
  EXPECT_TRUE(staleCopiesInConflict(copy, {"dir", ""}).empty());
  writeLocalFile(root / "dir/a.txt", "changed");
  writeLocalFile(root / "dir-x.txt", "changed");
  EXPECT_THAT(staleCopiesInConflict(copy, {"dir"}), ElementsAre("dir/a.txt"));
  EXPECT_THAT(staleCopiesInConflict(copy, {"dir/a.txt", "other"}), ElementsAre("dir/a.txt"));
  EXPECT_THAT(staleCopiesInConflict(copy, {""}), UnorderedElementsAre("dir/a.txt", "dir-x.txt"));
}

}  // namespace
}  // namespace gardensync::providers
