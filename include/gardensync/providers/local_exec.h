// `exec` Build and Deploy actions: local commands, run on this machine whatever provider runs the
// other Deploys. LocalExecProvider wraps that provider and answers for exec actions itself, so
// the commands never ask which kind of action they have:
// - an exec Build runs `spec.command` in a fresh copy of its folder (`.garden/build/<name>`, the
//   action's include/exclude applied), or in the folder itself with `buildAtSource: true`;
// - an exec Deploy runs `spec.deployCommand` in its folder (or in the folder of the Build named by
//   `build:`) and waits for it; with `persistent: true` it keeps running in the background
//   (local_process.h) until `cleanup deploy` stops it. `statusCommand` (exit 0: deployed) and
//   `cleanupCommand` are run as Garden runs them.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "gardensync/config/model.h"
#include "gardensync/providers/provider.h"
#include "gardensync/util/command_runner.h"

namespace gardensync::providers {

// Where an exec Build runs its command: the action folder with buildAtSource, else
// `<project>/.garden/build/<name>`. For a container Build, its folder. Pure.
std::filesystem::path buildPathOf(const config::ProjectConfig& config, const config::Action& build);

// Where an exec Deploy runs its commands: the build path of its `build:`, else its own folder.
std::filesystem::path execWorkingDirectory(const config::ProjectConfig& config, const config::Action& deploy);

// A hash of what running an exec action means (commands, folder, environment, persistence), so a
// persistent Deploy that runs with the same spec is left alone. Pure.
std::string execSpecHash(const config::ProjectConfig& config, const config::Action& action);

// Copies `from` into a new, empty `to` (removing what was there): every file but `.git` and
// `.garden` folders, only those matching an `include` glob when there are any, none matching an
// `exclude` glob. Symbolic links are copied as links. Throws Error when a file cannot be copied.
void copyBuildContext(const std::filesystem::path& from, const std::filesystem::path& to,
                      const std::optional<std::vector<std::string>>& include,
                      const std::vector<std::string>& exclude);

class LocalExecProvider : public Provider {
public:
  LocalExecProvider(const config::ProjectConfig& config, std::unique_ptr<Provider> inner,
                    const util::CommandRunner& runner);

  const std::string& name() const override { return inner_->name(); }
  std::string syncEndpoint(const config::Action& deploy, const config::SyncPath& path,
                           const std::string& sessionName) const override;
  std::map<std::string, std::string> prepareTransport(const TransportContext& transport) const override;
  void checkDeploySupported(const config::Action& deploy) const override;
  void checkAvailable() const override;
  BuildResult build(const config::Action& build, const OutputFunction& onOutput) const override;
  DeployPlan planDeploy(const config::Action& deploy, bool withSync) const override;
  void applyDeploy(const DeployPlan& plan, const StatusFunction& onStatus) const override;
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
  void checkStarted(const std::vector<DeployPlan>& plans, const StatusFunction& onStatus) const override;
  std::vector<DeployState> describe(const std::vector<const config::Action*>& deploys) const override;
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

private:
  util::ProcessOptions optionsFor(const config::Action& action, const std::filesystem::path& directory,
                                  int timeoutSeconds) const;
  bool statusSucceeds(const config::Action& deploy) const;

  const config::ProjectConfig& config_;
  std::unique_ptr<Provider> inner_;
  const util::CommandRunner& runner_;
};

}  // namespace gardensync::providers
