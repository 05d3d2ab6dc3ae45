#include "gardensync/cli/watcher_control.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "gardensync/mutagen/sessions.h"
#include "gardensync/sync/plan.h"
#include "gardensync/util/error.h"
#include "gardensync/util/process.h"
#include "gardensync/util/text.h"
#include "gardensync/watch/watch_loop.h"
#include "gardensync/watch/watched_sides.h"
#include "gardensync/watch/watcher_process.h"

namespace gardensync::cli {

bool watcherWanted() {
#ifndef __linux__
  return false;  // Mutagen watches recursively by itself on macOS; the watcher uses inotify
#endif
  return util::environmentSwitchOn("GARDENSYNC_WATCHER");
}

namespace {

bool anyReliesOnWatcher(const Engine& engine, const std::string& project) {
  const mutagen::SessionClient client(*engine.mutagen);
  for (const auto& session : client.list(watch::watchedSelector(project)))
    if (watch::servedByWatcher(session)) return true;
  return false;
}

void warnCannotStart(const Error& e) {
  spdlog::warn("cannot start the file watcher: {}{}", e.what(), e.hint().empty() ? "" : " — " + e.hint());
}

void startFor(const Engine& engine, const std::string& project) {
  const int pid = watch::startWatcher({util::selfExecutable(), engine.dataDir.path, engine.tool.binary, project});
  spdlog::info("file watcher running (pid {}); its log is {}", pid, watch::watcherLogPath(engine.dataDir.path).string());
}

}  // namespace

void refreshWatcher(const Engine& engine, const std::string& project, bool sessionsChanged) {
  const std::filesystem::path& dataDir = engine.dataDir.path;
  if (!anyReliesOnWatcher(engine, project)) {
    if (watch::stopWatcher(dataDir)) spdlog::info("file watcher stopped");
    return;
  }
  if (watch::runningWatcher(dataDir)) {
    if (!sessionsChanged) return;
    watch::stopWatcher(dataDir);
  }
  startFor(engine, project);
}

void reviveWatcher(const Engine& engine, const std::string& project,
                   const std::vector<mutagen::SessionStatus>& projectSessions) {
  if (watch::runningWatcher(engine.dataDir.path)) return;
  if (std::none_of(projectSessions.begin(), projectSessions.end(), watch::servedByWatcher)) return;
  try {
    if (watch::watcherDied(engine.dataDir.path)) spdlog::warn("the file watcher had stopped (killed?); starting it again");
    startFor(engine, project);
  } catch (const Error& e) {
    warnCannotStart(e);
  }
}

void reviveWatcher(const Engine& engine, const std::string& project) {
  if (watch::runningWatcher(engine.dataDir.path)) return;
  std::vector<mutagen::SessionStatus> watched;
  try {
    watched = mutagen::SessionClient(*engine.mutagen).list(watch::watchedSelector(project));
  } catch (const Error& e) {
    warnCannotStart(e);
    return;
  }
  reviveWatcher(engine, project, watched);
}

WatcherState watcherState(const Engine& engine, const std::vector<mutagen::SessionStatus>& sessions) {
  WatcherState state;
  for (const auto& session : sessions)
    if (watch::servedByWatcher(session)) state.sessions.push_back(session.name);
  state.pid = watch::runningWatcher(engine.dataDir.path);
  return state;
}

}  // namespace gardensync::cli
