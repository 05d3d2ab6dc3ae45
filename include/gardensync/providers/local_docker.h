// The local-docker provider: Build actions of type container become images tagged by a content
// hash of their build context; Deploy actions of type container become labelled, predictably
// named containers on the local Docker Engine.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "gardensync/config/model.h"
#include "gardensync/providers/container_spec.h"
#include "gardensync/providers/docker_cli.h"

namespace gardensync::providers {

struct BuildResult {
  std::string imageId;  // the tag: outputs.deploymentImageId
  std::string version;  // outputs.version
  bool built = false;   // false: an image for this content already existed
};

enum class DeployOutcome { Created, Replaced, Started, Unchanged };
const char* toString(DeployOutcome outcome);

// What deploying a Deploy will do, decided before anything changes so that syncs of a container
// about to be replaced can be stopped first (and confirmations asked) while all is as it was.
struct DeployPlan {
  const config::Action* deploy = nullptr;
  ContainerSpec spec;
  DeployOutcome outcome = DeployOutcome::Created;
};

// Content hash of a build: every file below the action's folder that `docker build` would send
// (so not .git, .garden or what .dockerignore excludes), the Dockerfile name, build args and
// target stage.
std::string buildVersion(const config::Action& build);

// Whether a container of the project was made from the checkout at `projectRoot` (its root label;
// containers without one predate the label and count as this checkout's).
bool belongsToThisCheckout(const ContainerInfo& container, const std::filesystem::path& projectRoot);

class LocalDocker {
public:
  LocalDocker(const config::ProjectConfig& config, const DockerCli& docker) : config_(config), docker_(docker) {}

  BuildResult build(const config::Action& build, const std::function<void(std::string_view)>& onOutput) const;
  // `deploy` must have its build outputs resolved. Throws when a container of that name exists
  // but is not this project's, or is another checkout's of it.
  DeployPlan planDeploy(const config::Action& deploy, bool withSync) const;
  // Runs, replaces or starts the container as planned (nothing when Unchanged).
  void applyDeploy(const DeployPlan& plan) const;
  // Throws Error naming what the container lacks to host Mutagen's agent.
  void checkAgentHost(const std::string& container) const;
  // Creates `path` in the container when missing: a reverse-mode session whose container root
  // does not exist would otherwise halt (Mutagen reads it as the root being deleted).
  void ensureDirectory(const std::string& container, const std::string& path) const;

private:
  const config::ProjectConfig& config_;
  const DockerCli& docker_;
};

}  // namespace gardensync::providers
