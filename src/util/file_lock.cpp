#include "gardensync/util/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "gardensync/util/error.h"

namespace gardensync::util {

namespace {

// flock may be interrupted by a signal handler; that is not a reason to give up the wait.
int flockRetrying(int fd, int operation) {
  int result = 0;
  do {
    result = ::flock(fd, operation);
  } while (result != 0 && errno == EINTR);
  return result;
}

}  // namespace

FileLock::FileLock(std::filesystem::path path, const std::function<void()>& onWait) : path_(std::move(path)) {
  // O_CLOEXEC: a child process must not inherit the lock and keep it after we release it.
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw Error(fmt::format("cannot open lock file {}: {}", path_.string(), std::strerror(errno)));
  if (flockRetrying(fd_, LOCK_EX | LOCK_NB) == 0) return;
  if (errno == EWOULDBLOCK) {
    try {
      if (onWait) onWait();
    } catch (...) {
      release();  // the constructor did not finish, so the destructor will not run
      throw;
    }
    if (flockRetrying(fd_, LOCK_EX) == 0) return;
  }
  const int error = errno;
  release();
  throw Error(fmt::format("cannot lock {}: {}", path_.string(), std::strerror(error)));
}

std::optional<FileLock> FileLock::tryLock(std::filesystem::path path) {
  FileLock lock;
  lock.path_ = std::move(path);
  lock.fd_ = ::open(lock.path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock.fd_ < 0) throw Error(fmt::format("cannot open lock file {}: {}", lock.path_.string(), std::strerror(errno)));
  if (flockRetrying(lock.fd_, LOCK_EX | LOCK_NB) == 0) return lock;
  if (errno == EWOULDBLOCK) return std::nullopt;
  throw Error(fmt::format("cannot lock {}: {}", lock.path_.string(), std::strerror(errno)));
}

FileLock::~FileLock() { release(); }

FileLock::FileLock(FileLock&& other) noexcept
    : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)) {}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
  if (this != &other) {
    release();
    path_ = std::move(other.path_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

// Closing the descriptor drops the lock; the file stays, since removing it would race with a
// process that has just opened it and is about to lock a now-unlinked file.
void FileLock::release() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

}  // namespace gardensync::util
