// Starting, waiting for and following a project's sync sessions; shared by `deploy --sync` and
// the `sync` commands.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "gardensync/cli/context.h"
#include "gardensync/mutagen/sessions.h"
#include "gardensync/sync/plan.h"
#include "gardensync/ui/session_view.h"

namespace gardensync::cli {

// Refuses to start sessions whose local source is missing, and asks before a replica-reverse
// session mirrors a container folder over a non-empty local one (unless --yes).
void checkLocalSources(Context& context, const std::vector<sync::PlannedSession>& sessions,
                       const std::vector<mutagen::SessionStatus>& running);

struct ApplySummary {
  size_t created = 0;
  size_t terminated = 0;
  size_t unchanged = 0;
  std::vector<std::string> identifiers;  // of the planned sessions: the ones created and the ones kept
  std::vector<std::string> createdIdentifiers;  // the ones created
};

// How many `mutagen sync create` run at once.
constexpr size_t kParallelCreates = 6;

// What the provider does around the creates (cli/initial_copies.h: providerCreateHooks).
struct CreateHooks {
  // Runs once with the sessions about to be created, just before they are.
  std::function<void(const std::vector<sync::PlannedSession>&)> beforeCreate;
  // Runs after the create of a session failed; may throw an Error that says why better.
  std::function<void(const sync::PlannedSession&)> explainFailure;
};

// Creates the sessions, up to kParallelCreates at a time, and returns their identifiers in the
// order given. When any create fails, the first failure is thrown after all have ended (the
// sessions that were created keep running, as they would have one after another), or what
// `explainFailure` throws for it.
std::vector<std::string> createInParallel(const mutagen::SessionClient& client,
                                          const std::vector<sync::PlannedSession>& sessions,
                                          const std::function<void(const sync::PlannedSession&)>& explainFailure = {});

// Makes the sessions of `deploys` match `planned` (see mutagen::diffSessions), with `hooks`
// around the creates.
ApplySummary applySessions(const mutagen::SessionClient& client, const std::string& project,
                           const std::vector<std::string>& deploys, const std::vector<sync::PlannedSession>& planned,
                           const std::vector<mutagen::SessionStatus>& running, const CreateHooks& hooks = {});

// Waits until every session of `identifiers` (ApplySummary::identifiers) has completed a full
// cycle, showing progress. Sessions of the same names created by anyone else are not waited for.
// Throws Error when one halts, disappears (stopped from elsewhere) or the wait times out.
std::vector<ui::SessionView> waitForInitialSync(const mutagen::SessionClient& client, const std::string& project,
                                                const std::vector<std::string>& identifiers);

// What to run to resume a paused session.
std::string pausedAdvice(const mutagen::SessionStatus& session);

// The project's sessions, optionally only those of `deploys`.
std::vector<mutagen::SessionStatus> projectSessions(const mutagen::SessionClient& client, const std::string& project,
                                                    const std::vector<std::string>& deploys);
// Those of `sessions` that belong to one of `deploys`.
std::vector<mutagen::SessionStatus> selectDeploySessions(const std::vector<mutagen::SessionStatus>& sessions,
                                                         const std::vector<std::string>& deploys);

}  // namespace gardensync::cli
