#include "gardensync/watch/watch_loop.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include "gardensync/mutagen/session_args.h"
#include "gardensync/sync/plan.h"
#include "gardensync/util/error.h"
#include "gardensync/watch/container_watch.h"
#include "gardensync/watch/inotify_tree.h"
#include "gardensync/watch/watched_sides.h"

namespace gardensync::watch {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// Mutagen's own polling interval on Linux: when some folders cannot be watched (the inotify watch
// limit), the watcher flushes at least this often, so it is never slower than Mutagen alone.
constexpr std::chrono::milliseconds kDegradedSafetyInterval = 10s;

// Waits up to `duration` for one of `fds` to be readable (negative ones are left out), waking
// early to check `stop`.
void waitFor(std::vector<int> fds, std::chrono::milliseconds duration, const std::function<bool()>& stop) {
  std::vector<pollfd> entries;
  for (int fd : fds)
    if (fd >= 0) entries.push_back({fd, POLLIN, 0});
  const auto until = Clock::now() + duration;
  while (!stop()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
    if (left.count() <= 0) return;
    // A bounded wait, so a stop request that lands between stop() and poll() is seen in time.
    const int ready = ::poll(entries.data(), entries.size(), static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (ready > 0) return;
  }
}

// The pipe the container watches write to when they have something: the loop polls its end.
struct WakePipe {
  int read = -1, write = -1;
  WakePipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0)
      throw Error(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
    read = fds[0];
    write = fds[1];
  }
  ~WakePipe() {
    ::close(read);
    ::close(write);
  }
  WakePipe(const WakePipe&) = delete;
  WakePipe& operator=(const WakePipe&) = delete;
  void drain() const {
    char buffer[256];
    while (::read(read, buffer, sizeof buffer) > 0) {
    }
  }
};

std::vector<mutagen::SessionStatus> watchedSessions(const mutagen::SessionClient& client, const std::string& project) {
  std::vector<mutagen::SessionStatus> result;
  for (auto& session : client.list(watchedSelector(project))) {
    // Paused and halted sessions are watched too: their flushes fail until they are resumed (the
    // Kubernetes transport pauses sessions while it swaps a replaced pod), and then they need the
    // watcher again.
    if (servedByWatcher(session)) result.push_back(std::move(session));
  }
  return result;
}

// Flushes `ids` in one call; when that fails (one of them paused, halted or gone), each on its
// own, so the others still get their cycle. False when any failed.
bool flush(const mutagen::SessionClient& client, const std::vector<std::string>& ids,
           std::map<std::string, std::string>& failures, const std::function<void(const std::string&)>& note) {
  try {
    client.requestFlush(ids);
    for (const auto& id : ids) failures.erase(id);
    return true;
  } catch (const Error&) {
  }
  bool ok = true;
  for (const auto& id : ids) {
    try {
      client.requestFlush({id});
      failures.erase(id);
    } catch (const Error& e) {
      ok = false;
      auto [it, inserted] = failures.try_emplace(id, e.what());
      if (inserted || it->second != e.what()) note(fmt::format("flush of {} failed: {}", id, e.what()));
      it->second = e.what();
    }
  }
  return ok;
}

// Whether the sessions to watch are no longer `ids` (one was stopped, or the daemon is gone).
bool sessionsChanged(const mutagen::SessionClient& client, const std::string& project,
                     const std::vector<std::string>& ids) {
  try {
    std::vector<std::string> now;
    for (const auto& session : watchedSessions(client, project)) now.push_back(session.identifier);
    return now != ids;
  } catch (const Error&) {
    return true;
  }
}

}  // namespace

std::string watchedSelector(const std::string& project) {
  return mutagen::labelSelector({{sync::kProjectLabel, project}, {sync::kWatcherLabel, "on"}});
}

