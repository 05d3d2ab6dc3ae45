// After-sync actions (docs/sync-modes.md#after-sync-actions): while `deploy --sync` follows the
// sync sessions in the foreground, run a command in the container or restart it once changes have
// landed there (a sync path's `afterSync`), and rebuild the image and redeploy a Deploy when a
// file matching its `spec.sync.rebuildOn` changes. The follow loop hands every sync event to
// AfterSyncRunner::onEvent and calls AfterSyncRunner::tick at least every 250 ms; the decisions
// (which action an event calls for, debouncing, which files match) are the pure functions and the
// AfterSyncDecisions class below, so unit tests drive them with plain data and explicit times.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "gardensync/config/model.h"
#include "gardensync/providers/provider.h"
#include "gardensync/sync/plan.h"
#include "gardensync/sync/sync_events.h"

namespace gardensync::cli {

using AfterSyncClock = std::chrono::steady_clock;

// How long a session (or a Build's files) must have been quiet before its action runs: a save of
// several files reaches the container in one or two cycles close together, and gets one action.
inline constexpr std::chrono::milliseconds kAfterSyncQuiet{300};

// The event types the actions add to the stream (docs/status-json.md#events).
inline constexpr const char* kActionStarted = "action-started";
inline constexpr const char* kActionFinished = "action-finished";

// The afterSync of one planned session's sync path.
struct SessionAction {
  std::string deploy;
  std::string session;  // "api-0"
  size_t pathIndex = 0;
  config::AfterSync action;
};

// The afterSync of every planned session that has one, in plan order (found through
// PlannedSession::pathIndex).
std::vector<SessionAction> sessionActions(const config::ProjectConfig& config,
                                          const std::vector<sync::PlannedSession>& sessions);

// The session whose action `event` calls for: a `changes` event that moved files to the
// container, of a session with an action. Empty otherwise.
std::string sessionToAct(const sync::SyncEvent& event, const std::vector<SessionAction>& actions);

// What a Deploy's `spec.sync.rebuildOn` watches.
struct RebuildWatch {
  std::string deploy;
  std::string build;             // the Build to rebuild (config::rebuildBuildOf)
  std::filesystem::path folder;  // the Build's source folder; patterns are relative to it
  std::vector<std::string> patterns;
};

// One per Deploy of `deploys` that has rebuildOn, in that order.
std::vector<RebuildWatch> rebuildWatches(const config::ProjectConfig& config,
                                         const std::vector<const config::Action*>& deploys);

// Whether `relativePath` ('/'-separated, below the Build's folder) matches one of `patterns`
// (config::globMatch: `*` within a folder, `**` across folders; a matching folder matches
// everything below it).
bool matchesRebuildOn(const std::vector<std::string>& patterns, std::string_view relativePath);

// The folder below which a pattern's files can be (its leading segments without wildcards), and
// whether files deeper than the pattern's own depth can match (`**`, or a pattern naming a folder).
struct PatternRoot {
  std::string prefix;  // '/'-separated, relative; empty for the Build's folder itself
  size_t depth = 0;    // segments below `prefix` a match has, when not `recursive`
  bool recursive = false;
};
PatternRoot patternRoot(std::string_view pattern);

// Modification times of the files that match, by relative path.
using FileTimes = std::map<std::string, std::filesystem::file_time_type>;
// Reads them from disk (skipping `.git`, `.garden` and `node_modules` folders).
FileTimes scanRebuildFiles(const RebuildWatch& watch);
// Paths created, removed or modified between two scans, sorted.
std::vector<std::string> changedFiles(const FileTimes& before, const FileTimes& after);

// Keys that wait until they have been quiet for a while.
class Debounce {
public:
  void note(const std::string& key, AfterSyncClock::time_point now);
  // The keys last noted at least `quiet` before `now`, in the order they were first noted; they
  // stop waiting.
  std::vector<std::string> due(AfterSyncClock::time_point now, std::chrono::milliseconds quiet = kAfterSyncQuiet);
  void forget(const std::string& key);
  bool empty() const { return waiting_.empty(); }

private:
  struct Waiting {
    std::string key;
    AfterSyncClock::time_point last;
  };
  std::vector<Waiting> waiting_;
};

// One action to run now.
struct DueAction {
  enum class Kind { Run, Restart, Rebuild };
  Kind kind = Kind::Run;
  std::string deploy;
  std::vector<std::string> sessions;  // the sessions whose changes called for it; empty for Rebuild
  size_t pathIndex = 0;               // Run, Restart: of the (first) session's sync path
  std::vector<std::string> command;   // Run
  std::vector<std::string> files;     // Rebuild: the changed files, relative to the Build's folder
};

// The decisions, without running anything: which sessions had changes reach the container, which
// Build folders changed, and what is due when. A rebuild replaces the container and restarts its
// syncs, so it also drops that Deploy's pending session actions; several restarts of one Deploy
// due together are one restart.
class AfterSyncDecisions {
public:
  AfterSyncDecisions(std::vector<SessionAction> actions, std::vector<RebuildWatch> watches);

