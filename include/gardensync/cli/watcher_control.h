// Keeping the project's watcher process (watch/) in step with its sessions: started or replaced
// when sessions that rely on it were created, stopped when none is left, started again by any
// command that finds it died. Sessions rely on it when it serves one of their sides
// (watch::servedByWatcher: label gardensync.io/watcher=on, sync/plan.h); GARDENSYNC_WATCHER=off
// plans new sessions without it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gardensync/cli/engine.h"
#include "gardensync/mutagen/session_status.h"

namespace gardensync::cli {

// False when GARDENSYNC_WATCHER is "off", "0", "false" or "no", and on systems other than Linux.
bool watcherWanted();

// Stops the watcher when no session of `project` relies on it; otherwise starts it, or replaces a
// running one when `sessionsChanged` (it watches the folders of the sessions it found at start).
// Throws Error when it cannot start.
void refreshWatcher(const Engine& engine, const std::string& project, bool sessionsChanged);

// Starts the watcher when it does not run (it died, or the daemon was stopped) and sessions rely
// on it. A failure is logged, not thrown: the command itself should still run.
void reviveWatcher(const Engine& engine, const std::string& project);
// The same, deciding from `projectSessions` (all of the project's, just listed) rather than asking
// Mutagen again.
void reviveWatcher(const Engine& engine, const std::string& project,
                   const std::vector<mutagen::SessionStatus>& projectSessions);

struct WatcherState {
  std::vector<std::string> sessions;  // names of the sessions that rely on it
  std::optional<int> pid;             // while it runs
};

WatcherState watcherState(const Engine& engine, const std::vector<mutagen::SessionStatus>& sessions);

}  // namespace gardensync::cli
