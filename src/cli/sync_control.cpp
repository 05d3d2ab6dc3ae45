#include "gardensync/cli/sync_control.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "gardensync/sync/mode_mapping.h"
#include "gardensync/ui/output.h"
#include "gardensync/ui/progress.h"
#include "gardensync/ui/terminal.h"
#include "gardensync/util/error.h"
#include "gardensync/util/parallel.h"
#include "gardensync/util/termination.h"

namespace gardensync::cli {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// Entries under `dir`. An unreadable folder is an error, not "empty": an empty folder skips the
// question that protects local files from a replica-reverse mirror.
size_t countEntries(const fs::path& dir) {
  size_t count = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
    ++count;
  if (ec)
    throw Error(fmt::format("cannot read the local folder {} ({}); refusing to mirror a container folder over it",
                            dir.string(), ec.message()),
                "fix its permissions, then run the command again");
  return count;
}

std::string progressText(const mutagen::SessionStatus& session) {
  const auto& staging = session.beta.totalStageFiles ? session.beta : session.alpha;
  if (session.status.starts_with("staging") && staging.totalStageFiles)
    return fmt::format("{} {}/{} files, {}", session.status, staging.stagedFiles, staging.totalStageFiles,
                       ui::formatBytes(staging.stagedBytes));
  return session.status.empty() ? "connecting" : session.status;
}

}  // namespace

std::string pausedAdvice(const mutagen::SessionStatus& session) {
  auto deploy = session.labels.find(sync::kDeployLabel);
  return fmt::format("resume it with `gardensync util mutagen sync resume {}`{}", session.name,
                     deploy == session.labels.end()
                         ? std::string()
                         : fmt::format(", or start it afresh with `gardensync sync restart {}`", deploy->second));
}

std::vector<mutagen::SessionStatus> projectSessions(const mutagen::SessionClient& client, const std::string& project,
                                                    const std::vector<std::string>& deploys) {
  auto sessions = client.list(mutagen::projectSelector(project));
  return deploys.empty() ? sessions : selectDeploySessions(sessions, deploys);
}

std::vector<mutagen::SessionStatus> selectDeploySessions(const std::vector<mutagen::SessionStatus>& sessions,
                                                         const std::vector<std::string>& deploys) {
  std::vector<mutagen::SessionStatus> selected;
  for (const auto& session : sessions) {
    auto it = session.labels.find(sync::kDeployLabel);
    if (it != session.labels.end() && std::find(deploys.begin(), deploys.end(), it->second) != deploys.end())
      selected.push_back(session);
  }
  return selected;
}

void checkLocalSources(Context& context, const std::vector<sync::PlannedSession>& sessions,
                       const std::vector<mutagen::SessionStatus>& running) {
  // The config checks the path as written; a symbolic link inside the project can still lead a
  // sync root elsewhere, and a mode that writes locally would then write outside the project.
  const fs::path root = fs::weakly_canonical(context.identity().root);
  for (const auto& session : sessions) {
    if (fs::is_directory(session.localPath)) continue;
    std::error_code ec;
    // The reverse modes fill the local folder from the container, so a missing one is made
    // (inside the project, or where an absolute source says).
    const bool absent = !fs::exists(fs::symlink_status(session.localPath, ec));
    ec.clear();
    if (session.containerIsAlpha && absent) {
      const fs::path rel = fs::weakly_canonical(session.localPath, ec).lexically_relative(root);
      const bool inside = !ec && !rel.empty() && *rel.begin() != "..";
      ec.clear();
      if ((inside || session.localPathIsExplicit) && fs::create_directories(session.localPath, ec) && !ec) {
        spdlog::info("sync {} ({}): created the local folder {}", session.name, session.deploy,
                     session.localPath.string());
        continue;
      }
    }
    throw Error(fmt::format("sync {} ({}): the local folder {} {}", session.name, session.deploy,
                            session.localPath.string(),
                            ec ? fmt::format("cannot be created: {}", ec.message()) : std::string("does not exist")),
                "create it, or fix the sync path's source in the Deploy's config");
  }
  for (const auto& session : sessions) {
    if (session.localPathIsExplicit || !sync::localSideReceives(session.syncMode)) continue;
    std::error_code ec;
    const fs::path real = fs::canonical(session.localPath, ec);
    if (ec)
      throw Error(fmt::format("sync {}: cannot resolve the local folder {}: {}", session.name,
                              session.localPath.string(), ec.message()));
    const fs::path rel = real.lexically_relative(root);
    if (rel.empty() || *rel.begin() == "..")
      throw Error(fmt::format("sync {} ({}): the local folder {} is a link to {}, outside the project {}; its mode {} "
                              "writes container files to the local side, so they would land there",
                              session.name, session.deploy, session.localPath.string(), real.string(),
                              root.string(), session.gardenMode),
                  fmt::format("if that is intended, write the real path as an absolute source: {}", real.string()));
  }
  for (const auto& session : sessions) {
    if (session.syncMode != config::SyncMode::OneWayReplicaReverse) continue;
    const bool alreadyRunning = std::any_of(running.begin(), running.end(), [&](const mutagen::SessionStatus& s) {
      auto hash = s.labels.find(sync::kSpecHashLabel);
      return s.name == session.name && hash != s.labels.end() && hash->second == session.labels.at(sync::kSpecHashLabel);
    });
    if (alreadyRunning || context.options().yes) continue;
    const size_t entries = countEntries(session.localPath);
    if (entries == 0) continue;
    const std::string what = fmt::format(
        "sync {} (one-way-replica-reverse) makes {} an exact mirror of {}: {} local file(s) and folder(s) there may "
        "be replaced or deleted",
        session.name, session.localPath.string(), session.alpha, entries);
    if (ui::confirm(what + ". Continue?")) continue;
    throw UsageError(what, "pass --yes to accept, or choose another sync mode");
  }
}

