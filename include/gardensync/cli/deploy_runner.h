// The real deploy: build, run the containers, create the sync sessions and follow them.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "gardensync/cli/context.h"
#include "gardensync/sync/plan.h"

namespace gardensync::cli {

// The actions gardensync leaves out of a deploy, for `--output json`: action, kind, name, type
// and reason of each.
nlohmann::json skippedJson(const std::vector<const config::Action*>& skipped);

void runDeployment(Context& context, const std::vector<const config::Action*>& deploys,
                   const std::vector<sync::PlannedSession>& sessions, bool detach);

}  // namespace gardensync::cli
