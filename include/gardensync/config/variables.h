// Resolves a project's variables: the project's own, then those of the chosen environment, each
// set in dependency order (whatever the names), so `a: ${var.b}` works as well as `b: ${var.a}`.
// Variables that refer to each other in a cycle are an error naming the cycle.
#pragma once

#include <string>
#include <vector>

#include "gardensync/config/model.h"
#include "gardensync/config/template.h"
#include "gardensync/util/error.h"

namespace gardensync::config {

// One `variables` entry as written.
struct VariableDefinition {
  std::string name;
  std::string value;    // not yet resolved
  Position position;    // of the value
  std::string keyPath;  // variables.x, environments[1].variables.x
};

// Resolves one set of variables into `templates.variables`, over the values it already holds
// (the project's, when these are an environment's). In a value, `${var.x}` is this set's x, or
// the one already held when this set has none, or when x is the variable itself: so an
// environment's `path: ${var.path}:/opt` extends the project's `path`. Errors, positioned at the
// value, go to `errors` in the order the variables are written, then one per cycle; a variable
// that waits for a broken one is skipped without another error. A value that resolves to more
// than kMaxResolvedBytes (template.h) is an error, so doubling a variable again and again stops.
void resolveVariables(const std::vector<VariableDefinition>& definitions, TemplateContext& templates,
                      std::vector<ConfigIssue>& errors);

}  // namespace gardensync::config
