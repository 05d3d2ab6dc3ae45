// The headers of a tar stream (POSIX ustar, with pax records for what ustar cannot hold: long
// names and link targets, large ids, sizes and times). gardensync writes its own archives only
// where a folder is copied into a container in one stream (providers/initial_copy.h); reading
// archives stays with libarchive (mutagen/archive.h).
#pragma once

#include <cstdint>
#include <string>

namespace gardensync::util {

struct TarHeader {
  enum class Type { File, Directory, Symlink };
  std::string path;  // relative, `/`-separated, no trailing `/`
  Type type = Type::File;
  std::uint64_t size = 0;  // files only
  unsigned mode = 0;       // permission bits
  std::uint64_t uid = 0;
  std::uint64_t gid = 0;
  std::int64_t mtime = 0;  // seconds since the epoch
  std::string linkTarget;  // symlinks only
};

inline constexpr std::size_t kTarBlock = 512;

// Appends the header block(s) of `entry` to `out`. A file's `size` bytes of data follow, then
// tarPadding(size) zero bytes.
void appendTarHeader(std::string& out, const TarHeader& entry);
// How many zero bytes complete `size` bytes of data to whole blocks.
std::size_t tarPadding(std::uint64_t size);
// The end of an archive: two zero blocks.
void appendTarEnd(std::string& out);

}  // namespace gardensync::util
