#include "gardensync/cli/after_sync.h"

#include <algorithm>
#include <exception>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "gardensync/config/action_graph.h"
#include "gardensync/config/file_scan.h"
#include "gardensync/util/error.h"
#include "gardensync/util/process.h"
#include "gardensync/util/text.h"

namespace gardensync::cli {

namespace fs = std::filesystem;

namespace {

bool hasWildcard(std::string_view segment) { return segment.find_first_of("*?[{") != std::string_view::npos; }

std::vector<std::string> splitSegments(std::string_view pattern) {
  std::vector<std::string> segments;
  size_t start = 0;
  while (start <= pattern.size()) {
    const size_t slash = std::min(pattern.find('/', start), pattern.size());
    const std::string_view segment = pattern.substr(start, slash - start);
    if (!segment.empty() && segment != ".") segments.emplace_back(segment);
    start = slash + 1;
  }
  return segments;
}

// Folders no Build input lives in, and which can hold many files.
bool skippedFolder(const fs::path& name) { return name == ".git" || name == ".garden" || name == "node_modules"; }

const config::Action* findDeploy(const config::ProjectConfig& config, const std::string& name) {
  return config.find(config::ActionKind::Deploy, name);
}

void logOutput(const std::string& session, const std::string& text) {
  const std::string trimmed = util::trimEnd(text);
  size_t start = 0;
  while (!trimmed.empty() && start <= trimmed.size()) {
    const size_t end = std::min(trimmed.find('\n', start), trimmed.size());
    spdlog::info("{} | {}", session, trimmed.substr(start, end - start));
    start = end + 1;
  }
}

}  // namespace

std::vector<SessionAction> sessionActions(const config::ProjectConfig& config,
                                          const std::vector<sync::PlannedSession>& sessions) {
  std::vector<SessionAction> actions;
  for (const auto& session : sessions) {
    const config::Action* deploy = findDeploy(config, session.deploy);
    if (!deploy || !deploy->sync || session.pathIndex >= deploy->sync->paths.size()) continue;
    const auto& afterSync = deploy->sync->paths[session.pathIndex].afterSync;
    // `restart: false` without `run` is a switched-off action.
    if (!afterSync || (afterSync->run.empty() && !afterSync->restart)) continue;
    actions.push_back({session.deploy, session.name, session.pathIndex, *afterSync});
  }
  return actions;
}

std::string sessionToAct(const sync::SyncEvent& event, const std::vector<SessionAction>& actions) {
  if (event.type != "changes" || !event.changes || event.changes->direction != sync::Direction::ToContainer) return {};
  const bool configured = std::any_of(actions.begin(), actions.end(),
                                      [&](const SessionAction& action) { return action.session == event.session; });
  return configured ? event.session : std::string();
}

std::vector<RebuildWatch> rebuildWatches(const config::ProjectConfig& config,
                                         const std::vector<const config::Action*>& deploys) {
  std::vector<RebuildWatch> watches;
  for (const config::Action* deploy : deploys) {
    if (!deploy->sync || deploy->sync->rebuildOn.empty()) continue;
    const config::Action* build = config::rebuildBuildOf(*deploy, config.actions);
    if (!build) continue;  // the loader refused such a config
    watches.push_back({deploy->name, build->name, build->dir, deploy->sync->rebuildOn});
  }
  return watches;
}

bool matchesRebuildOn(const std::vector<std::string>& patterns, std::string_view relativePath) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const std::string& pattern) { return config::globMatch(pattern, relativePath); });
}

PatternRoot patternRoot(std::string_view pattern) {
  const auto segments = splitSegments(pattern);
  PatternRoot root;
  size_t i = 0;
  for (; i < segments.size() && !hasWildcard(segments[i]); ++i)
    root.prefix += (root.prefix.empty() ? "" : "/") + segments[i];
  root.depth = segments.size() - i;
  // A pattern without wildcards may name a folder; globMatch matches everything below it. So may
  // the last segment of any pattern ("src/*" matches the folder src/lib and all its files).
  root.recursive = true;
  if (i < segments.size())
    root.recursive = std::any_of(segments.begin() + static_cast<long>(i), segments.end(),
                                 [](const std::string& s) { return s.find("**") != std::string::npos; });
  return root;
}

