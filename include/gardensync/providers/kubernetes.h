// The kubernetes and local-kubernetes providers: Deploys run in a cluster reached with kubectl
// (the provider's kubectlPath, kubeconfig and context, in its namespace, created when missing).
// Builds are built with the local Docker Engine and pushed to the deploymentRegistry; container
// Deploys become a Deployment (and a Service for their ports), kubernetes Deploys apply their
// manifests, helm Deploys install a local chart. Everything applied is labelled with the project,
// the checkout and the Deploy. Syncs reach the pod through Mutagen's SSH transport with
// gardensync's kubectl-exec stand-ins (kube_transport.h).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "gardensync/providers/docker_cli.h"
#include "gardensync/providers/kube_endpoint.h"
#include "gardensync/providers/kubectl_cli.h"
#include "gardensync/providers/pod_selection.h"
#include "gardensync/providers/provider.h"

namespace gardensync::providers {

class KubernetesProvider : public Provider {
public:
  KubernetesProvider(const config::ProjectConfig& config, const util::CommandRunner& runner);

  const std::string& name() const override { return config_.provider.name; }
  std::string syncEndpoint(const config::Action& deploy, const config::SyncPath& path,
                           const std::string& sessionName) const override;
  std::map<std::string, std::string> prepareTransport(const TransportContext& transport) const override;
  void checkDeploySupported(const config::Action& deploy) const override;
  void checkAvailable() const override;
  BuildResult build(const config::Action& build, const OutputFunction& onOutput) const override;
  DeployPlan planDeploy(const config::Action& deploy, bool withSync) const override;
  void applyDeploy(const DeployPlan& plan, const StatusFunction& onStatus) const override;
  void checkStarted(const std::vector<DeployPlan>& plans, const StatusFunction& onStatus) const override;
  std::vector<DeployState> describe(const std::vector<const config::Action*>& deploys) const override;
  void requireRunning(const config::Action& deploy) const override;
  void prepareSyncTargets(const std::vector<sync::PlannedSession>& sessions,
                          const StatusFunction& onStatus) const override;
  void beforeSessionCreate(const sync::PlannedSession& session, const TransportContext& transport) const override;
  util::ProcessResult exec(const config::Action& deploy, const std::vector<std::string>& command) const override;
  util::ProcessResult execInSyncTarget(const config::Action& deploy, const config::SyncPath& path,
                                       const std::vector<std::string>& command) const override;
  bool restartSyncTarget(const config::Action& deploy, const config::SyncPath& path,
                         const StatusFunction& onStatus) const override;
  std::vector<std::string> interactiveExec(const config::Action& deploy, const std::vector<std::string>& command,
                                           bool tty) const override;
  std::string logs(const config::Action& deploy, int tail) const override;
  void followLogs(const config::Action& deploy, int tail, const OutputFunction& onOutput) const override;
  std::vector<std::string> cleanup(const std::vector<std::string>& deploys) const override;

  // The namespace a Deploy runs in: its spec.namespace, else the provider's.
  std::string namespaceOf(const config::Action& deploy) const;

private:
  // The workload and container a sync path (or, without one, the Deploy itself) targets.
  struct Target {
    KubeWorkload workload;
    std::string container;  // empty: the pod's first container
  };
  Target targetOf(const config::Action& deploy, const config::SyncPath* path) const;
  PodChoice resolveTarget(const config::Action& deploy, const Target& target) const;
  std::map<std::string, std::string> ownLabels(const config::Action& deploy) const;
  DeployPlan planHelm(const config::Action& deploy, bool withSync) const;
  DeployOutcome compareWithCluster(const config::Action& deploy, const std::string& ns,
                                   const std::vector<nlohmann::json>& manifests, const std::string& hash,
                                   std::vector<std::string>& podsToReplace) const;
  void waitForWorkloads(const config::Action& deploy, const std::string& ns, const std::vector<nlohmann::json>& manifests,
                        const StatusFunction& onStatus) const;
  void checkAgentHost(const config::Action& deploy, const Target& target, const PodChoice& pod) const;
  std::string where(const config::Action& deploy, const Target& target, const PodChoice& pod) const;

  const config::ProjectConfig& config_;
  const util::CommandRunner& runner_;
  KubeConnection connection_;
  KubectlCli kubectl_;
  DockerCli docker_;
};

}  // namespace gardensync::providers
