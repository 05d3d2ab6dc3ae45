#include "gardensync/providers/kube_targets.h"

#include <thread>

#include <fmt/format.h>

#include "gardensync/util/error.h"

namespace gardensync::providers {

using namespace std::chrono_literals;

namespace {

std::vector<nlohmann::json> itemsOf(const nlohmann::json& list) {
  if (list.is_object() && list.contains("items") && list["items"].is_array())
    return list["items"].get<std::vector<nlohmann::json>>();
  return {};
}

}  // namespace

std::vector<nlohmann::json> KubeTargets::podsOf(const std::string& ns, const KubeWorkload& workload) const {
  if (workload.kind.empty()) return itemsOf(kubectl_.getJson({"pods", "--selector", labelSelector(workload.podSelector)}, ns));
  const std::string type = workload.describe().substr(0, workload.describe().find('/'));
  auto object = kubectl_.getObject(ns, type, workload.name);
  if (!object)
    throw Error(fmt::format("{} does not exist in {}", workload.describe(), kubectl_.where(ns)),
                "deploy it first (`gardensync deploy`), or fix the sync target's kind and name");
  if (workload.kind == "Pod") return {*object};
  auto selector = podSelectorOf(*object);
  if (!selector)
    throw Error(fmt::format("{} in {} has no pod selector", workload.describe(), kubectl_.where(ns)),
                "give the sync target a podSelector instead");
  return itemsOf(kubectl_.getJson({"pods", "--selector", *selector}, ns));
}

PodChoice KubeTargets::resolve(const std::string& ns, const KubeWorkload& workload, const std::string& container) const {
  auto selection = choosePod(podsOf(ns, workload), container);
  if (selection.pod) return *selection.pod;
  throw Error(fmt::format("no pod of {} in {} runs container {}: {}", workload.describe(), kubectl_.where(ns),
                          container.empty() ? "(the first)" : container, selection.problem),
              fmt::format("check it with `kubectl get pods --namespace {}` and `kubectl describe`; gardensync syncs "
                          "with a running pod",
                          ns));
}

PodChoice KubeTargets::await(const std::string& ns, const KubeWorkload& workload, const std::string& container,
                             std::chrono::seconds patience) const {
  const auto deadline = std::chrono::steady_clock::now() + patience;
  while (true) {
    try {
      return resolve(ns, workload, container);
    } catch (const ToolError&) {
      throw;  // kubectl itself failed: waiting does not help
    } catch (const Error&) {
      if (std::chrono::steady_clock::now() >= deadline) throw;
    }
    std::this_thread::sleep_for(1s);
  }
}

}  // namespace gardensync::providers
