// Which pod and container a sync, exec or logs call talks to: the pods of a workload (found by
// its selector) or of a pod selector, narrowed to one that runs the wanted container now. Pure:
// it reads kubectl's JSON, so the choice is unit-tested; KubeTargets does the kubectl calls.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gardensync::providers {

// A workload named by a config: a kind and name, or a pod selector.
struct KubeWorkload {
  std::string kind;  // Deployment, StatefulSet, DaemonSet, Pod; empty with a podSelector
  std::string name;
  std::map<std::string, std::string> podSelector;

  std::string describe() const;  // "deployment/vote", "the pods with app=web"
};

struct PodChoice {
  std::string name;
  std::string uid;
  std::string container;
};

struct PodSelection {
  std::optional<PodChoice> pod;
  std::string problem;  // when there is none: what the pods look like ("pod vote-1: Pending (ErrImagePull: ...)")
};

// `k1=v1,k2=v2`, as `kubectl get -l` takes it.
std::string labelSelector(const std::map<std::string, std::string>& labels);

// The pod selector of a Deployment, StatefulSet or DaemonSet object (`spec.selector`, with its
// matchLabels and matchExpressions); nullopt when it has none.
std::optional<std::string> podSelectorOf(const nlohmann::json& workload);

// The pod to use among `pods` (items of `kubectl get pods -o json`): not being deleted, running,
// with `container` (empty: its first container) running; the ready ones first, then the newest.
PodSelection choosePod(const std::vector<nlohmann::json>& pods, const std::string& container);

}  // namespace gardensync::providers
