#include "gardensync/config/model.h"

#include <cctype>

namespace gardensync::config {

const char* toString(ActionKind kind) {
  switch (kind) {
    case ActionKind::Build: return "Build";
    case ActionKind::Deploy: return "Deploy";
    case ActionKind::Run: return "Run";
    case ActionKind::Test: return "Test";
  }
  return "Build";
}

const char* lowercaseKind(ActionKind kind) {
  switch (kind) {
    case ActionKind::Build: return "build";
    case ActionKind::Deploy: return "deploy";
    case ActionKind::Run: return "run";
    case ActionKind::Test: return "test";
  }
  return "build";
}

std::optional<ActionKind> actionKindFrom(std::string_view text) {
  std::string lower;
  for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (ActionKind kind : {ActionKind::Build, ActionKind::Deploy, ActionKind::Run, ActionKind::Test})
    if (lower == lowercaseKind(kind)) return kind;
  return std::nullopt;
}

std::string Action::key() const { return std::string(lowercaseKind(kind)) + "." + name; }

const Action* ProjectConfig::find(ActionKind kind, std::string_view name) const {
  for (const auto& action : actions)
    if (action.kind == kind && action.name == name) return &action;
  return nullptr;
}

std::vector<const Action*> ProjectConfig::deploys() const {
  std::vector<const Action*> result;
  for (const auto& action : actions)
    if (action.kind == ActionKind::Deploy) result.push_back(&action);
  return result;
}

}  // namespace gardensync::config
