#include "gardensync/mutagen/data_dir_pruning.h"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include "gardensync/mutagen/data_dir.h"
#include "gardensync/util/file_lock.h"
#include "gardensync/util/text.h"

namespace gardensync::mutagen {

namespace fs = std::filesystem;

namespace {

bool isDataDirName(const std::string& name) {
  return name.size() == 9 && name.find_first_not_of("0123456789abcdef") == std::string::npos;
}

bool projectGone(const fs::path& dataDir) {
  std::ifstream in(dataDir / kProjectRootRecord);
  std::string root;
  if (in && std::getline(in, root) && !util::trim(root).empty()) {
    std::error_code ec;
    return !fs::exists(util::trim(root), ec) && !ec;
  }
  // Without a record, a folder that holds no session and lies unused loses nothing when removed.
  std::error_code ec;
  const auto changed = fs::last_write_time(dataDir, ec);
  if (ec) return false;
  return storedSessionCount(dataDir) == 0 && fs::file_time_type::clock::now() - changed > std::chrono::hours(1);
}

}  // namespace

std::vector<fs::path> pruneVanishedProjects(const fs::path& home, const fs::path& keep) {
  std::vector<fs::path> removed;
  std::error_code ec;
  const fs::path parent = home / ".gardensync" / "m";
  for (auto it = fs::directory_iterator(parent, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const fs::path dir = it->path();
    struct stat info {};
    if (!isDataDirName(dir.filename().string()) || dir == keep) continue;
    if (::lstat(dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode) || info.st_uid != ::geteuid()) continue;
    if (!projectGone(dir) || daemonSocketAccepts(dir)) continue;
    try {
      // Held while removing: a gardensync that changes this project's syncs now keeps its folder.
      const auto writer = util::FileLock::tryLock(dir / "writer.lock");
      if (!writer) continue;
      std::error_code removeError;
      fs::remove_all(dir, removeError);  // gardensync's own files only: links are removed, not followed
      if (!removeError) removed.push_back(dir);
    } catch (const std::exception&) {
      continue;  // an unreadable folder stays; this is housekeeping, never a reason to fail
    }
  }
  return removed;
}

}  // namespace gardensync::mutagen
