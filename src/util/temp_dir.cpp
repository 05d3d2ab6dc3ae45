#include "gardensync/util/temp_dir.h"

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "gardensync/util/error.h"

namespace gardensync::util {

TempDir::TempDir(const std::filesystem::path& parent, std::string_view prefix) {
  std::string pattern = (parent / fmt::format("{}XXXXXX", prefix)).string();
  if (!::mkdtemp(pattern.data()))
    throw Error(fmt::format("cannot create a temporary folder in {}: {}", parent.string(), std::strerror(errno)));
  path_ = pattern;
}

TempDir::TempDir(std::string_view prefix) : TempDir(std::filesystem::temp_directory_path(), prefix) {}

TempDir::~TempDir() {
  // Best effort: a leftover temporary folder only costs disk space.
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace gardensync::util
