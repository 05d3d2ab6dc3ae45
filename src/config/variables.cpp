#include "gardensync/config/variables.h"

#include <algorithm>
#include <map>
#include <optional>

#include <fmt/format.h>

namespace gardensync::config {

namespace {

enum class State { Pending, Resolved, Failed };

ConfigIssue issueAt(const VariableDefinition& definition, std::string message) {
  const Position& at = definition.position;
  return {at.file, at.line, at.column, definition.keyPath, std::move(message)};
}

// The indexes of the variables of this set that `definition` waits for.
std::vector<size_t> sameSetDependencies(const VariableDefinition& definition,
                                        const std::map<std::string, size_t>& indexByName,
                                        const TemplateContext& templates) {
  std::vector<size_t> dependencies;
  for (const auto& name : findVariableRefs(definition.value)) {
    auto it = indexByName.find(name);
    if (it == indexByName.end()) continue;  // held already, or undefined: resolveLoadTime says so
    if (name == definition.name && templates.variables.count(name)) continue;  // extends the held one
    dependencies.push_back(it->second);
  }
  return dependencies;
}

// A variable that waits, directly or not, for a broken one fails too, without an error of its own.
void failWithDependents(size_t broken, const std::vector<std::vector<size_t>>& dependents,
                        std::vector<State>& state) {
  state[broken] = State::Failed;
  std::vector<size_t> stack{broken};
  while (!stack.empty()) {
    size_t at = stack.back();
    stack.pop_back();
    for (size_t waiting : dependents[at]) {
      if (state[waiting] != State::Pending) continue;
      state[waiting] = State::Failed;
      stack.push_back(waiting);
    }
  }
}

// Variables still pending once nothing more resolves wait, directly or not, for a cycle: follow
// their pending dependencies to find each cycle, and report it once, from its first variable.
void reportCycles(const std::vector<VariableDefinition>& definitions,
                  const std::vector<std::vector<size_t>>& dependencies, const std::vector<State>& state,
                  std::vector<ConfigIssue>& errors) {
  constexpr size_t kNotOnWalk = static_cast<size_t>(-1);
  std::vector<bool> seen(definitions.size(), false);
  std::vector<size_t> walkIndex(definitions.size(), kNotOnWalk);  // where on the current walk
  auto nextPending = [&](size_t i) {
    return *std::find_if(dependencies[i].begin(), dependencies[i].end(),
                         [&](size_t d) { return state[d] == State::Pending; });
  };
  for (size_t start = 0; start < definitions.size(); ++start) {
    if (state[start] != State::Pending || seen[start]) continue;
    std::vector<size_t> walk;
    size_t at = start;
    while (!seen[at] && walkIndex[at] == kNotOnWalk) {
      walkIndex[at] = walk.size();
      walk.push_back(at);
      at = nextPending(at);
    }
    const bool newCycle = !seen[at];
    std::vector<size_t> cycle;
    if (newCycle) cycle.assign(walk.begin() + static_cast<std::ptrdiff_t>(walkIndex[at]), walk.end());
    for (size_t i : walk) {
      seen[i] = true;
      walkIndex[i] = kNotOnWalk;
    }
    if (!newCycle) continue;  // leads into a cycle reported already
    std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
    std::string names;
    for (size_t i : cycle) names += definitions[i].name + " -> ";
    names += definitions[cycle.front()].name;
    errors.push_back(issueAt(definitions[cycle.front()], fmt::format("variable cycle: {}", names)));
  }
}

}  // namespace

void resolveVariables(const std::vector<VariableDefinition>& definitions, TemplateContext& templates,
                      std::vector<ConfigIssue>& errors) {
  const size_t count = definitions.size();
  std::map<std::string, size_t> indexByName;
  for (size_t i = 0; i < count; ++i) indexByName[definitions[i].name] = i;
  std::vector<std::vector<size_t>> dependencies(count);
  std::vector<std::vector<size_t>> dependents(count);  // the reverse edges
  std::vector<size_t> unresolved(count);               // how many of its dependencies still wait
  for (size_t i = 0; i < count; ++i) {
    dependencies[i] = sameSetDependencies(definitions[i], indexByName, templates);
    unresolved[i] = dependencies[i].size();
    for (size_t d : dependencies[i]) dependents[d].push_back(i);
  }

  // Dependency order without sorting (Kahn's algorithm): a variable is resolved once the last of
  // its dependencies is, so each is resolved once and a long chain costs no more per variable than
  // a short one. What is left pending waits for a cycle.
  std::vector<State> state(count, State::Pending);
  std::vector<std::optional<ConfigIssue>> failures(count);
  std::vector<size_t> ready;
  for (size_t i = count; i-- > 0;)
    if (unresolved[i] == 0) ready.push_back(i);
  while (!ready.empty()) {
    const size_t i = ready.back();
    ready.pop_back();
    try {
      templates.variables[definitions[i].name] = resolveLoadTime(definitions[i].value, templates);
    } catch (const TemplateError& e) {
      failures[i] = issueAt(definitions[i], e.what());
      failWithDependents(i, dependents, state);
      continue;
    }
    state[i] = State::Resolved;
    for (size_t waiting : dependents[i])
      if (--unresolved[waiting] == 0) ready.push_back(waiting);
  }
  for (auto& failure : failures)  // in the order written, whatever the order of resolution
    if (failure) errors.push_back(std::move(*failure));
  reportCycles(definitions, dependencies, state, errors);
}

}  // namespace gardensync::config
