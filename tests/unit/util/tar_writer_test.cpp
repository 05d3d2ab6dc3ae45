#include "gardensync/util/tar_writer.h"

#include <archive_entry.h>

#include <gtest/gtest.h>

#include "../tar_reading.h"

namespace gardensync::util {
namespace {

using testing::readTar;

void appendFile(std::string& tar, TarHeader header, const std::string& data) {
  header.size = data.size();
  appendTarHeader(tar, header);
  tar += data;
  tar.append(tarPadding(data.size()), '\0');
}

TEST(TarWriter, FilesFoldersAndLinksReadBackWithTheirOwnersModesAndTimes) {
  std::string tar;
  appendTarHeader(tar, {"src", TarHeader::Type::Directory, 0, 0750, 1000, 2000, 1700000000, ""});
  appendFile(tar, {"src/run.sh", TarHeader::Type::File, 0, 0755, 1000, 2000, 1600000000, ""}, "#!/bin/sh\n");
  appendFile(tar, {"src/empty", TarHeader::Type::File, 0, 0600, 0, 0, 0, ""}, "");
  appendTarHeader(tar, {"src/link", TarHeader::Type::Symlink, 0, 0777, 1000, 2000, 1, "run.sh"});
  appendTarEnd(tar);
  EXPECT_EQ(tar.size() % kTarBlock, 0u);
  const auto entries = readTar(tar);
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0].path, "src/");
  EXPECT_EQ(entries[0].type, AE_IFDIR);
  EXPECT_EQ(entries[0].mode, 0750u);
  EXPECT_EQ(entries[0].uid, 1000);
  EXPECT_EQ(entries[0].gid, 2000);
  EXPECT_EQ(entries[0].mtime, 1700000000);
  EXPECT_EQ(entries[1].path, "src/run.sh");
  EXPECT_EQ(entries[1].type, AE_IFREG);
  EXPECT_EQ(entries[1].data, "#!/bin/sh\n");
  EXPECT_EQ(entries[1].mode, 0755u);
  EXPECT_EQ(entries[2].size, 0);
  EXPECT_EQ(entries[3].type, AE_IFLNK);
  EXPECT_EQ(entries[3].link, "run.sh");
}

// Names and targets longer than ustar's 100 bytes, ids and times beyond its octal fields: pax
// records carry them.
TEST(TarWriter, WhatUstarCannotHoldGoesIntoPaxRecords) {
  const std::string longName = std::string(120, 'd') + "/" + std::string(150, 'f') + ".txt";
  const std::string longTarget = std::string(140, 't');
  std::string tar;
  appendFile(tar, {longName, TarHeader::Type::File, 0, 0644, 4000000000ULL, 3000000, -5, ""}, "data");
  appendTarHeader(tar, {"l", TarHeader::Type::Symlink, 0, 0777, 0, 0, 0, longTarget});
  appendTarEnd(tar);
  const auto entries = readTar(tar);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].path, longName);
  EXPECT_EQ(entries[0].uid, 4000000000LL);
  EXPECT_EQ(entries[0].gid, 3000000);
  EXPECT_EQ(entries[0].mtime, -5);
  EXPECT_EQ(entries[0].data, "data");
  EXPECT_EQ(entries[1].link, longTarget);
}

TEST(TarWriter, PaddingCompletesBlocks) {
  EXPECT_EQ(tarPadding(0), 0u);
  EXPECT_EQ(tarPadding(1), 511u);
  EXPECT_EQ(tarPadding(512), 0u);
  EXPECT_EQ(tarPadding(1000), 24u);
}

}  // namespace
}  // namespace gardensync::util
