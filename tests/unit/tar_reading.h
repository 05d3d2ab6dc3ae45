// Reading a tar stream back with libarchive, the way any other tar reader would see it, for the
// tests of what gardensync writes.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace gardensync::testing {

struct TarEntryRead {
  std::string path;
  int type = 0;  // AE_IFREG, AE_IFDIR, AE_IFLNK
  long long size = 0;
  unsigned mode = 0;
  long long uid = 0, gid = 0, mtime = 0;
  std::string link, data;
};

inline std::vector<TarEntryRead> readTar(const std::string& tar) {
  archive* reader = archive_read_new();
  archive_read_support_format_tar(reader);
  EXPECT_EQ(archive_read_open_memory(reader, tar.data(), tar.size()), ARCHIVE_OK);
  std::vector<TarEntryRead> entries;
  archive_entry* entry = nullptr;
  int status = ARCHIVE_OK;
  while ((status = archive_read_next_header(reader, &entry)) == ARCHIVE_OK) {
    TarEntryRead read;
    read.path = archive_entry_pathname(entry);
    read.type = static_cast<int>(archive_entry_filetype(entry));
    read.size = archive_entry_size(entry);
    read.mode = archive_entry_perm(entry);
    read.uid = archive_entry_uid(entry);
    read.gid = archive_entry_gid(entry);
    read.mtime = archive_entry_mtime(entry);
    if (const char* link = archive_entry_symlink(entry)) read.link = link;
    read.data.assign(static_cast<size_t>(read.size), '\0');
    if (read.size > 0) {
      EXPECT_EQ(archive_read_data(reader, read.data.data(), read.data.size()), read.size);
    }
    entries.push_back(read);
  }
  EXPECT_EQ(status, ARCHIVE_EOF) << archive_error_string(reader);
  EXPECT_EQ(archive_read_free(reader), ARCHIVE_OK);
  return entries;
}

}  // namespace gardensync::testing
