#include "gardensync/mutagen/archive.h"

#include <sys/stat.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "gardensync/util/error.h"
#include "test_support.h"

namespace gardensync::mutagen {
namespace {

namespace fs = std::filesystem;
using gardensync::test_support::readFile;
using gardensync::test_support::TarEntry;
using gardensync::test_support::TempDir;
using gardensync::test_support::writeFile;
using gardensync::test_support::writeTarGz;
using ::testing::HasSubstr;

// Each test extracts into <temp>/dest, so an escape to `../x` would land in <temp>/x.
class Archive : public ::testing::Test {
protected:
  void SetUp() override { fs::create_directory(destination); }

  std::vector<fs::path> extract(const std::vector<TarEntry>& entries, const ExtractLimits& limits = {}) {
    writeTarGz(archivePath, entries);
    return extractArchive(archivePath, destination, limits);
  }

  // Starts from an empty destination, so one test can check several archives.
  std::string refusal(const std::vector<TarEntry>& entries, const ExtractLimits& limits = {}) {
    fs::remove_all(destination);
    fs::create_directory(destination);
    try {
      extract(entries, limits);
    } catch (const Error& error) {
      return error.what();
    }
    return "no error";
  }

  TempDir temp;
  fs::path archivePath = temp / "test.tar.gz";
  fs::path destination = temp / "dest";
};

TEST_F(Archive, ExtractsFilesDirectoriesLinksAndModes) {
  const auto written = extract({
      {.name = "./", .type = AE_IFDIR, .perm = 0755},
      {.name = "bin/", .type = AE_IFDIR, .perm = 0755},
      {.name = "bin/tool", .content = "#!/bin/sh\n", .perm = 04777},
      {.name = "README", .content = "hello"},
      {.name = "bin/readme", .type = AE_IFLNK, .link = "../README"},
      {.name = "copy", .link = "README", .hardLink = true},
  });

  EXPECT_EQ(written, (std::vector<fs::path>{"bin", "bin/tool", "README", "bin/readme", "copy"}));
  EXPECT_EQ(readFile(destination / "bin/tool"), "#!/bin/sh\n");
  EXPECT_EQ(readFile(destination / "README"), "hello");
  EXPECT_EQ(fs::read_symlink(destination / "bin/readme"), "../README");
  EXPECT_EQ(readFile(destination / "bin/readme"), "hello");
  EXPECT_EQ(readFile(destination / "copy"), "hello");
  EXPECT_EQ(fs::hard_link_count(destination / "README"), 2u);
  struct stat info{};
  ASSERT_EQ(::stat((destination / "bin/tool").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0755u);  // executable, without setuid or world write
  ASSERT_EQ(::stat((destination / "README").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0644u);
}

TEST_F(Archive, RefusesParentDirectoryEntries) {
  const std::string error = refusal({{.name = "ok", .content = "fine"}, {.name = "../evil", .content = "x"}});
  EXPECT_THAT(error, HasSubstr("entry '../evil' has a '..' component"));
  EXPECT_THAT(error, HasSubstr(archivePath.string()));
  EXPECT_FALSE(fs::exists(temp / "evil"));
  EXPECT_THAT(refusal({{.name = "a/../../evil", .content = "x"}}), HasSubstr("'a/../../evil'"));
}

TEST_F(Archive, RefusesAbsolutePaths) {
  const fs::path outside = temp / "absolute";
  EXPECT_THAT(refusal({{.name = outside.string(), .content = "x"}}),
              HasSubstr("entry '" + outside.string() + "' has an absolute path"));
  EXPECT_FALSE(fs::exists(outside));
}

TEST_F(Archive, RefusesSymlinksOutOfTheDestination) {
  EXPECT_THAT(refusal({{.name = "etc", .type = AE_IFLNK, .link = "/etc"}}),
              HasSubstr("entry 'etc' is a symlink to an absolute path (/etc)"));
  EXPECT_FALSE(fs::exists(fs::symlink_status(destination / "etc")));
  EXPECT_THAT(refusal({{.name = "a/up", .type = AE_IFLNK, .link = "../.."}}),
              HasSubstr("entry 'a/up' is a symlink pointing outside the destination"));
}

// `x -> ..` from a/ stays inside, but `l -> x/..` would climb from wherever x points.
TEST_F(Archive, RefusesSymlinkTargetsThatClimbAfterAName) {
  EXPECT_THAT(refusal({{.name = "a/x", .type = AE_IFLNK, .link = ".."},
                       {.name = "a/l", .type = AE_IFLNK, .link = "x/.."}}),
              HasSubstr("entry 'a/l' is a symlink whose target climbs after a name"));
}

TEST_F(Archive, RefusesWritingThroughASymlink) {
  EXPECT_THAT(refusal({{.name = "sub/", .type = AE_IFDIR}, {.name = "link", .type = AE_IFLNK, .link = "sub"},
                       {.name = "link/file", .content = "x"}}),
              HasSubstr("entry 'link/file' goes through a symlink"));
  EXPECT_FALSE(fs::exists(destination / "sub/file"));
}

TEST_F(Archive, RefusesReplacingAnEarlierEntry) {
  EXPECT_THAT(refusal({{.name = "twice", .content = "one"},
                       {.name = "twice", .type = AE_IFLNK, .link = "/etc/passwd"}}),
              HasSubstr("entry 'twice' appears twice"));
  EXPECT_EQ(readFile(destination / "twice"), "one");
}

TEST_F(Archive, RefusesHardLinksOutOfTheDestination) {
  EXPECT_THAT(refusal({{.name = "passwd", .link = "/etc/passwd", .hardLink = true}}),
              HasSubstr("entry 'passwd' is a hard link pointing outside the destination (/etc/passwd)"));
  writeFile(temp / "secret", "outside");
  EXPECT_THAT(refusal({{.name = "secret", .link = "../secret", .hardLink = true}}),
              HasSubstr("is a hard link pointing outside the destination"));
  EXPECT_FALSE(fs::exists(destination / "secret"));
}

TEST_F(Archive, RefusesHardLinksThroughSymlinks) {
  fs::create_directory(temp / "outside");
  writeFile(temp / "outside/file", "outside");
  EXPECT_THAT(refusal({{.name = "out", .type = AE_IFLNK, .link = "."},
                       {.name = "h", .link = "out/h", .hardLink = true}}),
              HasSubstr("entry 'h' is a hard link to 'out/h', which is not a file extracted before it"));
}

TEST_F(Archive, RefusesDevicesAndFifos) {
  EXPECT_THAT(refusal({{.name = "pipe", .type = AE_IFIFO}}), HasSubstr("entry 'pipe' is a device, FIFO or socket"));
  EXPECT_THAT(refusal({{.name = "tty", .type = AE_IFCHR}}), HasSubstr("entry 'tty' is a device, FIFO or socket"));
}

TEST_F(Archive, EnforcesLimits) {
  EXPECT_THAT(refusal({{.name = "big", .content = std::string(11, 'x')}}, {.maxEntryBytes = 10}),
              HasSubstr("entry 'big' is larger than the limit of 10 bytes"));
  EXPECT_THAT(refusal({{.name = "a", .content = "123456"}, {.name = "b", .content = "123456"}}, {.maxTotalBytes = 10}),
              HasSubstr("entry 'b' takes the archive over its limit of 10 bytes"));
  EXPECT_THAT(refusal({{.name = "a"}, {.name = "b"}, {.name = "c"}}, {.maxEntries = 2}),
              HasSubstr("entry 'c' is beyond the limit of 2 entries"));
}

TEST_F(Archive, RequiresAnEmptyDestination) {
  writeFile(destination / "already", "here");
  writeTarGz(archivePath, {{.name = "a", .content = "x"}});
  try {
    extractArchive(archivePath, destination);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr("the folder is not empty"));
  }
  EXPECT_FALSE(fs::exists(destination / "a"));
}

TEST_F(Archive, ReportsACorruptArchive) {
  writeFile(archivePath, "this is not a tarball");
  try {
    extractArchive(archivePath, destination);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr(archivePath.string()));
  }
}

}  // namespace
}  // namespace gardensync::mutagen
