#include "gardensync/cli/initial_copies.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "gardensync/ui/progress.h"
#include "gardensync/ui/terminal.h"
#include "gardensync/util/error.h"

namespace gardensync::cli {

std::vector<providers::InitialCopy> copyInitialFiles(const providers::Provider& provider,
                                                     const std::vector<sync::PlannedSession>& fresh) {
  std::vector<providers::InitialCopy> copies;
  {
    ui::StatusLine status;
    // A copy's progress lines end in "(n of m files, ...)": without a terminal only the words
    // before it are printed, once per copy.
    copies = provider.copyInitialFiles(fresh, [&status](const std::string& line) {
      status.show(line, std::string_view(line).substr(0, line.find(" (")));
    });
  }
  std::vector<providers::InitialCopy> done;
  for (auto& copy : copies) {
    if (!copy.failure.empty()) {
      spdlog::warn("sync {}: the initial copy into {} failed, so Mutagen copies the files itself: {}", copy.session,
                   copy.where, copy.failure);
      continue;
    }
    spdlog::info("sync {}: copied {} files ({}) into the empty {} in {}", copy.session, copy.files.size(),
                 ui::formatBytes(copy.bytes), copy.where, ui::formatDuration(copy.took));
    done.push_back(std::move(copy));
  }
  return done;
}

CreateHooks providerCreateHooks(const providers::Provider& provider, const providers::TransportContext& transport,
                                std::vector<providers::InitialCopy>& copies) {
  CreateHooks hooks;
  hooks.beforeCreate = [&provider, &transport, &copies](const std::vector<sync::PlannedSession>& fresh) {
    for (const auto& session : fresh) provider.beforeSessionCreate(session, transport);
    copies = copyInitialFiles(provider, fresh);
  };
  hooks.explainFailure = [&provider](const sync::PlannedSession& session) { provider.explainFailedCreate(session); };
  return hooks;
}

void settleInitialCopies(const mutagen::SessionClient& client, const std::string& project,
                         const std::vector<providers::InitialCopy>& copies) {
  if (copies.empty()) return;
  std::vector<mutagen::SessionStatus> sessions;
  try {
    sessions = client.list(mutagen::projectSelector(project));
  } catch (const Error& e) {  // the syncs run; a conflict left here shows in `sync status`
    spdlog::warn("cannot check the first cycles for stale copies: {}", e.what());
    return;
  }
  std::vector<std::string> again;
  for (const auto& session : sessions) {
    if (session.conflicts.empty()) continue;
    auto copy = std::find_if(copies.begin(), copies.end(), [&](const auto& c) { return c.session == session.name; });
    if (copy == copies.end()) continue;
    std::vector<std::string> roots;
    for (const auto& conflict : session.conflicts) roots.push_back(conflict.root);
    const auto stale = providers::staleCopiesInConflict(*copy, roots);
    if (stale.empty()) continue;
    spdlog::info("sync {}: {} file(s) changed locally while they were copied ({}{}); replacing the copies in {}",
                 session.name, stale.size(), stale.front(), stale.size() > 1 ? ", ..." : "", copy->where);
    try {
      copy->removeInContainer(stale);
      again.push_back(session.identifier);
    } catch (const Error& e) {
      spdlog::warn("sync {}: {}; `gardensync sync status` shows the conflicts", session.name, e.what());
    }
  }
  try {
    client.flush(again, std::chrono::minutes(10));
  } catch (const Error& e) {
    spdlog::warn("the cycle that replaces stale copies did not end: {}; `gardensync sync status` shows where the "
                 "syncs are",
                 e.what());
  }
}

}  // namespace gardensync::cli