  const std::vector<SessionAction>& actions() const { return actions_; }
  const std::vector<RebuildWatch>& watches() const { return watches_; }

  void onEvent(const sync::SyncEvent& event, AfterSyncClock::time_point now);
  // The Build folder of `deploy` changed (changedFiles was not empty).
  void onFilesChanged(const std::string& deploy, const std::vector<std::string>& files, AfterSyncClock::time_point now);
  // A restart started the Deploy's container afresh (Provider::restartSyncTarget returned true):
  // the next `changes` to the container of each of its sessions is the resync of its files, not
  // an edit, and calls for no action (else a restart would call for the next one, forever).
  void onFreshContainer(const std::string& deploy);
  // What to run now: rebuilds first, then the session actions in the order their changes came.
  std::vector<DueAction> due(AfterSyncClock::time_point now);

private:
  std::vector<SessionAction> actions_;
  std::vector<RebuildWatch> watches_;
  Debounce sessions_;
  Debounce rebuilds_;
  std::map<std::string, std::set<std::string>> changedFiles_;  // by Deploy, while it waits
  std::set<std::string> resyncing_;                             // sessions whose next changes to ignore
};

// The `action-started` and `action-finished` events of an action: `session` is the (first)
// session for Run and Restart, empty for Rebuild; `message` says what ("run: npm run build",
// "run: npm run build: exit code 1", "restart: done", "rebuild: failed: ...").
sync::SyncEvent actionEvent(const char* type, const DueAction& action, std::string message);
// "run: npm run build", "restart", "rebuild (Dockerfile changed)".
std::string describeAction(const DueAction& action);

// Runs the actions while `deploy --sync` follows. Never throws from onEvent or tick: a failing
// action is logged and reported as `action-finished` with the failure, and following goes on.
// Actions run one at a time, in tick(), so the follow loop reads sync events again once the
// action has finished.
class AfterSyncRunner {
public:
  using EmitFunction = std::function<void(const sync::SyncEvent&)>;
  // Rebuilds the Build and redeploys the Deploy with its syncs, as `deploy --sync=<name>` does.
  using RedeployFunction = std::function<void(const config::Action& deploy)>;

  AfterSyncRunner(const config::ProjectConfig& config, const providers::Provider& provider,
                  const std::vector<sync::PlannedSession>& sessions, const std::vector<const config::Action*>& deploys,
                  RedeployFunction redeploy, EmitFunction emit);

  // Whether any action is configured; without one the hooks do nothing.
  bool active() const { return !decisions_.actions().empty() || !decisions_.watches().empty(); }
  // Where `action-started` / `action-finished` go, for a follow loop that makes its emitter only
  // once it starts.
  void setEmit(EmitFunction emit) { emit_ = std::move(emit); }

  void onEvent(const sync::SyncEvent& event);
  void tick();

private:
  void scanBuildFolders(AfterSyncClock::time_point now);
  void run(const DueAction& action);
  std::string runCommand(const DueAction& action, const config::Action& deploy);
  std::string restart(const DueAction& action, const config::Action& deploy);

  const config::ProjectConfig& config_;
  const providers::Provider& provider_;
  RedeployFunction redeploy_;
  EmitFunction emit_;
  AfterSyncDecisions decisions_;
  std::vector<FileTimes> lastScan_;  // per watch
  AfterSyncClock::time_point nextScan_{};
};

}  // namespace gardensync::cli
