// The local-docker provider: Build actions of type container become images tagged by a content
// hash of their build context; Deploy actions of type container become labelled, predictably
// named containers on the local Docker Engine, synced through Mutagen's docker:// endpoint.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gardensync/config/model.h"
#include "gardensync/config/project_identity.h"
#include "gardensync/providers/container_spec.h"
#include "gardensync/providers/docker_cli.h"
#include "gardensync/providers/provider.h"
#include "gardensync/util/error.h"

namespace gardensync::providers {

// Whether a container of the project was made from the checkout at `projectRoot` (its root label;
// containers without one predate the label and count as this checkout's).
bool belongsToThisCheckout(const ContainerInfo& container, const std::filesystem::path& projectRoot);

// Removes the containers of this checkout of `project` (of `deploys`, all when empty), found by
// label; returns their names. Needs only the project's identity, so it works while a config file
// is broken.
std::vector<std::string> removeProjectContainers(const DockerCli& docker, const config::ProjectIdentity& project,
                                                 const std::vector<std::string>& deploys);

// How many containers are checked (or looked into) for syncs at once.
inline constexpr size_t kParallelContainerChecks = 8;

class LocalDockerProvider : public Provider {
public:
  LocalDockerProvider(const config::ProjectConfig& config, const util::CommandRunner& runner);

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
  std::vector<std::exception_ptr> checkRunning(const std::vector<const config::Action*>& deploys) const override;
  std::map<std::string, std::string> unreachableSyncTargets(
      const std::vector<const config::Action*>& deploys) const override;
  void prepareSyncTargets(const std::vector<sync::PlannedSession>& sessions,
                          const StatusFunction& onStatus) const override;
  std::vector<InitialCopy> copyInitialFiles(const std::vector<sync::PlannedSession>& fresh,
                                            const StatusFunction& onStatus) const override;
  void beforeSessionCreate(const sync::PlannedSession& session, const TransportContext& transport) const override;
  void explainFailedCreate(const sync::PlannedSession& session) const override;
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

  // Throws Error naming what the container lacks to host Mutagen's agent, from what
  // agentProbeCommand printed there.
  void requireAgentHost(const std::string& container, const util::ProcessResult& probe) const;
  // Creates `path` in the container when missing: a reverse-mode session whose container root
  // does not exist would otherwise halt (Mutagen reads it as the root being deleted).
  void ensureDirectory(const std::string& container, const std::string& path) const;

private:
  std::string containerOf(const config::Action& deploy) const;
  // The error for a container of `deploy` that is not running: its exit code and last log lines.
  Error stoppedError(const config::Action& deploy, const ContainerInfo& container, bool withSync) const;
  // Throws Error unless the Deploy has a container (running or not).
  void requireDeployed(const config::Action& deploy) const;
  // requireRunning for what `docker container inspect` said of the Deploy's container.
  void requireRunningAs(const config::Action& deploy, const std::optional<ContainerInfo>& info) const;
  // Throws Error when `container`, where `first` syncs, is stopped or paused.
  void explainUnreachable(const std::string& container, const sync::PlannedSession& first) const;
  // Runs the agent check in `container`, and the look at `folders` in the same `docker exec`;
  // throws the reason when the container is stopped or paused or cannot host the agent (`first`
  // is a session syncing there, to name). Returns the folders' answers.
  std::vector<TargetAnswer> probeContainer(const std::string& container, const sync::PlannedSession& first,
                                           const std::vector<TargetQuestion>& folders = {}) const;

  const config::ProjectConfig& config_;
  DockerCli docker_;
};

}  // namespace gardensync::providers