FileTimes scanRebuildFiles(const RebuildWatch& watch) {
  FileTimes times;
  for (const auto& pattern : watch.patterns) {
    const PatternRoot root = patternRoot(pattern);
    const fs::path start = root.prefix.empty() ? watch.folder : watch.folder / root.prefix;
    std::error_code ec;
    const auto status = fs::symlink_status(start, ec);
    if (ec || !fs::exists(status)) continue;
    if (!fs::is_directory(status)) {
      const auto time = fs::last_write_time(start, ec);
      if (!ec && matchesRebuildOn({pattern}, root.prefix)) times[root.prefix] = time;
      continue;
    }
    for (auto it = fs::recursive_directory_iterator(start, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      std::error_code entryError;  // one unreadable entry does not end the walk
      const bool folder = it->is_directory(entryError);
      if (folder && skippedFolder(it->path().filename())) {
        it.disable_recursion_pending();
        continue;
      }
      // Without `**` (and below the wildcards), nothing deeper than the pattern can match, apart
      // from what is below a matching folder.
      const std::string relative = it->path().lexically_relative(watch.folder).generic_string();
      if (folder) {
        if (!root.recursive && static_cast<size_t>(it.depth()) + 1 >= root.depth &&
            !matchesRebuildOn({pattern}, relative))
          it.disable_recursion_pending();
        continue;
      }
      if (!matchesRebuildOn({pattern}, relative)) continue;
      const auto time = it->last_write_time(entryError);
      if (!entryError) times[relative] = time;
    }
  }
  return times;
}

std::vector<std::string> changedFiles(const FileTimes& before, const FileTimes& after) {
  std::vector<std::string> changed;
  for (const auto& [path, time] : after) {
    auto it = before.find(path);
    if (it == before.end() || it->second != time) changed.push_back(path);
  }
  for (const auto& [path, time] : before)
    if (!after.count(path)) changed.push_back(path);
  std::sort(changed.begin(), changed.end());
  return changed;
}

void Debounce::note(const std::string& key, AfterSyncClock::time_point now) {
  for (auto& waiting : waiting_)
    if (waiting.key == key) {
      waiting.last = now;
      return;
    }
  waiting_.push_back({key, now});
}

std::vector<std::string> Debounce::due(AfterSyncClock::time_point now, std::chrono::milliseconds quiet) {
  std::vector<std::string> keys;
  std::vector<Waiting> still;
  for (auto& waiting : waiting_) {
    if (now - waiting.last >= quiet) keys.push_back(waiting.key);
    else still.push_back(std::move(waiting));
  }
  waiting_ = std::move(still);
  return keys;
}

void Debounce::forget(const std::string& key) {
  std::erase_if(waiting_, [&](const Waiting& waiting) { return waiting.key == key; });
}

AfterSyncDecisions::AfterSyncDecisions(std::vector<SessionAction> actions, std::vector<RebuildWatch> watches)
    : actions_(std::move(actions)), watches_(std::move(watches)) {}

void AfterSyncDecisions::onEvent(const sync::SyncEvent& event, AfterSyncClock::time_point now) {
  const std::string session = sessionToAct(event, actions_);
  if (session.empty()) return;
  if (resyncing_.erase(session)) return;
  sessions_.note(session, now);
}

void AfterSyncDecisions::onFilesChanged(const std::string& deploy, const std::vector<std::string>& files,
                                        AfterSyncClock::time_point now) {
  if (files.empty()) return;
  changedFiles_[deploy].insert(files.begin(), files.end());
  rebuilds_.note(deploy, now);
}

void AfterSyncDecisions::onFreshContainer(const std::string& deploy) {
  for (const auto& action : actions_)
    if (action.deploy == deploy) resyncing_.insert(action.session);
}

std::vector<DueAction> AfterSyncDecisions::due(AfterSyncClock::time_point now) {
  std::vector<DueAction> due;
  std::set<std::string> rebuilt;
  for (const auto& deploy : rebuilds_.due(now)) {
    DueAction action;
    action.kind = DueAction::Kind::Rebuild;
    action.deploy = deploy;
    const auto& files = changedFiles_[deploy];
    action.files.assign(files.begin(), files.end());
    changedFiles_.erase(deploy);
    due.push_back(std::move(action));
    rebuilt.insert(deploy);
  }
  // A redeploy gives the Deploy a new container and new sessions: actions for changes the old one
  // received have nothing left to act on. Sessions still waiting keep waiting.
  for (const auto& action : actions_)
    if (rebuilt.count(action.deploy)) sessions_.forget(action.session);
  for (const auto& session : sessions_.due(now)) {
    auto it = std::find_if(actions_.begin(), actions_.end(), [&](const SessionAction& a) { return a.session == session; });
    if (it == actions_.end()) continue;
    if (it->action.restart) {
      auto same = std::find_if(due.begin(), due.end(), [&](const DueAction& d) {
        return d.kind == DueAction::Kind::Restart && d.deploy == it->deploy;
      });
      if (same != due.end()) {
        same->sessions.push_back(session);
        continue;
      }
    }
    DueAction action;
    action.kind = it->action.restart ? DueAction::Kind::Restart : DueAction::Kind::Run;
    action.deploy = it->deploy;
    action.sessions = {session};
    action.pathIndex = it->pathIndex;
    action.command = it->action.run;
    due.push_back(std::move(action));
  }
  return due;
}

std::string describeAction(const DueAction& action) {
  switch (action.kind) {
    case DueAction::Kind::Run: return "run: " + util::formatCommand(action.command);
    case DueAction::Kind::Restart: return "restart";
    case DueAction::Kind::Rebuild: {
      std::string files;
      for (size_t i = 0; i < action.files.size() && i < 5; ++i) files += (i ? ", " : "") + action.files[i];
      if (action.files.size() > 5) files += fmt::format(" and {} more", action.files.size() - 5);
      return fmt::format("rebuild ({} changed)", files.empty() ? "files" : files);
    }
  }
  return {};
}

sync::SyncEvent actionEvent(const char* type, const DueAction& action, std::string message) {
  sync::SyncEvent event;
  event.type = type;
  event.deploy = action.deploy;
  event.session = action.sessions.empty() ? std::string() : action.sessions.front();
  event.message = std::move(message);
  return event;
}

AfterSyncRunner::AfterSyncRunner(const config::ProjectConfig& config, const providers::Provider& provider,
                                 const std::vector<sync::PlannedSession>& sessions,
                                 const std::vector<const config::Action*>& deploys, RedeployFunction redeploy,
                                 EmitFunction emit)
    : config_(config),
      provider_(provider),
      redeploy_(std::move(redeploy)),
      emit_(std::move(emit)),
      decisions_(sessionActions(config, sessions), rebuildWatches(config, deploys)) {
  for (const auto& watch : decisions_.watches()) {
    lastScan_.push_back(scanRebuildFiles(watch));
    spdlog::debug("{}: rebuilding and redeploying when {} change{} (build {})", watch.deploy,
                 fmt::format("{}", fmt::join(watch.patterns, ", ")), watch.patterns.size() == 1 ? "s" : "",
                 watch.build);
  }
  for (const auto& action : decisions_.actions())
    spdlog::debug("{}: after sync: {}", action.session,
                  action.action.restart ? std::string("restart") : util::formatCommand(action.action.run));
}

void AfterSyncRunner::onEvent(const sync::SyncEvent& event) {
  try {
    decisions_.onEvent(event, AfterSyncClock::now());
  } catch (const std::exception& e) {
    spdlog::warn("after-sync actions: {}", e.what());
  }
}

void AfterSyncRunner::scanBuildFolders(AfterSyncClock::time_point now) {
  // Scans cost a walk of the patterns' folders: often enough to feel immediate, not on every tick.
  if (now < nextScan_) return;
  nextScan_ = now + std::chrono::milliseconds(250);
  const auto& watches = decisions_.watches();
  for (size_t i = 0; i < watches.size(); ++i) {
    FileTimes scan = scanRebuildFiles(watches[i]);
    decisions_.onFilesChanged(watches[i].deploy, changedFiles(lastScan_[i], scan), now);
    lastScan_[i] = std::move(scan);
  }
}

void AfterSyncRunner::tick() {
  if (!active()) return;
  try {
    const auto now = AfterSyncClock::now();
    if (!decisions_.watches().empty()) scanBuildFolders(now);
    for (const auto& action : decisions_.due(now)) run(action);
  } catch (const std::exception& e) {
    spdlog::warn("after-sync actions: {}", e.what());
  }
}

std::string AfterSyncRunner::runCommand(const DueAction& action, const config::Action& deploy) {
  const std::string& session = action.sessions.front();
  const auto result = provider_.execInSyncTarget(deploy, deploy.sync->paths.at(action.pathIndex), action.command);
  logOutput(session, result.stdoutText);
  logOutput(session, result.stderrText);
  const std::string command = util::formatCommand(action.command);
  if (result.timedOut) {
    spdlog::warn("{}: after sync: {} timed out", session, command);
    return fmt::format("run: {}: timed out", command);
  }
  if (result.exitCode < 0) {
    spdlog::warn("{}: after sync: {} was ended by signal {}", session, command, result.signal);
    return fmt::format("run: {}: ended by signal {}", command, result.signal);
  }
  if (result.ok()) spdlog::info("{}: after sync: {} exited with code 0", session, command);
  else spdlog::warn("{}: after sync: {} exited with code {}", session, command, result.exitCode);
  return fmt::format("run: {}: exit code {}", command, result.exitCode);
}

std::string AfterSyncRunner::restart(const DueAction& action, const config::Action& deploy) {
  const bool fresh = provider_.restartSyncTarget(deploy, deploy.sync->paths.at(action.pathIndex),
                                                 [&](const std::string& line) { spdlog::info("{}: {}", deploy.name, line); });
  if (fresh) decisions_.onFreshContainer(deploy.name);
  spdlog::info("{}: after sync: restarted", deploy.name);
  return "restart: done";
}

void AfterSyncRunner::run(const DueAction& action) {
  const std::string what = describeAction(action);
  const std::string who = action.sessions.empty() ? action.deploy : action.sessions.front();
  spdlog::info("{}: after sync: {}", who, what);
  if (emit_) emit_(actionEvent(kActionStarted, action, what));
  std::string outcome;
  try {
    const config::Action* deploy = findDeploy(config_, action.deploy);
    if (!deploy || !deploy->sync) throw Error(fmt::format("no Deploy {} with sync paths", action.deploy));
    switch (action.kind) {
      case DueAction::Kind::Run: outcome = runCommand(action, *deploy); break;
      case DueAction::Kind::Restart: outcome = restart(action, *deploy); break;
      case DueAction::Kind::Rebuild:
        redeploy_(*deploy);
        outcome = "rebuild: done";
        spdlog::info("{}: rebuilt and redeployed", action.deploy);
        break;
    }
  } catch (const std::exception& e) {
    // A failing action must not end following: the next change may well fix it.
    const auto* error = dynamic_cast<const Error*>(&e);
    const std::string hint = error && !error->hint().empty() ? " (" + error->hint() + ")" : "";
    spdlog::warn("{}: after sync: {} failed: {}{}", who, what, e.what(), hint);
    outcome = fmt::format("{}: failed: {}", what, e.what());
  }
  if (emit_) emit_(actionEvent(kActionFinished, action, outcome));
}

}  // namespace gardensync::cli
