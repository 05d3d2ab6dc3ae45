#include "gardensync/config/model.h"

namespace gardensync::config {

const char* toString(ActionKind kind) { return kind == ActionKind::Build ? "Build" : "Deploy"; }

std::string Action::key() const {
  return std::string(kind == ActionKind::Build ? "build." : "deploy.") + name;
}

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
