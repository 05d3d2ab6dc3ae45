// Mutagen sync sessions of one daemon: list, create, terminate, flush, pause and resume, each
// with a timeout; and reconciling what runs with what the plan says.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "gardensync/mutagen/mutagen_cli.h"
#include "gardensync/mutagen/session_status.h"
#include "gardensync/sync/plan.h"

namespace gardensync::mutagen {

class SessionClient {
public:
  explicit SessionClient(const MutagenCli& cli) : cli_(cli) {}

  // Sessions matching a label selector (all when empty).
  std::vector<SessionStatus> list(const std::string& selector = {}) const;
  // Creates the session and waits until both endpoints are connected; returns its identifier.
  // `onOutput` sees Mutagen's progress lines ("Installing agent...").
  std::string create(const sync::PlannedSession& session,
                     const std::function<void(std::string_view)>& onOutput = {}) const;
  void terminate(const std::vector<std::string>& identifiers) const;
  void flush(const std::vector<std::string>& identifiers, std::chrono::seconds timeout) const;
  // Asks for a cycle without waiting for it (`sync flush --skip-wait`): each session then rescans
  // both sides in full.
  void requestFlush(const std::vector<std::string>& identifiers) const;
  void pause(const std::vector<std::string>& identifiers) const;
  void resume(const std::vector<std::string>& identifiers) const;
  // Forgets the sessions' history (`sync reset`): the next cycle treats both sides' files as new,
  // so nothing missing on one side is taken as deleted.
  void reset(const std::vector<std::string>& identifiers) const;

private:
  const MutagenCli& cli_;
};

// What to do so that the sessions of `deploys` match `planned`. Sessions of other projects and of
// other Deploys are never in it.
struct SessionChanges {
  std::vector<sync::PlannedSession> create;  // new, or replacing a changed one
  std::vector<std::string> terminate;        // identifiers: changed, removed or duplicates
  std::vector<std::string> unchanged;        // names of sessions left as they are
  std::vector<std::string> unchangedIds;     // and their identifiers
};

// Pure: compares by session name and the spec-hash label.
SessionChanges diffSessions(const std::vector<SessionStatus>& existing,
                            const std::vector<sync::PlannedSession>& planned, const std::string& project,
                            const std::vector<std::string>& deploys);

// The selector for a project's sessions, optionally of one Deploy.
std::string projectSelector(const std::string& project, const std::string& deploy = {});

}  // namespace gardensync::mutagen
