// The container side of the project's watcher: for one session, copies the static helper
// gardensync-container-watch (src/container_watch/main.cpp, installed next to gardensync) into
// the container or pod and runs it there (container_helper.h), on a thread of its own. Each line the
// helper prints is a burst of changes; the watch loop then asks Mutagen for a cycle, as it does
// for local changes. When the helper ends (the container stopped or was replaced) it is started
// again 5 s later, then less and less often (up to once a minute) while it cannot start;
// meanwhile Mutagen's own rescan of the container still runs.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gardensync/watch/container_helper.h"

namespace gardensync::watch {

// Where gardensync-container-watch is: next to the running gardensync.
std::filesystem::path containerWatchProgram();

class ContainerWatch {
public:
  // `wakeFd` is written to (one byte) whenever changes arrive, so a poll() on it wakes up.
  // `path` is the watched folder in the container, for the log.
  ContainerWatch(HelperLaunch launch, std::string path, int wakeFd);
  ~ContainerWatch();  // stops the helper and waits for the thread
  ContainerWatch(const ContainerWatch&) = delete;
  ContainerWatch& operator=(const ContainerWatch&) = delete;

  // Whether changes arrived since the last call.
  bool takeChanges() { return changed_.exchange(false); }
  // What happened since the last call, for the watcher's log.
  std::vector<std::string> takeNotes();

private:
  void run();
  // Copies the helper in and runs it until it ends or stop_; `retry` is the current wait after a
  // failure, for the log.
  void runHelperOnce(std::chrono::milliseconds retry);
  // Whether the helper is in place (copied now if needed); false after noting why not.
  bool install();
  void note(std::string text);

  HelperLaunch launch_;
  std::string path_;
  int wakeFd_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> changed_{false};
  std::mutex mutex_;
  std::vector<std::string> notes_;
  std::string lastNote_;
  std::thread thread_;
};

}  // namespace gardensync::watch
