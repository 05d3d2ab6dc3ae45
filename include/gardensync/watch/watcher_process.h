// Starting, finding and stopping the project's watcher process. It runs detached (like the Mutagen
// daemon, it outlives the command that started it), holds `<dataDir>/watcher.lock` so there is
// never more than one per project, and records its pid and start time (watch/watcher_record.h)
// so that stopping it never signals an unrelated process that reused the pid.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace gardensync::watch {

struct WatcherLaunch {
  std::filesystem::path self;           // the gardensync executable
  std::filesystem::path dataDir;        // the project's Mutagen data directory
  std::filesystem::path mutagenBinary;
  std::string project;
};

// The lock the watcher holds while it runs.
std::filesystem::path watcherLockPath(const std::filesystem::path& dataDir);
// Where the watcher writes what it does.
std::filesystem::path watcherLogPath(const std::filesystem::path& dataDir);

// The pid of the project's watcher while it runs (checked against its record and /proc).
std::optional<int> runningWatcher(const std::filesystem::path& dataDir);

// Whether a record names a watcher that is no longer running (it was killed or crashed).
bool watcherDied(const std::filesystem::path& dataDir);

// Starts `self __watch ...` detached and waits until it watches (it has written its record);
// returns its pid. Throws Error, with the end of its log, when it exits first.
int startWatcher(const WatcherLaunch& launch);

// Stops the watcher (SIGTERM, then SIGKILL after a few seconds) and removes its record; true when
// one was running.
bool stopWatcher(const std::filesystem::path& dataDir);

}  // namespace gardensync::watch
