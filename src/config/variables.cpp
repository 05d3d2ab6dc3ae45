#include "gardensync/config/variables.h"

#include <algorithm>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "gardensync/config/template/contexts.h"
#include "gardensync/config/template/interpolate.h"
#include "gardensync/config/template/structure.h"
#include "gardensync/config/template/varfile.h"
#include "gardensync/config/template/yaml_render.h"
#include "gardensync/config/template/yaml_value.h"

namespace gardensync::config {

namespace {

enum class State { Pending, Resolved, Failed };

ConfigIssue issueAt(const VariableDefinition& definition, std::string message) {
  const Position& at = definition.position;
  return {at.file, at.line, at.column, definition.keyPath, std::move(message)};
}

// An error inside a variable's value, at the place it is written when the value came from YAML.
ConfigIssue issueInside(const VariableDefinition& definition, const tmpl::TreeProblem& problem) {
  ConfigIssue issue = issueAt(definition, problem.message);
  issue.keyPath = tmpl::pathText(definition.keyPath, problem.path);
  if (definition.node.IsDefined()) {
    const YAML::Mark mark = tmpl::nodeAt(definition.node, problem.path).Mark();
    if (!mark.is_null()) {
      issue.line = mark.line + 1;
      issue.column = mark.column + 1;
    }
  }
  return issue;
}

void collectVariableRefs(const tmpl::Value& value, std::vector<std::string>& names) {
  if (value.is_string()) {
    for (auto& name : findVariableRefs(value.get_ref<const std::string&>())) names.push_back(std::move(name));
  } else if (value.is_array() || value.is_object()) {
    for (const auto& item : value) collectVariableRefs(item, names);
  }
}

// The indexes of the variables of this set that `definition` waits for.
std::vector<size_t> sameSetDependencies(const VariableDefinition& definition,
                                        const std::map<std::string, size_t>& indexByName,
                                        const TemplateContext& templates) {
  std::vector<std::string> names;
  collectVariableRefs(definition.value, names);
  std::vector<size_t> dependencies;
  for (const auto& name : names) {
    auto it = indexByName.find(name);
    if (it == indexByName.end()) continue;  // held already, or undefined: resolution says so
    if (name == definition.name && templates.variables.count(name)) continue;  // extends the held one
    if (std::find(dependencies.begin(), dependencies.end(), it->second) == dependencies.end())
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

// `--var a=x` replaces the variable; `--var a.b=x` (a mapping) merges into it.
bool isPinned(const TemplateContext& templates, const std::string& name) {
  auto it = templates.variableOverrides.find(name);
  return it != templates.variableOverrides.end() && !it->is_object();
}

}  // namespace

tmpl::Value mergeVariables(tmpl::Value base, const tmpl::Value& patch) {
  if (!base.is_object() || !patch.is_object()) return patch;
  for (const auto& [key, value] : patch.items()) {
    auto it = base.find(key);
    if (it == base.end()) tmpl::appendEntry(base, key, value);
    else *it = mergeVariables(std::move(*it), value);
  }
  return base;
}

std::vector<VariableDefinition> parseVariableDefinitions(YamlReader& reader, const YAML::Node& map,
                                                         const std::string& path) {
  std::vector<VariableDefinition> definitions;
  const YAML::Node variables = YamlReader::child(map, "variables");
  const std::string keyPath = YamlReader::join(path, "variables");
  if (!variables.IsDefined() || variables.IsNull()) return definitions;
  if (!reader.isMap(variables, keyPath)) return definitions;
  // Maps by name rather than a search per variable, so thousands of variables load in linear time.
  std::map<std::string, size_t> indexByName;
  for (const auto& entry : variables) {
    const std::string name = entry.first.Scalar();
    const std::string itemPath = YamlReader::join(keyPath, name);
    if (!reader.checkPlainText(entry.first, itemPath, name)) continue;
    VariableDefinition definition{name, tmpl::yamlToValue(entry.second), reader.position(entry.second), itemPath,
                                  entry.second};
    auto [same, inserted] = indexByName.emplace(name, definitions.size());
    if (inserted) {
      definitions.push_back(std::move(definition));
    } else {
      definitions[same->second].value = std::move(definition.value);
      definitions[same->second].node.reset(definition.node);  // reset: `=` would change the node itself
    }
  }
  return definitions;
}

std::vector<VariableDefinition> definitionsFrom(const tmpl::Value& values, const Position& position,
                                                const std::string& keyPath) {
  std::vector<VariableDefinition> definitions;
  if (!values.is_object()) return definitions;
  for (const auto& [name, value] : values.items())
    // Values read from a file are literal text: escaped, they resolve to themselves.
    definitions.push_back({name, tmpl::escapeStrings(value), position, YamlReader::join(keyPath, name)});
  return definitions;
}

tmpl::Value parseVariableFlags(const std::vector<std::string>& flags) {
  tmpl::Value variables = tmpl::Value::object();
  for (const auto& flag : flags) {
    // Split at commas outside quotes: `--var a=1,b="x, y"` is two variables.
    std::vector<std::string> parts{""};
    char quote = 0;
    for (char c : flag) {
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'' || c == '`') {
        quote = c;
      } else if (c == ',') {
        parts.emplace_back();
        continue;
      }
      parts.back() += c;
    }
    for (const auto& part : parts) {
      const tmpl::Value parsed = tmpl::parseDotenv(part);
      if (parsed.empty())
        throw UsageError(fmt::format("--var {}: expected key=value", part), "e.g. --var replicas=2,log-level=debug");
      for (const auto& [key, value] : parsed.items()) {
        // lodash's set: dots make nested mappings.
        tmpl::Value* at = &variables;
        size_t start = 0;
        while (true) {
          const size_t dot = key.find('.', start);
          const std::string name = key.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
          if (dot == std::string::npos) {
            (*at)[name] = value;
            break;
          }
          if (!(*at)[name].is_object()) (*at)[name] = tmpl::Value::object();
          at = &(*at)[name];
          start = dot + 1;
        }
      }
    }
  }
  return variables;
}

void applyVariableOverrides(TemplateContext& templates) {
  for (const auto& [name, value] : templates.variableOverrides.items())
    templates.variables[name] = mergeVariables(templates.variables.count(name) ? templates.variables[name] : nullptr,
                                               value);
}

void resolveVariables(const std::vector<VariableDefinition>& definitions, TemplateContext& templates,
                      std::vector<ConfigIssue>& errors) {
  const size_t count = definitions.size();
  std::map<std::string, size_t> indexByName;
  for (size_t i = 0; i < count; ++i)
    if (!isPinned(templates, definitions[i].name)) indexByName[definitions[i].name] = i;
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
  std::vector<std::vector<ConfigIssue>> failures(count);
  std::vector<size_t> ready;
  for (size_t i = count; i-- > 0;)
    if (unresolved[i] == 0) ready.push_back(i);
  const tmpl::TreeOptions options{Escapes::Unescape, false, templates.budget};
  while (!ready.empty()) {
    const size_t i = ready.back();
    ready.pop_back();
    const VariableDefinition& definition = definitions[i];
    if (!isPinned(templates, definition.name)) {
      tmpl::TreeResult result = tmpl::resolveTree(definition.value, tmpl::ContextScope(templates), options);
      if (!result.errors.empty()) {
        for (const auto& problem : result.errors) failures[i].push_back(issueInside(definition, problem));
        failWithDependents(i, dependents, state);
        continue;
      }
      if (!result.undefined) {
        auto held = templates.variables.find(definition.name);
        tmpl::Value value = held != templates.variables.end() ? mergeVariables(held->second, result.value)
                                                              : std::move(result.value);
        auto override = templates.variableOverrides.find(definition.name);
        if (override != templates.variableOverrides.end()) value = mergeVariables(std::move(value), *override);
        templates.variables[definition.name] = std::move(value);
      }
    }
    state[i] = State::Resolved;
    for (size_t waiting : dependents[i])
      if (--unresolved[waiting] == 0) ready.push_back(waiting);
  }
  for (auto& failure : failures)  // in the order written, whatever the order of resolution
    for (auto& issue : failure) errors.push_back(std::move(issue));
  reportCycles(definitions, dependencies, state, errors);
}

}  // namespace gardensync::config
