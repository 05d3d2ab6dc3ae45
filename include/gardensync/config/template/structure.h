// Resolves a tree of values (a YAML document, a variable's value) as Garden's templated
// collections do (garden-io/garden core/src/template/templated-collections.ts): every string is a
// template, and mappings with Garden's structural keys are operators:
//   - `$merge: <mapping>` among other keys merges the mapping in; keys written after it win,
//     keys before it lose;
//   - a list item `{$concat: <list>}` splices the list in;
//   - `{$if: <boolean>, $then: a, $else: b}` is a, or b (or no value without `$else`);
//   - `{$forEach: <list or mapping>, $return: x, $filter: <boolean>}` is a list of x for every
//     item the filter keeps, with `${item.key}` and `${item.value}`; `$return: {$concat: ...}`
//     flattens the lists it returns.
// Errors carry the path of the value where they are written (`spec.env.$merge`), so every error
// of a tree is reported, each once.
#pragma once

#include <string>
#include <vector>

#include "gardensync/config/template/escapes.h"
#include "gardensync/config/template/limits.h"
#include "gardensync/config/template/scope.h"

namespace gardensync::config::tmpl {

struct TreeOptions {
  Escapes escapes = Escapes::Unescape;  // for the strings of the result
  bool deferUnsupported = false;        // leave templates with values gardensync lacks as written
  ResolveBudget* budget = nullptr;
};

// A problem at `path` (keys and list indexes from the tree's root, as written in the source).
struct TreeProblem {
  std::vector<Value> path;
  std::string message;
};

struct TreeResult {
  Value value;             // the resolved tree; a value that failed stays as written
  bool undefined = false;  // the tree has no value at all (`$if` without `$else`, `${x}?`)
  std::vector<TreeProblem> errors;
  // Where a value stayed as written because of an error above (its path; no message): whatever
  // reads it later should not complain again.
  std::vector<std::vector<Value>> failed;
  // Strings left as written because they need a value gardensync does not have (provider
  // outputs, ...): an error only if something reads them.
  std::vector<TreeProblem> deferred;
};

TreeResult resolveTree(const Value& raw, const Scope& scope, const TreeOptions& options);

// "spec.env.$merge", "spec.ports[2]": a path as a key path in messages, after `base`.
std::string pathText(const std::string& base, const std::vector<Value>& path);

}  // namespace gardensync::config::tmpl
