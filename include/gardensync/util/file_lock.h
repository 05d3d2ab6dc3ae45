// A cross-process exclusive lock on a file (flock), held for the lifetime of a FileLock. Used to
// let one gardensync at a time install a tool into the shared cache. flock locks belong to the
// open file description, so two FileLocks on the same file exclude each other even inside one
// process; the kernel drops the lock when the holder dies, so a crash never leaves it stuck.
#pragma once

#include <filesystem>
#include <functional>

namespace gardensync::util {

class FileLock {
public:
  // Opens (creating it if needed) `path` and blocks until the lock is held. If another holder
  // has it, calls `onWait` once before blocking. The parent folder must exist.
  explicit FileLock(std::filesystem::path path, const std::function<void()>& onWait = {});
  ~FileLock();
  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

  const std::filesystem::path& path() const { return path_; }

private:
  void release() noexcept;

  std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace gardensync::util