void runWatchLoop(const mutagen::SessionClient& client, const WatchOptions& options) {
  const auto note = [&](const std::string& text) {
    if (options.note) options.note(text);
  };
  bool announced = false;
  std::string lastListError;
  auto retryAfter = 1s;  // doubles while the daemon stays away, up to 30 s
  while (!options.stopRequested()) {
    std::vector<mutagen::SessionStatus> sessions;
    try {
      sessions = watchedSessions(client, options.project);
      lastListError.clear();
      retryAfter = 1s;
    } catch (const Error& e) {
      // Most often the daemon is down; the next gardensync command starts it again.
      if (lastListError != e.what()) note(fmt::format("cannot list the sessions (retrying): {}", e.what()));
      lastListError = e.what();
      waitFor({}, retryAfter, options.stopRequested);
      retryAfter = std::min<std::chrono::seconds>(retryAfter * 2, 30s);
      continue;
    }
    if (sessions.empty()) {
      note("no session needs watching; exiting");
      return;
    }

    InotifyTree tree;
    std::vector<std::string> ids;
    const WakePipe wake;
    const fs::path program = containerWatchProgram();
    const std::string machine = helperMachine();
    std::vector<std::unique_ptr<ContainerWatch>> containers(sessions.size());
    for (size_t i = 0; i < sessions.size(); ++i) {
      if (watchesLocalSide(sessions[i])) tree.addRoot(i, sessions[i].alpha.path, sync::IgnoreMatcher(sessions[i].ignores));
      if (auto side = watchedContainerSide(sessions[i])) {
        auto launch = helperLaunch(*side, sessions[i].ignores, program, options.dataDir, machine);
        if (fs::exists(program))
          containers[i] = std::make_unique<ContainerWatch>(std::move(launch), side->path, wake.write);
        else
          note(fmt::format("{} is missing: changes inside {} reach {} only at Mutagen's next rescan", program.string(),
                           launch.where, sessions[i].name));
      }
      ids.push_back(sessions[i].identifier);
    }
    DebounceSettings settings = options.debounce;
    if (tree.failedFolders() > 0) {
      note(fmt::format("{} folder(s) could not be watched (last: {}); flushing every {} s as a fallback (raise "
                       "fs.inotify.max_user_watches to watch them all)",
                       tree.failedFolders(), tree.lastFailure(), kDegradedSafetyInterval.count() / 1000));
      if (settings.safetyInterval.count() <= 0 || settings.safetyInterval > kDegradedSafetyInterval)
        settings.safetyInterval = kDegradedSafetyInterval;
    }
    std::string names;
    for (const auto& s : sessions) names += (names.empty() ? "" : ", ") + s.name;
    note(fmt::format("watching {} folder(s) of {} session(s): {}", tree.watchedFolders(), sessions.size(), names));
    if (!announced && options.onWatching) options.onWatching();
    announced = true;

    // Whatever changed while nobody watched (before this process, or before this listing).
    std::map<std::string, std::string> failures;  // last error per session, to log each once
    flush(client, ids, failures, note);

    Debouncer debouncer(sessions.size(), Clock::now(), settings);
    std::vector<bool> containerChanged(sessions.size(), false);  // since the session's last cycle
    bool relist = false;
    while (!relist && !options.stopRequested()) {
      const auto deadline = debouncer.nextDeadline();
      auto wait = std::chrono::milliseconds(60000);
      if (deadline)
        wait = std::max(0ms, std::min(wait, std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now())));
      waitFor({tree.fd(), wake.read}, wait, options.stopRequested);
      wake.drain();
      const auto now = Clock::now();
      for (const auto& event : tree.read()) debouncer.record(event.session, event.change, now);
      for (size_t i = 0; i < containers.size(); ++i) {
        if (!containers[i]) continue;
        for (const auto& text : containers[i]->takeNotes()) note(text);
        if (containers[i]->takeChanges()) {
          debouncer.record(i, Change::Write, now);
          containerChanged[i] = true;
        }
      }
      const auto due = debouncer.takeDue(now);
      if (due.empty()) continue;
      std::vector<std::string> flushIds;
      std::string fromContainers;
      for (size_t index : due) {
        flushIds.push_back(ids[index]);
        if (containerChanged[index]) fromContainers += (fromContainers.empty() ? "" : ", ") + sessions[index].name;
        containerChanged[index] = false;
      }
      if (!fromContainers.empty()) note(fmt::format("changes in the containers of {}: asking for a cycle", fromContainers));
      if (!flush(client, flushIds, failures, note)) relist = sessionsChanged(client, options.project, ids);
    }
  }
}

}  // namespace gardensync::watch
