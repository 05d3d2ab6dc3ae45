// Mutagen's session state, parsed from `mutagen sync list --template '{{ json . }}'` into plain
// structs. Mutagen omits zero values, so every field is optional in the JSON.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace gardensync::mutagen {

struct Problem {
  std::string path;
  std::string error;
};

struct EndpointStatus {
  std::string protocol;  // local, docker, ssh
  std::string host;
  std::string path;
  bool connected = false;
  bool scanned = false;
  uint64_t directories = 0;
  uint64_t files = 0;
  uint64_t totalFileSize = 0;
  std::vector<Problem> scanProblems;
  std::vector<Problem> transitionProblems;
  std::string watchMode;  // the endpoint's configured watch mode: "" (Mutagen's default) or "no-watch", ...
  uint64_t stagedFiles = 0;  // stagingProgress, while staging
  uint64_t totalStageFiles = 0;
  uint64_t stagedBytes = 0;
};

struct ConflictChange {
  std::string path;
  std::string oldEntry;  // "file", "directory", "symlink" or "" (absent)
  std::string newEntry;
};

struct Conflict {
  std::string root;
  std::vector<ConflictChange> alphaChanges;
  std::vector<ConflictChange> betaChanges;
};

struct SessionStatus {
  std::string identifier;
  std::string name;
  std::map<std::string, std::string> labels;
  std::string mode;
  bool paused = false;
  std::string status;  // watching, scanning, halted-on-root-emptied, ...
  std::string lastError;
  uint64_t successfulCycles = 0;
  EndpointStatus alpha;
  EndpointStatus beta;
  std::vector<Conflict> conflicts;
  uint64_t excludedConflicts = 0;
  std::vector<std::string> ignores;  // the session's ignore patterns (`--ignore`), in order

  // The value of label `key`, "" when the session has none.
  std::string label(const std::string& key) const;
};

// Throws Error when the text is not the expected JSON array.
std::vector<SessionStatus> parseSessionList(std::string_view json);

// A session has finished a full cycle and is idle (both sides scanned, watching).
bool isSynced(const SessionStatus& session);
// The session stopped itself to protect data (root emptied, deleted or changed type).
bool isHalted(const SessionStatus& session);
// What a user should do about a halted session.
std::string haltAdvice(const SessionStatus& session);

}  // namespace gardensync::mutagen
