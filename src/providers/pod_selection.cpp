#include "gardensync/providers/pod_selection.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace gardensync::providers {

namespace {

std::string stringAt(const nlohmann::json& object, const nlohmann::json::json_pointer& pointer) {
  if (!object.contains(pointer)) return "";
  const auto& value = object.at(pointer);
  return value.is_string() ? value.get<std::string>() : "";
}

std::vector<std::string> containerNames(const nlohmann::json& pod) {
  std::vector<std::string> names;
  const auto pointer = nlohmann::json::json_pointer("/spec/containers");
  if (!pod.contains(pointer) || !pod.at(pointer).is_array()) return names;
  for (const auto& container : pod.at(pointer)) names.push_back(container.value("name", ""));
  return names;
}

const nlohmann::json* containerStatus(const nlohmann::json& pod, const std::string& container) {
  const auto pointer = nlohmann::json::json_pointer("/status/containerStatuses");
  if (!pod.contains(pointer) || !pod.at(pointer).is_array()) return nullptr;
  for (const auto& status : pod.at(pointer))
    if (status.value("name", "") == container) return &status;
  return nullptr;
}

bool isReady(const nlohmann::json& pod) {
  const auto pointer = nlohmann::json::json_pointer("/status/conditions");
  if (!pod.contains(pointer) || !pod.at(pointer).is_array()) return false;
  for (const auto& condition : pod.at(pointer))
    if (condition.value("type", "") == "Ready") return condition.value("status", "") == "True";
  return false;
}

// "Pending (ErrImagePull: ...)", "Running, container app: CrashLoopBackOff (back-off 10s ...)".
std::string describeState(const nlohmann::json& pod, const std::string& container) {
  std::string text = stringAt(pod, nlohmann::json::json_pointer("/status/phase"));
  if (text.empty()) text = "unknown phase";
  if (pod.contains("metadata") && pod["metadata"].contains("deletionTimestamp")) text += ", being deleted";
  if (const auto* status = containerStatus(pod, container)) {
    const auto& state = status->value("state", nlohmann::json::object());
    for (const char* phase : {"waiting", "terminated"}) {
      if (!state.contains(phase)) continue;
      const auto& detail = state[phase];
      text += fmt::format(", container {} {}: {}", container, phase, detail.value("reason", "?"));
      const std::string message = detail.value("message", "");
      if (!message.empty()) text += " (" + message.substr(0, 200) + ")";
    }
  }
  return text;
}

}  // namespace

std::string KubeWorkload::describe() const {
  if (!kind.empty()) {
    std::string lower = kind;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower + "/" + name;
  }
  return "the pods with " + labelSelector(podSelector);
}

std::string labelSelector(const std::map<std::string, std::string>& labels) {
  std::string selector;
  for (const auto& [key, value] : labels) selector += (selector.empty() ? "" : ",") + key + "=" + value;
  return selector;
}

std::optional<std::string> podSelectorOf(const nlohmann::json& workload) {
  const auto pointer = nlohmann::json::json_pointer("/spec/selector");
  if (!workload.contains(pointer) || !workload.at(pointer).is_object()) return std::nullopt;
  const auto& selector = workload.at(pointer);
  std::vector<std::string> terms;
  if (selector.contains("matchLabels") && selector["matchLabels"].is_object())
    for (const auto& [key, value] : selector["matchLabels"].items())
      if (value.is_string()) terms.push_back(key + "=" + value.get<std::string>());
  if (selector.contains("matchExpressions") && selector["matchExpressions"].is_array()) {
    for (const auto& expression : selector["matchExpressions"]) {
      const std::string key = expression.value("key", "");
      const std::string op = expression.value("operator", "");
      std::string values;
      if (expression.contains("values") && expression.at("values").is_array())
        for (const auto& value : expression.at("values"))
          if (value.is_string()) values += (values.empty() ? "" : ",") + value.get<std::string>();
      if (op == "In") terms.push_back(fmt::format("{} in ({})", key, values));
      else if (op == "NotIn") terms.push_back(fmt::format("{} notin ({})", key, values));
      else if (op == "Exists") terms.push_back(key);
      else if (op == "DoesNotExist") terms.push_back("!" + key);
    }
  }
  if (terms.empty()) return std::nullopt;
  std::string text;
  for (const auto& term : terms) text += (text.empty() ? "" : ",") + term;
  return text;
}

PodSelection choosePod(const std::vector<nlohmann::json>& pods, const std::string& container) {
  PodSelection selection;
  if (pods.empty()) {
    selection.problem = "no pods";
    return selection;
  }
  struct Candidate {
    const nlohmann::json* pod;
    std::string container;
    bool ready;
    std::string created;
  };
  std::vector<Candidate> candidates;
  std::vector<std::string> states;
  for (const auto& pod : pods) {
    const std::string name = stringAt(pod, nlohmann::json::json_pointer("/metadata/name"));
    const auto names = containerNames(pod);
    std::string wanted = container.empty() && !names.empty() ? names.front() : container;
    if (std::find(names.begin(), names.end(), wanted) == names.end()) {
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      states.push_back(fmt::format("pod {} has no container {} (its containers: {})", name, wanted,
                                   list.empty() ? "none" : list));
      continue;
    }
    const auto* status = containerStatus(pod, wanted);
    const bool deleting = pod.contains("metadata") && pod["metadata"].contains("deletionTimestamp");
    const bool running = stringAt(pod, nlohmann::json::json_pointer("/status/phase")) == "Running" && status &&
                         status->contains("state") && (*status)["state"].contains("running");
    if (!running || deleting) {
      states.push_back(fmt::format("pod {}: {}", name, describeState(pod, wanted)));
      continue;
    }
    candidates.push_back({&pod, wanted, isReady(pod), stringAt(pod, nlohmann::json::json_pointer("/metadata/creationTimestamp"))});
  }
  if (candidates.empty()) {
    for (const auto& state : states) selection.problem += (selection.problem.empty() ? "" : "; ") + state;
    return selection;
  }
  // RFC 3339 timestamps in UTC sort as text.
  std::stable_sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    if (a.ready != b.ready) return a.ready;
    return a.created > b.created;
  });
  const Candidate& best = candidates.front();
  selection.pod = PodChoice{stringAt(*best.pod, nlohmann::json::json_pointer("/metadata/name")),
                            stringAt(*best.pod, nlohmann::json::json_pointer("/metadata/uid")), best.container};
  return selection;
}

}  // namespace gardensync::providers
