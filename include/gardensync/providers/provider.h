// Where Deploys run. The commands build, deploy, sync, inspect and clean up through this one
// interface and never ask which provider they have: `local-docker` (containers on the local
// Docker Engine) and `kubernetes` / `local-kubernetes` (workloads in a cluster, reached with
// kubectl) implement it. A provider also says how Mutagen reaches a container: the endpoint URL
// of each sync's container side, and the environment and helper files the Mutagen daemon needs
// for those URLs.
#pragma once

#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gardensync/config/model.h"
#include "gardensync/providers/initial_copy.h"
#include "gardensync/sync/plan.h"
#include "gardensync/util/command_runner.h"

namespace gardensync::providers {

struct BuildResult {
  std::string imageId;  // outputs.deploymentImageId: the reference a Deploy runs
  std::string version;  // outputs.version
  bool built = false;   // false: an image for this content already existed
};

enum class DeployOutcome { Created, Replaced, Started, Unchanged };
const char* toString(DeployOutcome outcome);

// What a provider keeps in a plan for itself (the `docker run` arguments, the manifests).
struct PlanDetails {
  virtual ~PlanDetails() = default;
};

// What deploying a Deploy will do, decided before anything changes so that the syncs of a
// container about to be replaced can be stopped first (and confirmations asked) while all is as
// it was.
struct DeployPlan {
  const config::Action* deploy = nullptr;
  std::string resource;   // what runs it, for people: "gs-shop-api", "deployment/api (namespace shop)"
  std::string container;  // local-docker: the container's name; empty for cluster workloads
  std::string image;      // the image it runs, when the Deploy names one
  DeployOutcome outcome = DeployOutcome::Created;
  std::shared_ptr<const PlanDetails> details;
  // Whether syncs can run in what it deploys: false for an exec Deploy's local command, whose
  // replacement stops no sync.
  bool hostsSyncs = true;
};

// What runs a Deploy now, for `get status` and the result of `deploy`.
struct DeployState {
  std::string deploy;
  std::string resource;  // "gs-shop-api", "deployment/api (namespace shop)"
  bool running = false;
  std::string state;     // "running", "exited (code 3)", "not deployed", ...
  std::string image;     // empty when unknown
  std::vector<std::string> ports;  // published, "127.0.0.1:8080->80/tcp"
};

// Where the Mutagen daemon's helpers live and which programs they run.
struct TransportContext {
  std::filesystem::path dataDir;        // the project's Mutagen data directory
  std::filesystem::path mutagenBinary;  // the pinned Mutagen
  std::filesystem::path gardensync;     // this program, for helpers that call back into it
};

using OutputFunction = std::function<void(std::string_view)>;
// A progress line while something is waited for ("rollout: 0 of 1 replicas available").
using StatusFunction = std::function<void(const std::string&)>;

class Provider {
public:
  virtual ~Provider() = default;

  virtual const std::string& name() const = 0;

  // The Mutagen URL of a sync path's container side. Pure: a dry run prints the same.
  virtual std::string syncEndpoint(const config::Action& deploy, const config::SyncPath& path,
                                   const std::string& sessionName) const = 0;
  // Writes the helpers the endpoints need into the data directory and returns the environment
  // the Mutagen daemon must be started with to use them (empty when it needs none).
  virtual std::map<std::string, std::string> prepareTransport(const TransportContext& transport) const = 0;

  // Throws Error (or UsageError) when the Deploy's type cannot run here; before any build.
  virtual void checkDeploySupported(const config::Action& deploy) const = 0;
  // Throws Error with a hint when the tools are missing or the engine or cluster does not answer.
  virtual void checkAvailable() const = 0;

  // `onOutput` gets the build's output line by line (and a push's, in chunks).
  virtual BuildResult build(const config::Action& build, const OutputFunction& onOutput) const = 0;
  // `deploy` must have its build outputs resolved. Throws when what it would replace belongs to
  // another project or checkout.
  virtual DeployPlan planDeploy(const config::Action& deploy, bool withSync) const = 0;
  // Makes the Deploy run as planned and waits until it does (reporting progress). Throws Error
  // naming the port and its config line when a published port is taken, leaving nothing behind.
  virtual void applyDeploy(const DeployPlan& plan, const StatusFunction& onStatus) const = 0;
  // After every plan is applied: throws Error when a Deploy just started has stopped again at
  // once, with its exit code and the last lines of its log.
  virtual void checkStarted(const std::vector<DeployPlan>& plans, const StatusFunction& onStatus) const = 0;
  // State, image and published ports of each Deploy (`deploys` in that order).
  virtual std::vector<DeployState> describe(const std::vector<const config::Action*>& deploys) const = 0;

