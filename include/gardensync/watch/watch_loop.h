// The body of the per-project watcher process (`gardensync __watch`): finds the project's
// sessions whose local side gardensync watches (label gardensync.io/watcher=on; Mutagen was told
// not to watch that side), watches their local folders, and asks Mutagen for a cycle of exactly
// the sessions whose folders changed once each burst of changes is over (watch/debouncer.h).
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "gardensync/mutagen/sessions.h"
#include "gardensync/watch/debouncer.h"

namespace gardensync::watch {

struct WatchOptions {
  std::string project;
  // The project's Mutagen data directory: the Kubernetes transport's stand-ins are there.
  std::filesystem::path dataDir;
  DebounceSettings debounce;
  // Checked between waits; the loop returns soon after it turns true.
  std::function<bool()> stopRequested;
  // Called once, when the first set of folders is watched (the watcher then writes its record).
  std::function<void()> onWatching;
  // What the watcher does and what goes wrong, for its log.
  std::function<void(const std::string&)> note;
};

// The label selector of the sessions the project's watcher serves.
std::string watchedSelector(const std::string& project);

// Runs until stopRequested() or until no session needs watching any more.
void runWatchLoop(const mutagen::SessionClient& client, const WatchOptions& options);

}  // namespace gardensync::watch
