#include "gardensync/mutagen/data_dir.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <optional>

#include <gtest/gtest.h>

#include "gardensync/mutagen/data_dir_pruning.h"
#include "gardensync/util/error.h"
#include "gardensync/util/file_lock.h"
#include "gardensync/util/temp_dir.h"

namespace gardensync::mutagen {
namespace {

TEST(DataDir, ShortAndKeyedByProject) {
  auto dir = dataDirFor("/home/ada/work/shop", "/home/ada");
  EXPECT_EQ(dir.parent_path(), "/home/ada/.gardensync/m");
  EXPECT_EQ(dir.filename().string().size(), 9u);
  EXPECT_NE(dir, dataDirFor("/home/ada/work/other", "/home/ada"));
  EXPECT_EQ(dir, dataDirFor("/home/ada/work/shop/", "/home/ada"));
}

TEST(DataDir, RejectsSocketPathsOverTheLimit) {
  EXPECT_NO_THROW(checkSocketPathLength("/home/ada/.gardensync/m/abcdef123"));
  EXPECT_THROW(checkSocketPathLength("/" + std::string(120, 'x')), Error);
}

TEST(DataDir, HelperScriptQuotesPaths) {
  EXPECT_EQ(helperScript("/c/mutagen", "/h/it's"),
            "#!/bin/sh\n# Runs gardensync's pinned Mutagen against this project's daemon, e.g. `./mutagen.sh sync list`.\n"
            "export MUTAGEN_DATA_DIRECTORY='/h/it'\\''s'\nexec '/c/mutagen' \"$@\"\n");
}

namespace fs = std::filesystem;

void writeFileWithParents(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

// A data directory as a project's gardensync leaves it, naming `root` as its project.
fs::path dataDir(const fs::path& home, const std::string& name, const std::optional<fs::path>& root) {
  const fs::path dir = home / ".gardensync/m" / name;
  fs::create_directories(dir / "daemon");
  if (root) writeFileWithParents(dir / kProjectRootRecord, root->string() + "\n");
  return dir;
}

void ageByTwoHours(const fs::path& dir) {
  fs::last_write_time(dir, fs::file_time_type::clock::now() - std::chrono::hours(2));
}

TEST(DataDirPruning, RemovesOnlyTheDataOfProjectsThatAreGone) {
  util::TempDir temp;
  const fs::path home = temp / "home";
  const fs::path live = temp / "live-project";
  fs::create_directories(live);
  const fs::path gone = temp / "deleted-project";

  const fs::path goneDir = dataDir(home, "aaaaaaaa1", gone);
  writeFileWithParents(goneDir / "sessions/one", "x");  // sessions of a vanished project go with it
  const fs::path liveDir = dataDir(home, "aaaaaaaa2", live);
  const fs::path current = dataDir(home, "aaaaaaaa3", gone);  // the running project's: kept whatever it says
  const fs::path unrecordedIdle = dataDir(home, "aaaaaaaa4", std::nullopt);
  ageByTwoHours(unrecordedIdle);
  const fs::path unrecordedWithSessions = dataDir(home, "aaaaaaaa5", std::nullopt);
  writeFileWithParents(unrecordedWithSessions / "sessions/one", "x");
  ageByTwoHours(unrecordedWithSessions);
  const fs::path unrecordedFresh = dataDir(home, "aaaaaaaa6", std::nullopt);
  const fs::path notOurs = dataDir(home, "not-a-data-dir", gone);
  const fs::path locked = dataDir(home, "aaaaaaaa7", gone);
  const util::FileLock writer(locked / "writer.lock");  // another gardensync is changing it
  // A link with a data directory's name is not one: neither it nor its target is touched.
  const fs::path elsewhere = temp / "elsewhere";
  writeFileWithParents(elsewhere / "precious.txt", "keep");
  writeFileWithParents(elsewhere / kProjectRootRecord, gone.string());
  fs::create_directory_symlink(elsewhere, home / ".gardensync/m/aaaaaaaa8");

  auto removed = pruneVanishedProjects(home, current);
  std::sort(removed.begin(), removed.end());
  EXPECT_EQ(removed, (std::vector<fs::path>{goneDir, unrecordedIdle}));
  EXPECT_FALSE(fs::exists(goneDir));
  EXPECT_FALSE(fs::exists(unrecordedIdle));
  for (const auto& kept : {liveDir, current, unrecordedWithSessions, unrecordedFresh, notOurs, locked})
    EXPECT_TRUE(fs::is_directory(kept)) << kept;
  EXPECT_TRUE(fs::is_symlink(home / ".gardensync/m/aaaaaaaa8"));
  EXPECT_TRUE(fs::exists(elsewhere / "precious.txt"));
}

TEST(DataDirPruning, KeepsTheFolderOfADaemonThatAnswers) {
  util::TempDir temp;
  const fs::path home = temp / "home";
  const fs::path dir = dataDir(home, "bbbbbbbb1", temp / "deleted-project");
  const std::string socketPath = daemonSocketPath(dir).string();
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  ASSERT_LT(socketPath.size(), sizeof(address.sun_path));
  std::memcpy(address.sun_path, socketPath.c_str(), socketPath.size() + 1);
  ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)), 0) << std::strerror(errno);
  ASSERT_EQ(::listen(fd, 1), 0);
  EXPECT_TRUE(pruneVanishedProjects(home, {}).empty());
  EXPECT_TRUE(fs::is_directory(dir));
  ::close(fd);  // the daemon is gone, its socket file stays: now the folder goes
  EXPECT_EQ(pruneVanishedProjects(home, {}), std::vector<fs::path>{dir});
}

TEST(DataDir, OneLinkPerDataDirectoryPlusLatest) {
  util::TempDir temp;
  const fs::path home = temp / "home";
  const fs::path root = temp / "project";
  const fs::path links = root / ".garden/mutagen";
  fs::create_directories(links);
  fs::create_directories(temp / "old-data");
  fs::create_directory_symlink(temp / "old-data", links / "1764000000-ab12");  // one per run, as before
  fs::create_directory_symlink(temp / "missing/aaaaaaaa1", links / "aaaaaaaa1");  // its folder is gone
  writeFileWithParents(links / "notes.txt", "a user's file stays");

  const auto prepared = prepareDataDir(root, home, "/usr/bin/mutagen");
  struct stat before {};
  ASSERT_EQ(::lstat((links / "latest").c_str(), &before), 0);
  const auto again = prepareDataDir(root, home, "/usr/bin/mutagen");
  struct stat after {};
  ASSERT_EQ(::lstat((links / "latest").c_str(), &after), 0);
  EXPECT_EQ(before.st_ino, after.st_ino);  // a link that is right is left alone, not made again
  EXPECT_EQ(prepared.link, again.link);
  EXPECT_EQ(prepared.link, links / prepared.path.filename());
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(links)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{prepared.path.filename().string(), "latest", "notes.txt"}));
  EXPECT_EQ(fs::read_symlink(links / "latest"), prepared.path);
  EXPECT_TRUE(fs::is_directory(temp / "old-data"));  // links go, never what they point at
  std::ifstream record(prepared.path / kProjectRootRecord);
  std::string line;
  std::getline(record, line);
  EXPECT_EQ(line, root.string());
}

}  // namespace
}  // namespace gardensync::mutagen