  // Throws Error (naming where it looked) unless the Deploy runs now.
  virtual void requireRunning(const config::Action& deploy) const = 0;
  // requireRunning for each of `deploys` (what it would throw, or null), side by side; a provider
  // that can ask about all of them at once overrides it.
  virtual std::vector<std::exception_ptr> checkRunning(const std::vector<const config::Action*>& deploys) const;
  // For each of `deploys` whose syncs cannot reach it though Mutagen reports nothing wrong, why,
  // when one cheap look tells (a paused container: Mutagen waits on its frozen agent without an
  // error); keyed by Deploy name. `sync status` asks it beside its Mutagen call.
  virtual std::map<std::string, std::string> unreachableSyncTargets(const std::vector<const config::Action*>&) const {
    return {};
  }
  // Before sessions start: finds the running container of each, throws for one that cannot be
  // reached (stopped, paused), and creates the container roots of reverse-mode sessions. Whether
  // a container can host Mutagen's agent is checked here, or (local Docker, to run nothing in
  // containers that need no look) with the initial copy's look and after a failed create.
  virtual void prepareSyncTargets(const std::vector<sync::PlannedSession>& sessions,
                                  const StatusFunction& onStatus) const = 0;
  // Just before the new sessions `fresh` are created: fills the absent or empty container folders
  // of those whose local side is the source with one stream each (providers/initial_copy.h), and
  // returns what it copied, reporting progress as "copying <session> into <where> (<progress>)".
  // Only an optimisation: what it cannot do (a provider without it,
  // GARDENSYNC_INITIAL_COPY=off, a folder that is not empty, a failed copy, which it warns about)
  // is left to Mutagen's first cycle. It throws only when its look into a container finds that
  // the container cannot host Mutagen's agent (or stopped), which the create would meet anyway.
  virtual std::vector<InitialCopy> copyInitialFiles(const std::vector<sync::PlannedSession>& /*fresh*/,
                                                    const StatusFunction& /*onStatus*/) const {
    return {};
  }
  // Just before `mutagen sync create` of `session`: records what the transport needs to know
  // about the container the new session starts with.
  virtual void beforeSessionCreate(const sync::PlannedSession& session, const TransportContext& transport) const = 0;
  // After `mutagen sync create` of `session` failed: throws an Error that says why in the
  // provider's terms when it can tell (the container stopped, or cannot host Mutagen's agent);
  // returns otherwise, and Mutagen's own error is reported.
  virtual void explainFailedCreate(const sync::PlannedSession& /*session*/) const {}

  // Runs `command` in the Deploy's (first synced) container; a non-zero exit is returned.
  virtual util::ProcessResult exec(const config::Action& deploy, const std::vector<std::string>& command) const = 0;
  // After-sync actions (docs/sync-modes.md#after-sync-actions), in the container that `path` (one
  // of the Deploy's spec.sync.paths) syncs to: run `command` there (a non-zero exit is returned),
  // or restart it and wait until it runs again. A sync session reconnects to the restarted
  // container by itself; restartSyncTarget returns true when the container started afresh from
  // its image (a new pod), so its sessions send every synced file again.
  virtual util::ProcessResult execInSyncTarget(const config::Action& deploy, const config::SyncPath& path,
                                               const std::vector<std::string>& command) const = 0;
  virtual bool restartSyncTarget(const config::Action& deploy, const config::SyncPath& path,
                                 const StatusFunction& onStatus) const = 0;
  // The argv that runs `command` in the Deploy's container with this terminal attached (stdin
  // always, a TTY when `tty`), for `gardensync exec`.
  virtual std::vector<std::string> interactiveExec(const config::Action& deploy, const std::vector<std::string>& command,
                                                   bool tty) const = 0;
  // The Deploy's recent log lines (`tail` of them), as the container runtime keeps them.
  virtual std::string logs(const config::Action& deploy, int tail) const = 0;
  // Streams the Deploy's log (`tail` lines back, then as it grows) until it stops or the command
  // is interrupted.
  virtual void followLogs(const config::Action& deploy, int tail, const OutputFunction& onOutput) const = 0;

  // Removes what this project's checkout deployed (of `deploys`, or everything when empty), found
  // by the labels it carries; returns what was removed ("container gs-a-b", "deployment/b").
  virtual std::vector<std::string> cleanup(const std::vector<std::string>& deploys) const = 0;
};

// The provider the project's environment chose (ProjectConfig::provider). Constructing one runs
// nothing.
std::unique_ptr<Provider> makeProvider(const config::ProjectConfig& config,
                                       const util::CommandRunner& runner = util::systemRunner());

}  // namespace gardensync::providers
