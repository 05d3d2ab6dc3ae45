// Checks the actions as a graph: unique names per kind, dependencies that exist, no cycles.
#pragma once

#include <string>
#include <vector>

#include "gardensync/config/model.h"
#include "gardensync/util/error.h"

namespace gardensync::config {

// Appends one issue per duplicate, unknown dependency and cycle, and per `spec.sync.rebuildOn` of
// a Deploy without a Build to rebuild ("dependency cycle: build.a ->
// build.b -> build.a", at its first action; a cycle of more than 12 actions names the first and
// last five). `ignoredKeys` are disabled actions (deploy.x, run.y): depending on them is not an
// error, as Garden ignores such a dependency. Both walks are iterative, so any depth of dependencies fits.
void checkActionGraph(const std::vector<Action>& actions, const std::vector<std::string>& ignoredKeys,
                      std::vector<ConfigIssue>& errors);

// The Build a Deploy's `spec.sync.rebuildOn` watches and rebuilds: the one named by `build:`, else
// its only Build dependency; nullptr when it has none or several.
const Action* rebuildBuildOf(const Action& deploy, const std::vector<Action>& actions);

// Actions in dependency order (dependencies first); assumes checkActionGraph found no errors. The
// dependencies of an action gardensync does not run (Action::runs) are not followed from it.
std::vector<const Action*> dependencyOrder(const std::vector<const Action*>& roots,
                                           const std::vector<Action>& actions);

}  // namespace gardensync::config
