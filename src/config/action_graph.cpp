#include "gardensync/config/action_graph.h"

#include <map>
#include <set>

#include <fmt/format.h>

namespace gardensync::config {

namespace {

std::string refKey(const ActionRef& ref) {
  return std::string(lowercaseKind(ref.kind)) + "." + ref.name;
}

ConfigIssue issueAt(const Position& position, std::string keyPath, std::string message) {
  return {position.file, position.line, position.column, std::move(keyPath), std::move(message)};
}

// A cycle longer than this is written with its middle left out: a project can hold cycles of
// thousands of actions, and every one of them is reported.
constexpr size_t kCycleShownInFull = 12;
constexpr size_t kCycleEnds = 5;  // actions shown at each end of a shortened cycle

// "a -> b -> a", from the actions on the cycle in walk order (the first one closes it).
std::string describeCycle(const std::vector<std::string>& keys) {
  std::string text;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys.size() > kCycleShownInFull && i == kCycleEnds) {
      text += fmt::format("... ({} more) -> ", keys.size() - 2 * kCycleEnds);
      i = keys.size() - kCycleEnds;
    }
    text += keys[i] + " -> ";
  }
  return text + keys.front();
}

// One step of a depth-first walk: an action and the next of its dependencies to follow. The walks
// keep these on the heap, so a chain of any length fits (recursion overflowed the call stack at a
// few tens of thousands of actions).
struct Frame {
  size_t action;
  size_t next = 0;
};

}  // namespace

const Action* rebuildBuildOf(const Action& deploy, const std::vector<Action>& actions) {
  auto findBuild = [&](const std::string& name) -> const Action* {
    for (const Action& action : actions)
      if (action.kind == ActionKind::Build && action.name == name) return &action;
    return nullptr;
  };
  if (!deploy.build.empty()) return findBuild(deploy.build);
  const Action* only = nullptr;
  for (const ActionRef& ref : deploy.dependencies) {
    if (ref.kind != ActionKind::Build) continue;
    const Action* build = findBuild(ref.name);
    if (!build || (only && only != build)) return nullptr;
    only = build;
  }
  return only;
}

void checkActionGraph(const std::vector<Action>& actions, const std::vector<std::string>& ignoredKeys,
                      std::vector<ConfigIssue>& errors) {
  for (const Action& action : actions) {
    if (action.kind != ActionKind::Deploy || !action.sync || action.sync->rebuildOn.empty()) continue;
    if (!rebuildBuildOf(action, actions))
      errors.push_back(issueAt(action.sync->rebuildOnPosition, "spec.sync.rebuildOn",
                               fmt::format("Deploy {} has no Build to rebuild when these files change: give it "
                                           "`build: <name>` (or exactly one Build among its dependencies)",
                                           action.name)));
  }
  std::map<std::string, size_t> byKey;  // the first action of each key
  for (size_t i = 0; i < actions.size(); ++i) {
    const Action& action = actions[i];
    auto [it, inserted] = byKey.emplace(action.key(), i);
    if (!inserted) {
      const Position& first = actions[it->second].position;
      const Position& at = action.namePosition.line > 0 ? action.namePosition : action.position;
      errors.push_back(issueAt(at, "name",
                               fmt::format("{} \"{}\" is already defined at {}:{}:{}", toString(action.kind),
                                           action.name, first.file, first.line, first.column)));
    }
  }
  const std::set<std::string> ignored(ignoredKeys.begin(), ignoredKeys.end());
  std::vector<std::vector<size_t>> edges(actions.size());  // the dependencies that exist, in order
  for (size_t i = 0; i < actions.size(); ++i) {
    for (const ActionRef& dep : actions[i].dependencies) {
      const std::string key = refKey(dep);
      if (auto it = byKey.find(key); it != byKey.end()) {
        edges[i].push_back(it->second);
        continue;
      }
      if (ignored.count(key)) continue;
      errors.push_back(issueAt(dep.position, dep.keyPath.empty() ? "dependencies" : dep.keyPath,
                               fmt::format("{} depends on {}, which is not defined", actions[i].key(), key)));
    }
  }

  // Depth-first search with colours; each cycle is reported once, at its first action.
  enum class Colour { White, Grey, Black };
  std::vector<Colour> colour(actions.size(), Colour::White);
  std::vector<size_t> depth(actions.size());  // of a Grey action: its place on `path`
  std::vector<Frame> path;
  auto enter = [&](size_t action) {
    colour[action] = Colour::Grey;
    depth[action] = path.size();
    path.push_back({action});
  };
  for (const auto& [key, root] : byKey) {
    if (colour[root] != Colour::White) continue;
    enter(root);
    while (!path.empty()) {
      Frame& frame = path.back();
      if (frame.next == edges[frame.action].size()) {
        colour[frame.action] = Colour::Black;
        path.pop_back();
        continue;
      }
      const size_t dep = edges[frame.action][frame.next++];
      if (colour[dep] == Colour::White) {
        enter(dep);  // `frame` is not used after this: the push may move it
      } else if (colour[dep] == Colour::Grey) {
        std::vector<std::string> cycle;
        for (size_t i = depth[dep]; i < path.size(); ++i) cycle.push_back(actions[path[i].action].key());
        errors.push_back(issueAt(actions[dep].position, "dependencies",
                                 fmt::format("dependency cycle: {}", describeCycle(cycle))));
      }
    }
  }
}

std::vector<const Action*> dependencyOrder(const std::vector<const Action*>& roots,
                                           const std::vector<Action>& actions) {
  std::map<std::string, const Action*> byKey;
  for (const auto& action : actions) byKey.emplace(action.key(), &action);
  std::vector<const Action*> order;
  std::set<std::string> seen;
  // Each action on the walk with the next of its dependencies to follow, as in Frame, but by
  // pointer: a root need not be an element of `actions`.
  std::vector<std::pair<const Action*, size_t>> path;
  // An action gardensync skips is in the order, but what it depends on is followed only when
  // something gardensync runs needs it too: the image of a Test is not built to not run the Test.
  auto enter = [&](const Action* action) {
    if (seen.insert(action->key()).second) path.emplace_back(action, action->runs() ? 0 : action->dependencies.size());
  };
  for (const Action* root : roots) {
    enter(root);
    while (!path.empty()) {
      auto& [action, next] = path.back();
      if (next == action->dependencies.size()) {
        order.push_back(action);
        path.pop_back();
        continue;
      }
      auto it = byKey.find(refKey(action->dependencies[next++]));
      if (it != byKey.end()) enter(it->second);
    }
  }
  return order;
}

}  // namespace gardensync::config
