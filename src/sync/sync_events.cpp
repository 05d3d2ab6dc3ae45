#include "gardensync/sync/sync_events.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "gardensync/sync/plan.h"
#include "gardensync/ui/session_view.h"

namespace gardensync::sync {

namespace {

// Garden's reverse modes put the container on Mutagen's alpha side (sync/mode_mapping).
bool containerIsAlpha(const mutagen::SessionStatus& session) {
  const std::string mode = session.label(kGardenModeLabel);
  return mode == "one-way-reverse" || mode == "one-way-replica-reverse";
}

bool writesLocally(const mutagen::SessionStatus& session) {
  return containerIsAlpha(session) || session.mode.starts_with("two-way");
}

bool sendsToContainer(const mutagen::SessionStatus& session) { return !containerIsAlpha(session); }

// A session between cycles: Mutagen waits for changes (or for its next poll).
bool idle(const mutagen::SessionStatus& session) {
  return session.status == "watching" || session.status == "waiting-for-rescan" || session.status.empty();
}

std::string stateOf(const mutagen::SessionStatus& session) {
  return session.paused ? "paused" : session.status.empty() ? "disconnected" : session.status;
}

SyncEvent eventFor(const std::string& type, const mutagen::SessionStatus& session) {
  SyncEvent event;
  event.type = type;
  event.session = session.name;
  event.deploy = session.label(kDeployLabel);
  event.state = stateOf(session);
  return event;
}

// New lines of `current` not in `previous`, as events of `type`.
void reportNew(std::vector<SyncEvent>& events, const std::string& type, const mutagen::SessionStatus& session,
               const std::vector<std::string>& current, std::set<std::string>& reported) {
  std::set<std::string> now(current.begin(), current.end());
  for (const auto& line : current) {
    if (reported.count(line)) continue;
    auto event = eventFor(type, session);
    event.message = line;
    events.push_back(std::move(event));
  }
  reported = std::move(now);
}

FileChanges changesOf(Direction direction, const std::set<std::string>& paths, uint64_t staged) {
  FileChanges changes;
  changes.direction = direction;
  for (const auto& path : paths) {
    if (changes.paths.size() == kMaxReportedPaths) {
      changes.omittedPaths = paths.size() - kMaxReportedPaths;
      break;
    }
    changes.paths.push_back(path);
  }
  changes.stagedFiles = staged;
  return changes;
}

}  // namespace

const char* toString(Direction direction) {
  return direction == Direction::ToContainer ? "to-container" : "to-local";
}

std::vector<SyncEvent> EventTracker::update(const std::vector<mutagen::SessionStatus>& sessions) {
  std::vector<SyncEvent> events;
  std::set<std::string> present;
  for (const auto& session : sessions) {
    present.insert(session.identifier);
    auto [it, isNew] = sessions_.try_emplace(session.identifier);
    Tracked& tracked = it->second;
    const mutagen::SessionStatus& before = tracked.last;
    if (isNew) {
      events.push_back(eventFor("started", session));
    } else {
      if (session.paused != before.paused) events.push_back(eventFor(session.paused ? "paused" : "resumed", session));
      const bool wasConnected = before.alpha.connected && before.beta.connected;
      const bool isConnected = session.alpha.connected && session.beta.connected;
      if (wasConnected != isConnected) events.push_back(eventFor(isConnected ? "connected" : "disconnected", session));
      if (!session.paused && session.status != before.status) {
        auto event = eventFor("state", session);
        event.previousState = stateOf(before);
        events.push_back(std::move(event));
        if (mutagen::isHalted(session)) {
          auto halted = eventFor("halted", session);
          halted.message = mutagen::haltAdvice(session);
          events.push_back(std::move(halted));
        }
      }
    }

    // Which side receives files in this cycle: Mutagen stages on the receiving endpoint.
    const bool alphaIsContainer = containerIsAlpha(session);
    uint64_t& toAlpha = alphaIsContainer ? tracked.stagedToContainer : tracked.stagedToLocal;
    uint64_t& toBeta = alphaIsContainer ? tracked.stagedToLocal : tracked.stagedToContainer;
    if (session.status == "staging-alpha") toAlpha = std::max(toAlpha, session.alpha.totalStageFiles);
    if (session.status == "staging-beta") toBeta = std::max(toBeta, session.beta.totalStageFiles);

    if (!isNew && session.successfulCycles > before.successfulCycles) {
      if (!tracked.localEdits.empty() || tracked.stagedToContainer > 0) {
        auto event = eventFor("changes", session);
        event.changes = changesOf(Direction::ToContainer, tracked.localEdits, tracked.stagedToContainer);
        event.cycles = session.successfulCycles;
        events.push_back(std::move(event));
      }
      if (!tracked.incoming.empty() || tracked.stagedToLocal > 0) {
        auto event = eventFor("changes", session);
        event.changes = changesOf(Direction::ToLocal, tracked.incoming, tracked.stagedToLocal);
        event.cycles = session.successfulCycles;
        events.push_back(std::move(event));
      }
      tracked.localEdits.clear();
      tracked.incoming.clear();
      tracked.stagedToContainer = tracked.stagedToLocal = 0;
    } else if (isNew) {
      tracked.localEdits.clear();  // changes before the session was seen belong to its first sync
    }

    const auto view = ui::viewOf(session);
    reportNew(events, "conflict", session, ui::describeConflicts(view), tracked.conflicts);
    reportNew(events, "problem", session, ui::describeProblems(view), tracked.problems);
    std::vector<std::string> errors;
    if (!session.lastError.empty()) errors.push_back(session.lastError);
    reportNew(events, "error", session, errors, tracked.errors);
    tracked.last = session;
  }
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (present.count(it->first)) {
      ++it;
      continue;
    }
    events.push_back(eventFor("stopped", it->second.last));
    events.back().state = "stopped";
    it = sessions_.erase(it);
  }
  return events;
}

