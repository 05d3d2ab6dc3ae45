#include "gardensync/config/action_types.h"

#include <algorithm>

#include <fmt/format.h>

namespace gardensync::config {

namespace {

struct TypeEntry {
  ActionKind kind;
  const char* type;
  bool runs;
};

// Garden 0.13/0.14's built-in plugins (container, exec, kubernetes, local-kubernetes, jib,
// terraform, pulumi, conftest, hadolint, docker-compose). Run and Test actions of every type are
// loaded and skipped.
constexpr TypeEntry kTypes[] = {
    {ActionKind::Build, "container", true},
    {ActionKind::Build, "exec", true},
    {ActionKind::Build, "jib-container", false},
    {ActionKind::Build, "docker-compose-service", false},
    {ActionKind::Deploy, "container", true},
    {ActionKind::Deploy, "exec", true},
    {ActionKind::Deploy, "kubernetes", true},
    {ActionKind::Deploy, "helm", true},
    {ActionKind::Deploy, "terraform", false},
    {ActionKind::Deploy, "pulumi", false},
    {ActionKind::Deploy, "configmap", false},
    {ActionKind::Deploy, "persistentvolumeclaim", false},
    {ActionKind::Deploy, "docker-compose-service", false},
    {ActionKind::Run, "container", false},
    {ActionKind::Run, "exec", false},
    {ActionKind::Run, "kubernetes-pod", false},
    {ActionKind::Run, "kubernetes-exec", false},
    {ActionKind::Run, "helm-pod", false},
    {ActionKind::Run, "docker-run", false},
    {ActionKind::Run, "docker-compose-run", false},
    {ActionKind::Run, "docker-compose-exec", false},
    {ActionKind::Test, "container", false},
    {ActionKind::Test, "exec", false},
    {ActionKind::Test, "kubernetes-pod", false},
    {ActionKind::Test, "kubernetes-exec", false},
    {ActionKind::Test, "helm-pod", false},
    {ActionKind::Test, "conftest", false},
    {ActionKind::Test, "conftest-helm", false},
    {ActionKind::Test, "hadolint", false},
    {ActionKind::Test, "docker-run", false},
    {ActionKind::Test, "docker-compose-run", false},
    {ActionKind::Test, "docker-compose-exec", false},
};

}  // namespace

std::vector<std::string> gardenActionTypes(ActionKind kind) {
  std::vector<std::string> types;
  for (const auto& entry : kTypes)
    if (entry.kind == kind) types.emplace_back(entry.type);
  std::sort(types.begin(), types.end());
  return types;
}

std::optional<std::string> skipReasonFor(ActionKind kind, std::string_view type) {
  if (kind == ActionKind::Run || kind == ActionKind::Test)
    return fmt::format("gardensync does not run {} actions", toString(kind));
  for (const auto& entry : kTypes) {
    if (entry.kind != kind || entry.type != type) continue;
    if (entry.runs) return std::string();
    return fmt::format("gardensync does not {} {} {}s", kind == ActionKind::Build ? "build" : "deploy", type,
                       toString(kind));
  }
  return std::nullopt;
}

}  // namespace gardensync::config
