#include "gardensync/cli/deploy_runner.h"

#include "gardensync/util/error.h"

namespace gardensync::cli {

void runDeployment(Context& context, const std::vector<const config::Action*>&,
                   const std::vector<sync::PlannedSession>&, bool) {
  throw Error("deploying is not available in this build of gardensync (provider " +
                  context.project().provider.name + " has no deploy engine yet)",
              "use --dry-run to print the plan");
}

}  // namespace gardensync::cli
