#include "gardensync/providers/provider.h"

#include "gardensync/providers/kubernetes.h"
#include "gardensync/providers/local_docker.h"
#include "gardensync/providers/local_exec.h"
#include "gardensync/util/parallel.h"

namespace gardensync::providers {

std::vector<std::exception_ptr> Provider::checkRunning(const std::vector<const config::Action*>& deploys) const {
  constexpr size_t kAtOnce = 8;  // each look is a docker or kubectl call that mostly waits
  return util::runInParallel(deploys.size(), kAtOnce, [&](size_t i) { requireRunning(*deploys[i]); });
}

const char* toString(DeployOutcome outcome) {
  switch (outcome) {
    case DeployOutcome::Created: return "created";
    case DeployOutcome::Replaced: return "replaced";
    case DeployOutcome::Started: return "started";
    case DeployOutcome::Unchanged: return "unchanged";
  }
  return "unchanged";
}

std::unique_ptr<Provider> makeProvider(const config::ProjectConfig& config, const util::CommandRunner& runner) {
  // The loader accepts no other provider for Deploys (config/loader.cpp, kDeployProviders).
  // exec actions run on this machine whichever provider runs the rest.
  if (config.provider.name == "kubernetes" || config.provider.name == "local-kubernetes")
    return std::make_unique<LocalExecProvider>(config, std::make_unique<KubernetesProvider>(config, runner), runner);
  return std::make_unique<LocalExecProvider>(config, std::make_unique<LocalDockerProvider>(config, runner), runner);
}

}  // namespace gardensync::providers
