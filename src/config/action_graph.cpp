#include "gardensync/config/action_graph.h"

#include <algorithm>
#include <map>
#include <functional>
#include <set>

#include <fmt/format.h>

namespace gardensync::config {

namespace {

std::string refKey(const ActionRef& ref) {
  return std::string(ref.kind == ActionKind::Build ? "build." : "deploy.") + ref.name;
}

ConfigIssue issueAt(const Position& position, std::string keyPath, std::string message) {
  return {position.file, position.line, position.column, std::move(keyPath), std::move(message)};
}

}  // namespace

void checkActionGraph(const std::vector<Action>& actions, const std::vector<std::string>& ignoredKeys,
                      std::vector<ConfigIssue>& errors) {
  std::map<std::string, const Action*> byKey;
  for (const auto& action : actions) {
    auto [it, inserted] = byKey.emplace(action.key(), &action);
    if (!inserted) {
      const Position& first = it->second->position;
      const Position& at = action.namePosition.line > 0 ? action.namePosition : action.position;
      errors.push_back(issueAt(at, "name",
                               fmt::format("{} \"{}\" is already defined at {}:{}:{}", toString(action.kind),
                                           action.name, first.file, first.line, first.column)));
    }
  }
  const std::set<std::string> ignored(ignoredKeys.begin(), ignoredKeys.end());
  for (const auto& action : actions) {
    for (const ActionRef& dep : action.dependencies) {
      if (byKey.count(refKey(dep)) || ignored.count(refKey(dep))) continue;
      errors.push_back(issueAt(dep.position, dep.keyPath.empty() ? "dependencies" : dep.keyPath,
                               fmt::format("{} depends on {}, which is not defined", action.key(),
                                           refKey(dep))));
    }
  }

  // Depth-first search with colours; each cycle is reported once, at its first action.
  enum class Colour { White, Grey, Black };
  std::map<std::string, Colour> colour;
  std::vector<std::string> stack;
  std::function<void(const Action&)> visit = [&](const Action& action) {
    colour[action.key()] = Colour::Grey;
    stack.push_back(action.key());
    for (const auto& dep : action.dependencies) {
      auto it = byKey.find(refKey(dep));
      if (it == byKey.end()) continue;
      Colour c = colour[it->first];
      if (c == Colour::Grey) {
        auto start = std::find(stack.begin(), stack.end(), it->first);
        std::string cycle;
        for (auto s = start; s != stack.end(); ++s) cycle += *s + " -> ";
        cycle += it->first;
        errors.push_back(issueAt(it->second->position, "dependencies",
                                 fmt::format("dependency cycle: {}", cycle)));
      } else if (c == Colour::White) {
        visit(*it->second);
      }
    }
    stack.pop_back();
    colour[action.key()] = Colour::Black;
  };
  for (const auto& [key, action] : byKey)
    if (colour[key] == Colour::White) visit(*action);
}

std::vector<const Action*> dependencyOrder(const std::vector<const Action*>& roots,
                                           const std::vector<Action>& actions) {
  std::map<std::string, const Action*> byKey;
  for (const auto& action : actions) byKey.emplace(action.key(), &action);
  std::vector<const Action*> order;
  std::set<std::string> seen;
  std::function<void(const Action*)> visit = [&](const Action* action) {
    if (!seen.insert(action->key()).second) return;
    for (const auto& dep : action->dependencies) {
      auto it = byKey.find(refKey(dep));
      if (it != byKey.end()) visit(it->second);
    }
    order.push_back(action);
  };
  for (const Action* root : roots) visit(root);
  return order;
}

}  // namespace gardensync::config
