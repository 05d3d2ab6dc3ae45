#include "gardensync/cli/sync_follow.h"

#include <poll.h>

#include <chrono>
#include <ctime>
#include <memory>
#include <optional>
#include <set>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "gardensync/mutagen/session_monitor.h"
#include "gardensync/mutagen/sessions.h"
#include "gardensync/sync/plan.h"
#include "gardensync/ui/output.h"
#include "gardensync/util/error.h"
#include "gardensync/util/termination.h"
#include "gardensync/watch/inotify_tree.h"

namespace gardensync::cli {

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// RFC 3339 in UTC with milliseconds: "2026-11-26T05:01:02.345Z".
std::string timestamp() {
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", utc, ms);
}

void print(const sync::SyncEvent& event, bool jsonLines) {
  if (jsonLines) {
    ui::printJsonLine(sync::toJson(event, timestamp()));
    return;
  }
  const std::string text = sync::describe(event);
  const std::string& type = event.type;
  if (type == "state") spdlog::debug("{}", text);
  else if (type == "conflict" || type == "problem" || type == "error" || type == "halted" || type == "disconnected")
    spdlog::warn("{}", text);
  else spdlog::info("{}", text);
}

// The local folders of the followed sessions, watched so that events can name changed files.
// Without inotify (not Linux, or no watches left) events still come, without names.
class LocalFolders {
public:
  void watch(const std::vector<mutagen::SessionStatus>& sessions) {
    std::vector<std::string> ids;
    for (const auto& session : sessions) ids.push_back(session.identifier);
    if (ids == identifiers_) return;
    identifiers_ = ids;
    tree_.reset();
    try {
      tree_ = std::make_unique<watch::InotifyTree>();
      for (size_t i = 0; i < sessions.size(); ++i) {
        const auto& session = sessions[i];
        const auto& local = session.alpha.protocol == "local" ? session.alpha : session.beta;
        if (local.protocol != "local" || local.path.empty()) continue;
        tree_->addRoot(i, local.path, sync::IgnoreMatcher(session.ignores));
      }
    } catch (const Error& e) {
      spdlog::debug("events will not name files: {}", e.what());
      tree_.reset();
    }
  }
  int fd() const { return tree_ ? tree_->fd() : -1; }
  void read(sync::EventTracker& tracker) {
    if (!tree_) return;
    for (const auto& event : tree_->read())
      if (event.session < identifiers_.size() && !event.path.empty())
        tracker.noteLocalChange(identifiers_[event.session], event.path, event.byMutagen);
  }

private:
  std::vector<std::string> identifiers_;
  std::unique_ptr<watch::InotifyTree> tree_;
};

}  // namespace

void followSessions(const mutagen::MutagenCli& cli, const std::string& project, const FollowOptions& options) {
  const util::InterruptWatch interrupt;  // Ctrl-C and SIGTERM end following, not the syncs
  const mutagen::SessionClient client(cli);
  const std::string selector = mutagen::projectSelector(project);
  const std::set<std::string> deploys(options.deploys.begin(), options.deploys.end());
  if (!options.jsonLines)
    spdlog::info("watching for changes; press Ctrl-C to stop watching (syncs keep running)");

  std::function<void(const sync::SyncEvent&)> emit = [&](const sync::SyncEvent& event) {
    print(event, options.jsonLines);
    if (options.onEvent) options.onEvent(event, emit);
  };
  auto end = [&](const std::string& why) {
    sync::SyncEvent event;
    event.type = "ended";
    event.message = why;
    emit(event);
  };

  sync::EventTracker tracker;
  LocalFolders local;
  auto monitor = std::make_unique<mutagen::SessionMonitor>(cli, selector);
  auto monitorStarted = Clock::now();
  auto lastList = Clock::time_point{};
  bool changed = true;
  std::optional<std::string> listFailure;
  while (!interrupt.requested()) {
    pollfd fds[2] = {{monitor->fd(), POLLIN, 0}, {local.fd(), POLLIN, 0}};
    ::poll(fds, local.fd() >= 0 ? 2 : 1, 250);
    if (monitor->drain()) changed = true;
    local.read(tracker);  // before listing: an edit seen now belongs to the cycle the list shows

    const auto now = Clock::now();
    // A change is looked at within 100 ms; a list every 2 s in any case catches what a monitor
    // being restarted missed.
    if ((changed && now - lastList >= 100ms) || now - lastList >= 2s) {
      lastList = now;
      changed = false;
      std::vector<mutagen::SessionStatus> sessions;
      try {
        for (auto& session : client.list(selector))
          if (deploys.empty() || deploys.count(session.label(sync::kDeployLabel))) sessions.push_back(std::move(session));
        listFailure.reset();
      } catch (const Error& e) {
        if (!cli.daemonResponds())
          return end("the Mutagen daemon stopped, and the syncs with it; `gardensync sync start` starts them again");
        if (!listFailure || *listFailure != e.what()) spdlog::warn("cannot read sync state: {}", e.what());
        listFailure = e.what();
        continue;
      }
      // Folders are watched before the sessions are reported, so that an edit made as soon as
      // a session shows up is seen.
      local.watch(sessions);
      for (const auto& event : tracker.update(sessions)) emit(event);
      if (sessions.empty())
        return end("no syncs left to follow: they were stopped (`gardensync sync stop` or `cleanup deploy`)");
    }
    if (monitor->ended() && !interrupt.requested()) {
      // Its session was stopped, or the daemon restarted: follow through another one. Not more
      // than once a second, whatever the reason.
      spdlog::debug("sync monitor ended: {}", monitor->endReason());
      if (Clock::now() - monitorStarted >= 1s) {
        monitor = std::make_unique<mutagen::SessionMonitor>(cli, selector);
        monitorStarted = Clock::now();
        changed = true;
      }
    }
    if (options.onTick) options.onTick();
  }
  end("stopped following; the syncs keep running (`gardensync sync stop` stops them)");
}

}  // namespace gardensync::cli
