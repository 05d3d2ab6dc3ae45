#include "gardensync/util/home_dir.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace gardensync::util {

std::optional<std::filesystem::path> homeDirectory() {
  if (const char* home = std::getenv("HOME"); home && *home) return std::filesystem::path(home);
  const passwd* entry = ::getpwuid(::getuid());
  if (entry && entry->pw_dir && *entry->pw_dir) return std::filesystem::path(entry->pw_dir);
  return std::nullopt;
}

}  // namespace gardensync::util
