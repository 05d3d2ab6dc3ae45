// What happens to a project's sync sessions, as a stream of events: a session started or stopped,
// changed state, finished a cycle that moved files (which ones, in which direction), ran into a
// conflict, a problem or an error, halted, was paused or resumed. `deploy --sync` prints them,
// `--output jsonl` writes one JSON object per event (docs/status-json.md#events), and after-sync
// actions react to them. EventTracker is pure: it turns successive `sync list` results and the
// local file changes seen in between into events, so unit tests drive it with plain data.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gardensync/mutagen/session_status.h"

namespace gardensync::sync {

enum class Direction { ToContainer, ToLocal };
const char* toString(Direction direction);  // "to-container", "to-local"

// The files one cycle of one session moved in one direction.
struct FileChanges {
  Direction direction = Direction::ToContainer;
  // Paths relative to the synced folder, '/'-separated, sorted; at most kMaxReportedPaths of them.
  std::vector<std::string> paths;
  size_t omittedPaths = 0;   // changed paths beyond those listed
  uint64_t stagedFiles = 0;  // files Mutagen transferred in this direction (0 for deletions only)
};

inline constexpr size_t kMaxReportedPaths = 100;

struct SyncEvent {
  // started | stopped | state | changes | conflict | problem | error | halted | paused | resumed |
  // connected | disconnected | ended
  std::string type;
  std::string session;  // the session's name ("api-0"); empty for `ended`
  std::string deploy;   // the Deploy it belongs to; empty for `ended`
  std::string state;          // `state`, `started`, `halted`: the state now
  std::string previousState;  // `state`: the state before
  std::string message;        // conflict, problem, error and halt text; why following `ended`
  std::optional<FileChanges> changes;  // `changes`
  uint64_t cycles = 0;                 // `changes`: the session's successful cycles so far
};

// The JSON object of one event (docs/status-json.md#events), with `time` as given (RFC 3339).
nlohmann::json toJson(const SyncEvent& event, const std::string& time);
// One line for people: "api-0: 2 files to the container: src/a.js, src/b.js".
std::string describe(const SyncEvent& event);

class EventTracker {
public:
  // Events between the previous list and this one (`sessions`: this project's sessions, all of
  // them each time). A session seen for the first time is reported as `started`.
  std::vector<SyncEvent> update(const std::vector<mutagen::SessionStatus>& sessions);

  // A path below a session's local folder changed (written, created, removed or moved) now;
  // `byMutagen`: a file was renamed into place from outside the folder, as Mutagen places the
  // files it receives (watch::TreeEvent). It is reported with
  // the cycle that carries it: written by Mutagen, or seen while a cycle ran in a mode that writes
  // locally, it came from the container; otherwise it is the user's edit going to the container.
  void noteLocalChange(const std::string& sessionIdentifier, const std::string& path, bool byMutagen);

private:
  struct Tracked {
    mutagen::SessionStatus last;
    std::set<std::string> conflicts;       // lines reported and still true
    std::set<std::string> problems;
    std::set<std::string> errors;
    std::set<std::string> localEdits;      // seen while idle: on their way to the container
    std::set<std::string> incoming;        // seen during a cycle: brought from the container
    uint64_t stagedToContainer = 0;        // most files seen staging on each side in this cycle
    uint64_t stagedToLocal = 0;
  };
  std::map<std::string, Tracked> sessions_;  // by identifier
};

}  // namespace gardensync::sync
