// A cross-process exclusive lock on a file (flock), held for the lifetime of a FileLock. Used to
// let one gardensync at a time install a tool into the shared cache. flock locks belong to the
// open file description, so two FileLocks on the same file exclude each other even inside one
// process; the kernel drops the lock when the holder dies, so a crash never leaves it stuck.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>

namespace gardensync::util {

class FileLock {
public:
  // Opens (creating it if needed) `path` and blocks until the lock is held. If another holder
  // has it, calls `onWait` once before blocking. The parent folder must exist.
  explicit FileLock(std::filesystem::path path, const std::function<void()>& onWait = {});
  // The lock if nobody else holds it, without waiting; nullopt when another holder has it.
  static std::optional<FileLock> tryLock(std::filesystem::path path);
  ~FileLock();
  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

  const std::filesystem::path& path() const { return path_; }

private:
  FileLock() = default;
  void release() noexcept;

  std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace gardensync::util
