// How sync sessions are shown: the `sync status` table and its JSON form (docs/status-json.md),
// and one-line descriptions of conflicts, problems and halts. Speaks Garden's terms (source is
// the local side, target the container side) whatever Mutagen's alpha/beta are.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gardensync/mutagen/session_status.h"

namespace gardensync::ui {

struct SessionView {
  std::string deploy;
  std::string name;
  std::string identifier;
  std::string source;  // local path
  std::string target;  // container endpoint
  std::string gardenMode;
  std::string mode;
  std::string state;
  bool paused = false;
  bool localWatcher = false;  // gardensync's watcher notices the local changes (label gardensync.io/watcher=on)
  uint64_t successfulCycles = 0;
  std::string lastError;
  uint64_t files = 0;
  uint64_t directories = 0;
  uint64_t bytes = 0;
  nlohmann::json conflicts = nlohmann::json::array();  // [{root, sourceChanges, targetChanges}]
  nlohmann::json problems = nlohmann::json::array();   // [{side, kind, path, error}]
};

SessionView viewOf(const mutagen::SessionStatus& session);
nlohmann::json toJson(const SessionView& view);
std::string statusTable(const std::vector<SessionView>& views);
// "api-0: conflict at a.txt: source modified file, target modified file"
std::vector<std::string> describeConflicts(const SessionView& view);
std::vector<std::string> describeProblems(const SessionView& view);

}  // namespace gardensync::ui