std::vector<std::string> createInParallel(const mutagen::SessionClient& client,
                                          const std::vector<sync::PlannedSession>& sessions,
                                          const std::function<void(const sync::PlannedSession&)>& explainFailure) {
  std::vector<std::string> identifiers(sessions.size());
  // A failed create is reported once every other create has ended.
  util::runAllInParallel(sessions.size(), kParallelCreates, [&](size_t i) {
    try {
      identifiers[i] = client.create(sessions[i]);
    } catch (const ToolError&) {
      if (explainFailure) explainFailure(sessions[i]);
      throw;
    }
  });
  return identifiers;
}

ApplySummary applySessions(const mutagen::SessionClient& client, const std::string& project,
                           const std::vector<std::string>& deploys, const std::vector<sync::PlannedSession>& planned,
                           const std::vector<mutagen::SessionStatus>& running, const CreateHooks& hooks) {
  const auto changes = mutagen::diffSessions(running, planned, project, deploys);
  ApplySummary summary;
  summary.unchanged = changes.unchanged.size();
  summary.identifiers = changes.unchangedIds;
  summary.terminated = changes.terminate.size();
  if (!changes.terminate.empty()) {
    spdlog::info("stopping {} outdated sync session(s)", changes.terminate.size());
    client.terminate(changes.terminate);
  }
  for (const auto& session : changes.create)
    spdlog::info("starting sync {}: {} -> {} ({})", session.name, session.alpha, session.beta, session.gardenMode);
  if (hooks.beforeCreate && !changes.create.empty()) hooks.beforeCreate(changes.create);
  // Each `mutagen sync create` spends most of its time waiting for an endpoint to connect (an
  // agent probed, perhaps installed): several at once finish far sooner than one after another.
  const auto created = createInParallel(client, changes.create, hooks.explainFailure);
  summary.identifiers.insert(summary.identifiers.end(), created.begin(), created.end());
  summary.createdIdentifiers = created;
  summary.created = created.size();
  // A session that Mutagen watches on neither side runs no first cycle by itself.
  std::vector<std::string> needFirstCycle;
  for (size_t i = 0; i < created.size(); ++i)
    if (changes.create[i].localWatcher) needFirstCycle.push_back(created[i]);
  client.requestFlush(needFirstCycle);
  return summary;
}

std::vector<ui::SessionView> waitForInitialSync(const mutagen::SessionClient& client, const std::string& project,
                                                const std::vector<std::string>& identifiers) {
  ui::StatusLine status;
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + 10min;
  // When a session first showed an error while not yet synced; one that stays failing this long
  // (an endpoint that cannot be reached) ends the wait with that error.
  std::map<std::string, std::chrono::steady_clock::time_point> failingSince;
  while (true) {
    std::vector<mutagen::SessionStatus> sessions;
    try {
      sessions = client.list(mutagen::projectSelector(project));
    } catch (const ToolError& e) {
      status.keep();
      if (!mutagen::isDaemonLoss(e)) throw;
      throw mutagen::daemonLossError("waiting for the initial sync");
    }
    std::vector<ui::SessionView> views;
    std::string line;
    size_t done = 0;
    size_t found = 0;
    for (const auto& session : sessions) {
      if (std::find(identifiers.begin(), identifiers.end(), session.identifier) == identifiers.end()) continue;
      ++found;
      views.push_back(ui::viewOf(session));
      if (mutagen::isHalted(session)) {
        status.keep();
        throw Error(fmt::format("sync {} halted: {}", session.name, session.status), mutagen::haltAdvice(session));
      }
      // A paused session never completes a cycle: waiting for it would wait out the deadline.
      if (session.paused) {
        status.keep();
        throw Error(fmt::format("sync {} is paused, so its initial sync cannot finish", session.name),
                    pausedAdvice(session));
      }
      const bool synced = mutagen::isSynced(session);
      done += synced ? 1 : 0;
      const std::string state = synced ? "synced" : progressText(session);
      line += fmt::format("{}{}: {}", line.empty() ? "" : ", ", session.name, state);
      if (session.lastError.empty() || synced) {
        failingSince.erase(session.name);
      } else {
        spdlog::debug("{}: {}", session.name, session.lastError);
        auto [since, inserted] = failingSince.emplace(session.name, std::chrono::steady_clock::now());
        if (!inserted && std::chrono::steady_clock::now() - since->second > 60s) {
          status.keep();
          throw Error(fmt::format("sync {} keeps failing: {}", session.name, session.lastError),
                      "check that its container runs and can be reached (`gardensync sync status` shows the "
                      "endpoint), then `gardensync sync restart`");
        }
      }
    }
    if (found < identifiers.size()) {
      status.keep();
      throw Error(fmt::format("{} of the sync sessions being started disappeared while waiting for the initial sync",
                              identifiers.size() - found),
                  "another command stopped them (`gardensync sync stop` or `cleanup deploy`); run `gardensync sync "
                  "start` to start them again");
    }
    status.show(fmt::format("initial sync {}/{}: {}", done, identifiers.size(), line));
    if (done == identifiers.size()) {
      status.clear();
      const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
      spdlog::info("initial sync done in {} ms", elapsed.count());
      return views;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      status.keep();
      throw Error(fmt::format("the initial sync did not finish within 10 minutes ({})", line),
                  "check `gardensync sync status` for errors; large folders may need more excludes");
    }
    std::this_thread::sleep_for(200ms);
  }
}

}  // namespace gardensync::cli