void EventTracker::noteLocalChange(const std::string& sessionIdentifier, const std::string& path, bool byMutagen) {
  auto it = sessions_.find(sessionIdentifier);
  if (it == sessions_.end()) return;
  Tracked& tracked = it->second;
  const auto& session = tracked.last;
  // Mutagen writes a file through a temporary it renames into place: that one certainly came
  // from the container. Other changes during a cycle of a mode that writes locally most likely
  // did too (a deletion or a new folder); anything else is the user's edit.
  const bool fromContainer =
      writesLocally(session) && (byMutagen || !sendsToContainer(session) || !idle(session));
  (fromContainer ? tracked.incoming : tracked.localEdits).insert(path);
}

nlohmann::json toJson(const SyncEvent& event, const std::string& time) {
  nlohmann::json object = {{"time", time}, {"event", event.type}};
  if (event.type == "ended") {
    object["message"] = event.message;
    return object;
  }
  object["session"] = event.session;
  object["deploy"] = event.deploy;
  if (!event.type.starts_with("action-")) object["state"] = event.state;  // actions are not the session's
  if (event.type == "state") object["previousState"] = event.previousState;
  if (!event.message.empty() || event.type == "conflict" || event.type == "problem" || event.type == "error" ||
      event.type == "halted")
    object["message"] = event.message;
  if (event.changes) {
    object["direction"] = toString(event.changes->direction);
    object["paths"] = event.changes->paths;
    object["omittedPaths"] = event.changes->omittedPaths;
    object["stagedFiles"] = event.changes->stagedFiles;
    object["cycles"] = event.cycles;
  }
  return object;
}

std::string describe(const SyncEvent& event) {
  if (event.type == "ended") return event.message;
  if (event.type.starts_with("action-")) return fmt::format("{}: {}", event.deploy, event.message);
  if (event.type == "changes" && event.changes) {
    const auto& changes = *event.changes;
    const char* where = changes.direction == Direction::ToContainer ? "to the container" : "to the local folder";
    const size_t count = changes.paths.size() + changes.omittedPaths;
    if (count == 0)
      return fmt::format("{}: {} file{} {}", event.session, changes.stagedFiles, changes.stagedFiles == 1 ? "" : "s",
                         where);
    std::string list = fmt::format("{}", fmt::join(changes.paths.begin(),
                                                   changes.paths.begin() + std::min<size_t>(changes.paths.size(), 5),
                                                   ", "));
    if (count > 5) list += fmt::format(" and {} more", count - 5);
    return fmt::format("{}: {} change{} {}: {}", event.session, count, count == 1 ? "" : "s", where, list);
  }
  if (event.type == "state") return fmt::format("{}: {} (was {})", event.session, event.state, event.previousState);
  if (event.type == "started") return fmt::format("{}: started ({})", event.session, event.state);
  if (event.type == "stopped") return fmt::format("{}: stopped", event.session);
  if (event.type == "halted") return fmt::format("{}: {} — {}", event.session, event.state, event.message);
  if (event.type == "conflict" || event.type == "problem") return event.message;  // already names the session
  if (event.type == "error") return fmt::format("{}: {}", event.session, event.message);
  return fmt::format("{}: {}", event.session, event.type);
}

}  // namespace gardensync::sync
