// The initial copy of new sessions (providers/initial_copy.h) as `deploy --sync` and `sync start`
// run it: progress on the status line, one line per copy, and, after the first cycle, the repair
// of copies that a local edit made stale while they were made.
#pragma once

#include <string>
#include <vector>

#include "gardensync/cli/sync_control.h"
#include "gardensync/mutagen/sessions.h"
#include "gardensync/providers/provider.h"

namespace gardensync::cli {

// Copies the local files of the new sessions `fresh` into their empty container folders.
std::vector<providers::InitialCopy> copyInitialFiles(const providers::Provider& provider,
                                                     const std::vector<sync::PlannedSession>& fresh);

// The provider's part in creating sessions, for applySessions: before the creates, each new
// session's beforeSessionCreate, then the initial copy (kept in `copies`); after a failed create,
// its explainFailedCreate.
CreateHooks providerCreateHooks(const providers::Provider& provider, const providers::TransportContext& transport,
                                std::vector<providers::InitialCopy>& copies);

// Once the first cycles are done: where a session reports a conflict over a file the copy took
// from a local file that has changed since, the copy in the container is stale (Mutagen saw both
// sides "create" the file, differently): it is removed, and the session's next cycle brings the
// local file. Sessions in the modes where the local side wins anyway report no such conflict.
void settleInitialCopies(const mutagen::SessionClient& client, const std::string& project,
                         const std::vector<providers::InitialCopy>& copies);

}  // namespace gardensync::cli
