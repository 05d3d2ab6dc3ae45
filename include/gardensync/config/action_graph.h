// Checks the actions as a graph: unique names per kind, dependencies that exist, no cycles.
#pragma once

#include <string>
#include <vector>

#include "gardensync/config/model.h"
#include "gardensync/util/error.h"

namespace gardensync::config {

// Appends one issue per duplicate, unknown dependency and cycle ("dependency cycle: build.a ->
// build.b -> build.a", at its first action; a cycle of more than 12 actions names the first and
// last five). `ignoredKeys` are actions of kinds gardensync skips (run.x, test.y): depending on
// them is not an error. Both walks are iterative, so any depth of dependencies fits.
void checkActionGraph(const std::vector<Action>& actions, const std::vector<std::string>& ignoredKeys,
                      std::vector<ConfigIssue>& errors);

// Actions in dependency order (dependencies first); assumes checkActionGraph found no errors.
std::vector<const Action*> dependencyOrder(const std::vector<const Action*>& roots,
                                           const std::vector<Action>& actions);

}  // namespace gardensync::config
