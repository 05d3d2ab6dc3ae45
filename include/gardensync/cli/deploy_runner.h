// The real deploy: build, run the containers, create the sync sessions and follow them.
#pragma once

#include <vector>

#include "gardensync/cli/context.h"
#include "gardensync/sync/plan.h"

namespace gardensync::cli {

void runDeployment(Context& context, const std::vector<const config::Action*>& deploys,
                   const std::vector<sync::PlannedSession>& sessions, bool detach);

}  // namespace gardensync::cli
