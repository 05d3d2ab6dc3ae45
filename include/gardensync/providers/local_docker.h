// The local-docker provider: Build actions of type container become images tagged by a content
// hash of their build context; Deploy actions of type container become labelled, predictably
// named containers on the local Docker Engine.
#pragma once

#include <functional>
#include <string>

#include "gardensync/config/model.h"
#include "gardensync/providers/docker_cli.h"

namespace gardensync::providers {

struct BuildResult {
  std::string imageId;  // the tag: outputs.deploymentImageId
  std::string version;  // outputs.version
  bool built = false;   // false: an image for this content already existed
};

enum class DeployOutcome { Created, Replaced, Started, Unchanged };
const char* toString(DeployOutcome outcome);

struct DeployResult {
  std::string container;
  DeployOutcome outcome = DeployOutcome::Unchanged;
};

// Content hash of a build: every file below the action's folder (but .git and .garden), the
// Dockerfile name, build args and target stage.
std::string buildVersion(const config::Action& build);

class LocalDocker {
public:
  LocalDocker(const config::ProjectConfig& config, const DockerCli& docker) : config_(config), docker_(docker) {}

  BuildResult build(const config::Action& build, const std::function<void(std::string_view)>& onOutput) const;
  // Runs the container unless one with the same spec runs already.
  DeployResult deploy(const config::Action& deploy, const std::string& image, bool withSync) const;
  // Throws Error naming what the container lacks to host Mutagen's agent.
  void checkAgentHost(const std::string& container) const;
  // Creates `path` in the container when missing: a reverse-mode session whose container root
  // does not exist would otherwise halt (Mutagen reads it as the root being deleted).
  void ensureDirectory(const std::string& container, const std::string& path) const;
  // Removes the Deploy's container; returns false when there was none.
  bool remove(const config::Action& deploy) const;

private:
  const config::ProjectConfig& config_;
  const DockerCli& docker_;
};

}  // namespace gardensync::providers
