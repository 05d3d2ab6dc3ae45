// Finds the pod and container that a workload runs now, through kubectl: the workload's
// selector, its pods, and choosePod. Used when a Deploy's syncs start and each time the sync
// transport connects, so that a replaced pod is found again.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gardensync/providers/kubectl_cli.h"
#include "gardensync/providers/pod_selection.h"

namespace gardensync::providers {

class KubeTargets {
public:
  explicit KubeTargets(const KubectlCli& kubectl) : kubectl_(kubectl) {}

  // The pods of the workload. Throws Error when the workload itself does not exist.
  std::vector<nlohmann::json> podsOf(const std::string& ns, const KubeWorkload& workload) const;
  // The pod to use now. Throws Error naming the context, namespace, workload, the pods seen and
  // the container when none runs it.
  PodChoice resolve(const std::string& ns, const KubeWorkload& workload, const std::string& container) const;
  // As resolve, but retries for up to `patience` while no pod runs the container yet (a
  // rollout or a restart in progress).
  PodChoice await(const std::string& ns, const KubeWorkload& workload, const std::string& container,
                  std::chrono::seconds patience) const;

private:
  const KubectlCli& kubectl_;
};

}  // namespace gardensync::providers
