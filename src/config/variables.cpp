#include "gardensync/config/variables.h"

#include <algorithm>
#include <map>

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

// Variables still pending once nothing more resolves wait, directly or not, for a cycle: follow
// their pending dependencies to find each cycle, and report it once, from its first variable.
void reportCycles(const std::vector<VariableDefinition>& definitions,
                  const std::vector<std::vector<size_t>>& dependencies, const std::vector<State>& state,
                  std::vector<ConfigIssue>& errors) {
  std::vector<bool> seen(definitions.size(), false);
  auto nextPending = [&](size_t i) {
    return *std::find_if(dependencies[i].begin(), dependencies[i].end(),
                         [&](size_t d) { return state[d] == State::Pending; });
  };
  for (size_t start = 0; start < definitions.size(); ++start) {
    if (state[start] != State::Pending || seen[start]) continue;
    std::vector<size_t> walk;
    size_t at = start;
    while (!seen[at] && std::find(walk.begin(), walk.end(), at) == walk.end()) {
      walk.push_back(at);
      at = nextPending(at);
    }
    const bool newCycle = !seen[at];
    for (size_t i : walk) seen[i] = true;
    if (!newCycle) continue;  // leads into a cycle reported already
    std::vector<size_t> cycle(std::find(walk.begin(), walk.end(), at), walk.end());
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
  std::map<std::string, size_t> indexByName;
  for (size_t i = 0; i < definitions.size(); ++i) indexByName[definitions[i].name] = i;
  std::vector<std::vector<size_t>> dependencies;
  for (const auto& definition : definitions)
    dependencies.push_back(sameSetDependencies(definition, indexByName, templates));

  // Resolve whatever is ready until nothing more is: dependency order without sorting.
  std::vector<State> state(definitions.size(), State::Pending);
  bool progress = true;
  while (progress) {
    progress = false;
    for (size_t i = 0; i < definitions.size(); ++i) {
      if (state[i] != State::Pending) continue;
      bool ready = true;
      bool blocked = false;
      for (size_t d : dependencies[i]) {
        ready = ready && state[d] == State::Resolved;
        blocked = blocked || state[d] == State::Failed;
      }
      if (blocked) {
        state[i] = State::Failed;  // the broken variable it uses is reported
        progress = true;
        continue;
      }
      if (!ready) continue;
      try {
        templates.variables[definitions[i].name] = resolveLoadTime(definitions[i].value, templates);
        state[i] = State::Resolved;
      } catch (const TemplateError& e) {
        errors.push_back(issueAt(definitions[i], e.what()));
        state[i] = State::Failed;
      }
      progress = true;
    }
  }
  reportCycles(definitions, dependencies, state, errors);
}

}  // namespace gardensync::config
