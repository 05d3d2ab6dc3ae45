// kubectl, as gardensync uses it: every cluster call of the kubernetes provider and of the sync
// transport is an argv through a CommandRunner with a timeout. A KubeConnection says which
// kubectl, kubeconfig and context; failures are ToolErrors that carry the command, kubectl's
// stderr, and where (context, namespace) it was talking to.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "gardensync/config/model.h"
#include "gardensync/util/command_runner.h"

namespace gardensync::providers {

struct KubeConnection {
  std::string kubectl = "kubectl";  // a path, or a name looked up on PATH
  std::string kubeconfig;           // empty: kubectl's default ($KUBECONFIG, ~/.kube/config)
  std::string context;              // empty: the kubeconfig's current context
  // $KUBECONFIG for kubectl when `kubeconfig` is empty (it may list several files, which
  // --kubeconfig cannot); empty: leave the environment's.
  std::string kubeconfigVariable;

  // `kubectl [--kubeconfig K] [--context C] <args>`.
  std::vector<std::string> argv(const std::vector<std::string>& args) const;
  // The environment changes kubectl runs with.
  util::Environment environment() const;
  // "context gardensync-local" / "the current context", for messages.
  std::string describeContext() const;
};

// The connection a provider's settings describe.
KubeConnection connectionOf(const config::Provider& provider);

class KubectlCli {
public:
  KubectlCli(KubeConnection connection, const util::CommandRunner& runner = util::systemRunner());

  const KubeConnection& connection() const { return connection_; }
  const util::CommandRunner& runner() const { return runner_; }

  // Throws Error with a hint when kubectl is missing or the cluster does not answer.
  void checkAvailable() const;

  // `kubectl get <args> -o json`, parsed. Throws ToolError on a failure or a broken answer.
  nlohmann::json getJson(const std::vector<std::string>& args, const std::string& ns) const;
  // One object (`kind name`), or nullopt when it does not exist.
  std::optional<nlohmann::json> getObject(const std::string& ns, const std::string& kind, const std::string& name) const;
  // Creates the namespace unless it exists.
  void ensureNamespace(const std::string& ns) const;
  // `kubectl apply -f -` of the manifests, as a List.
  void apply(const std::string& ns, const std::vector<nlohmann::json>& manifests) const;
  // `kubectl delete` of `kind/name` objects, waiting until they are gone; absent ones are fine.
  void remove(const std::string& ns, const std::vector<std::string>& objects) const;
  // Waits for a workload's rollout (`rollout status`, or for a Pod `wait --for=condition=Ready`);
  // `onLine` sees kubectl's progress lines. Returns the result instead of throwing, so a caller
  // can explain a timeout with the pods' states.
  util::ProcessResult waitReady(const std::string& ns, const std::string& kind, const std::string& name,
                                std::chrono::seconds timeout, const std::function<void(std::string_view)>& onLine) const;
  // The argv of `kubectl exec [-i] <pod> -c <container> -- <command>`.
  std::vector<std::string> execArgv(const std::string& ns, const std::string& pod, const std::string& container,
                                    const std::vector<std::string>& command, bool stdinOpen) const;
  util::ProcessResult exec(const std::string& ns, const std::string& pod, const std::string& container,
                           const std::vector<std::string>& command, std::chrono::milliseconds timeout,
                           const std::optional<std::string>& stdinData = std::nullopt) const;
  std::string logs(const std::string& ns, const std::string& pod, const std::string& container, int tail) const;
  // `kubectl logs --follow`: streams until the pod stops or the command is interrupted.
  util::ProcessResult followLogs(const std::string& ns, const std::string& pod, const std::string& container, int tail,
                                 const std::function<void(std::string_view)>& onOutput) const;
  struct ResourceType {
    std::string name;  // deployments.apps
    std::string kind;  // Deployment
  };
  // The resource types that can be listed and deleted (`api-resources`), namespaced or not.
  std::vector<ResourceType> deletableResourceTypes(bool namespaced) const;
  // The objects of `types` that carry `selector`. Types the user may not list are skipped and
  // named in `unreadable` (kubectl still lists the others).
  std::vector<nlohmann::json> listLabelled(const std::string& ns, const std::vector<std::string>& types,
                                           const std::string& selector, std::vector<std::string>& unreadable) const;

  // "namespace shop (context gardensync-local)", for messages.
  std::string where(const std::string& ns) const;

private:
  util::ProcessResult run(const std::vector<std::string>& args, std::chrono::milliseconds timeout,
                          const std::optional<std::string>& stdinData = std::nullopt) const;

  KubeConnection connection_;
  const util::CommandRunner& runner_;
};

}  // namespace gardensync::providers
