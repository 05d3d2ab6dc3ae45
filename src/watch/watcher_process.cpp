#include "gardensync/watch/watcher_process.h"

#include <signal.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <iterator>
#include <thread>

#include <fmt/format.h>

#include "gardensync/util/error.h"
#include "gardensync/util/process.h"
#include "gardensync/util/process_info.h"
#include "gardensync/util/text.h"
#include "gardensync/watch/watcher_record.h"

namespace gardensync::watch {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

bool isRecorded(const WatcherRecord& record) {
  auto info = util::readProcessInfo(record.pid);
  return info && isRecordedWatcher(record, *info);
}

bool processExists(int pid) { return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM); }

// A process that exited stays a zombie until its parent reaps it; a detached one is reaped by
// init soon after. Either way it shows no command line any more.
bool exited(int pid) {
  if (!processExists(pid)) return true;
  auto info = util::readProcessInfo(pid);
  return !info || info->argv.empty();
}

std::string logTail(const fs::path& log) {
  std::ifstream in(log, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.size() > 2000) text = text.substr(text.size() - 2000);
  return util::trimEnd(text);
}

}  // namespace

fs::path watcherLockPath(const fs::path& dataDir) { return dataDir / "watcher.lock"; }
fs::path watcherLogPath(const fs::path& dataDir) { return dataDir / "watcher.log"; }

std::optional<int> runningWatcher(const fs::path& dataDir) {
  auto record = readRecord(dataDir);
  if (record && record->dataDir == dataDir.string() && isRecorded(*record)) return record->pid;
  return std::nullopt;
}

bool watcherDied(const fs::path& dataDir) {
  auto record = readRecord(dataDir);
  return record && !(record->dataDir == dataDir.string() && isRecorded(*record));
}

int startWatcher(const WatcherLaunch& launch) {
  const fs::path log = watcherLogPath(launch.dataDir);
  // Keep the log from growing without end across restarts: the last run's is enough.
  std::error_code ec;
  if (fs::file_size(log, ec) > 1024 * 1024) fs::rename(log, log.string() + ".old", ec);
  const int pid = util::spawnDetached({launch.self.string(), kWatchCommand, "--data-dir", launch.dataDir.string(),
                                       "--mutagen", launch.mutagenBinary.string(), "--project", launch.project},
                                      {}, log);
  // Large trees take a moment to watch; the record appears once every folder is.
  for (int i = 0; i < 1200; ++i) {
    if (auto running = runningWatcher(launch.dataDir)) return *running;  // ours, or one that won the lock
    // Our own child: waitpid knows for sure (right after the spawn, /proc may not show its
    // command line yet), and reaps it.
    if (::waitpid(pid, nullptr, WNOHANG) == pid) {
      if (auto running = runningWatcher(launch.dataDir)) return *running;
      throw Error(fmt::format("the file watcher stopped right after it started:\n{}", logTail(log)),
                  fmt::format("its log is {}; set GARDENSYNC_WATCHER=off to let Mutagen watch the files itself",
                              log.string()));
    }
    std::this_thread::sleep_for(50ms);
  }
  throw Error(fmt::format("the file watcher (pid {}) did not start watching within a minute", pid),
              fmt::format("its log is {}", log.string()));
}

bool stopWatcher(const fs::path& dataDir) {
  auto record = readRecord(dataDir);
  if (!record) return false;
  bool stopped = false;
  if (record->dataDir == dataDir.string() && isRecorded(*record)) {
    ::kill(record->pid, SIGTERM);
    // Signal it again only while it is provably the same process.
    for (int i = 0; i < 50 && isRecorded(*record); ++i) std::this_thread::sleep_for(100ms);
    if (isRecorded(*record)) ::kill(record->pid, SIGKILL);
    for (int i = 0; i < 20 && !exited(record->pid); ++i) std::this_thread::sleep_for(50ms);
    stopped = true;
  }
  // Only the record read above: one a newer watcher wrote meanwhile is its own.
  if (auto now = readRecord(dataDir); now && now->pid == record->pid && now->started == record->started)
    removeRecord(dataDir);
  return stopped;
}

}  // namespace gardensync::watch
