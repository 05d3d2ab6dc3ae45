// Resolves a project's variables: the project's own, then those of the chosen environment (and,
// for an action, its own), each set in dependency order (whatever the names), so `a: ${var.b}`
// works as well as `b: ${var.a}`. Values may be strings, numbers, booleans, null, lists and
// mappings, with templates and structural operators anywhere in them. Variables that refer to
// each other in a cycle are an error naming the cycle.
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "gardensync/config/model.h"
#include "gardensync/config/template.h"
#include "gardensync/config/yaml_reader.h"
#include "gardensync/util/error.h"

namespace gardensync::config {

// One `variables` entry as written.
struct VariableDefinition {
  std::string name;
  tmpl::Value value;    // not yet resolved (scalars typed as YAML 1.2 reads them)
  Position position;    // of the value
  std::string keyPath;  // variables.x, environments[1].variables.x
  YAML::Node node = {};  // the value as written, for positions inside it; may be undefined
};

// The `variables` mapping of `map` (a Project, an environment, an action) as written; a name given
// twice keeps the last value (at the position of the first, where YamlReader::child finds it).
// A `variables` that is not a mapping is an error.
std::vector<VariableDefinition> parseVariableDefinitions(YamlReader& reader, const YAML::Node& map,
                                                         const std::string& path);

// Definitions of values read from elsewhere (a varfile, `--var`), positioned at `position`.
std::vector<VariableDefinition> definitionsFrom(const tmpl::Value& values, const Position& position,
                                                const std::string& keyPath);

// Resolves one set of variables into `templates.variables`, over the values it already holds
// (the project's, when these are an environment's). In a value, `${var.x}` is this set's x, or
// the one already held when this set has none, or when x is the variable itself: so an
// environment's `path: ${var.path}:/opt` extends the project's `path`. A mapping merges into the
// mapping it overrides, key by key (Garden's JSON Merge Patch); anything else replaces it.
// `templates.variableOverrides` (`--var`) win over every definition. Errors, positioned at the
// value, go to `errors` in the order the variables are written, then one per cycle; a variable
// that waits for a broken one is skipped without another error. A value that resolves to more
// than kMaxResolvedBytes (template.h) is an error, so doubling a variable again and again stops.
void resolveVariables(const std::vector<VariableDefinition>& definitions, TemplateContext& templates,
                      std::vector<ConfigIssue>& errors);

// Sets `templates.variables` from `templates.variableOverrides`: the variables `--var` sets.
void applyVariableOverrides(TemplateContext& templates);

// `--var` flags as Garden reads them: `key=value`, several in one flag separated by commas (a value
// in quotes may hold one), each read as a dotenv line; `a.b=value` sets key b of mapping a.
// Throws UsageError for a flag that is not key=value.
tmpl::Value parseVariableFlags(const std::vector<std::string>& flags);

// JSON Merge Patch (RFC 7396) as Garden merges variables: mappings merge key by key, anything
// else replaces.
tmpl::Value mergeVariables(tmpl::Value base, const tmpl::Value& patch);

}  // namespace gardensync::config
