// The real deploy: build, run the containers, create the sync sessions and follow them.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "gardensync/cli/context.h"
#include "gardensync/providers/provider.h"
#include "gardensync/sync/plan.h"

namespace gardensync::cli {

// The actions gardensync leaves out of a deploy, for `--output json`: action, kind, name, type
// and reason of each.
nlohmann::json skippedJson(const std::vector<const config::Action*>& skipped);

void runDeployment(Context& context, const std::vector<const config::Action*>& deploys,
                   const std::vector<sync::PlannedSession>& sessions, bool detach);

// What a `spec.sync.rebuildOn` change runs while `deploy --sync` follows (cli/after_sync.h):
// builds and redeploys `deploy` with its planned `sessions` exactly as `deploy --sync=<name>`
// does (sessions of a replaced container stopped first, started afresh after, the initial sync
// waited for), without printing a result or following.
void redeployWithSync(Context& context, const providers::Provider& provider, const config::Action& deploy,
                      const std::vector<sync::PlannedSession>& sessions);

}  // namespace gardensync::cli
