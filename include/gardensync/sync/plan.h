// The sync plan: from loaded config to the exact Mutagen sessions to run. Pure data in, data
// out; `deploy --dry-run --output json` prints it and unit tests check it.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "gardensync/config/model.h"

namespace gardensync::sync {

inline constexpr const char* kProjectLabel = "gardensync.io/project";
inline constexpr const char* kDeployLabel = "gardensync.io/deploy";
inline constexpr const char* kSpecHashLabel = "gardensync.io/spec-hash";
// On containers: the project's root folder, so two checkouts of one project (same name) never
// take over or remove each other's containers.
inline constexpr const char* kProjectRootLabel = "gardensync.io/project-root";
// The Garden mode, so `sync status` can tell source from target without the config.
inline constexpr const char* kGardenModeLabel = "gardensync.io/garden-mode";
// "on" when the project's watcher serves the session (watch/watched_sides.h): it notices changes
// on the local side instead of Mutagen (localWatcher below), or, where the local side receives
// (two-way and reverse modes), changes in the container sooner than Mutagen's rescan there.
inline constexpr const char* kWatcherLabel = "gardensync.io/watcher";

struct PlannedSession {
  std::string deploy;
  std::string name;                           // a valid Mutagen session name
  std::map<std::string, std::string> labels;  // project, deploy, garden-mode, spec-hash
  std::string gardenMode;                     // canonical Garden mode
  std::string mode;                           // Mutagen's --mode
  std::string alpha;
  std::string beta;
  std::vector<std::string> ignore;            // provider defaults, then the path's, no duplicates
  // Applied to the container side (beta, or alpha for the reverse modes), in Mutagen's syntax:
  std::optional<std::string> defaultOwner;    // "id:1000" or a name
  std::optional<std::string> defaultGroup;
  std::optional<std::string> defaultFileMode;       // octal, "0644"
  std::optional<std::string> defaultDirectoryMode;  // octal, "0755"
  // Applied to the local side where it receives files (two-way and reverse modes): what the
  // user's umask makes of 0666 and 0777, as any other program's new files would get, instead of
  // Mutagen's private 0600 and 0700.
  std::optional<std::string> localFileMode;
  std::optional<std::string> localDirectoryMode;
  // gardensync's watcher notices local changes and asks for cycles; Mutagen does not watch the
  // local side (nor, in the one-way modes, the container side). Only where the local side is the
  // source: not in the reverse modes.
  bool localWatcher = false;

  // Not part of the printed plan; used by the providers.
  config::SyncMode syncMode = config::SyncMode::OneWaySafe;
  bool containerIsAlpha = false;
  std::filesystem::path localPath;
  bool localPathIsExplicit = false;  // the source was written as an absolute path
  std::string containerPath;
  size_t pathIndex = 0;
};

// The Mutagen URL of the container side of one sync path (`sessionName` is the session's name):
// the provider's business (providers::Provider::syncEndpoint), passed in so the plan stays pure.
using EndpointFunction = std::function<std::string(const config::Action& deploy, const config::SyncPath& path,
                                                   const std::string& sessionName)>;

struct PlanOptions {
  bool watcher = true;  // GARDENSYNC_WATCHER: whether sessions rely on gardensync's watcher
  std::optional<unsigned> umask = std::nullopt;  // the user's; unset: Mutagen's defaults on the local side
};

// Sessions for the given Deploys, in order, one per `spec.sync.paths[]` entry.
std::vector<PlannedSession> planSessions(const config::ProjectConfig& config,
                                         const std::vector<const config::Action*>& deploys,
                                         const EndpointFunction& endpoint, const PlanOptions& options = {});

// The Deploys `--sync` selects: "*" (or an empty list) means every Deploy with sync paths.
// Throws UsageError for unknown names or named Deploys without sync paths (but exec Deploys, whose
// sync mode is what `${this.mode}` makes of them).
std::vector<const config::Action*> selectSyncDeploys(const config::ProjectConfig& config,
                                                     const std::vector<std::string>& names);

// The printed form: exactly the public keys above, nulls for unset defaults.
nlohmann::json toJson(const PlannedSession& session);

// What `deploy --sync` does besides syncing, for the printed plan (docs/status-json.md): the
// `afterSync` of each session that has one ({deploy, session, run, restart}), and the
// `rebuildOn` of each synced Deploy that has it ({deploy, build, folder, patterns}). Not part of
// the sessions' objects, so the spec hash (and the sessions) stay as they are when only these
// change.
nlohmann::json afterSyncJson(const config::ProjectConfig& config, const std::vector<PlannedSession>& sessions);
nlohmann::json rebuildOnJson(const config::ProjectConfig& config, const std::vector<PlannedSession>& sessions);

}  // namespace gardensync::sync
