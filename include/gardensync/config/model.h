// The loaded, checked configuration of a project: plain data, produced by the loader and read by
// the sync plan and the providers. A container Deploy's `image`, `command`, `args`, `env` values
// and `sync->command`/`sync->args` may still hold `${actions.build.*.outputs.*}` references and
// `$${` escapes: pass them through resolveBuildOutputs (template.h) once the builds have run.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "gardensync/config/sync_mode.h"

namespace gardensync::config {

struct Position {
  std::string file;  // as shown to the user
  int line = 0;      // 1-based
  int column = 0;    // 1-based
};

// Settings that apply to every sync of a provider (`providers[].sync.defaults`).
struct SyncDefaults {
  std::vector<std::string> exclude;
  std::optional<std::string> owner;  // integer id as text, or a user name
  std::optional<std::string> group;
  std::optional<unsigned> fileMode;  // permission bits, e.g. 0644
  std::optional<unsigned> directoryMode;
};

// A workload in a cluster (`defaultTarget`, or a path's own `target`): either a kind and name,
// or a pod selector (pods carrying every label in it).
struct WorkloadTarget {
  std::string kind;  // Deployment, StatefulSet, DaemonSet, Pod; empty with a podSelector
  std::string name;
  std::map<std::string, std::string> podSelector;
  std::string containerName;  // empty: the first container
};

// `afterSync` of a sync path: what gardensync does once changes to the container have landed,
// while `deploy --sync` follows the sessions (docs/sync-modes.md#after-sync-actions). Exactly one
// of `run` and `restart`.
struct AfterSync {
  std::vector<std::string> run;  // argv run in the container the path syncs to; empty with restart
  bool restart = false;          // restart that container (docker restart; a new pod on a cluster)
  Position position;             // of the `afterSync` mapping
};

// One `spec.sync.paths[]` entry, with both of Garden's spellings folded into one form.
struct SyncPath {
  std::string source;                   // as written (`source` or `sourcePath`)
  std::filesystem::path localPath;      // absolute, normalized
  std::string containerPath;            // `target` or `containerPath`
  SyncMode mode = SyncMode::OneWaySafe;
  std::vector<std::string> exclude;
  std::optional<std::string> defaultOwner;
  std::optional<std::string> defaultGroup;
  std::optional<unsigned> defaultFileMode;
  std::optional<unsigned> defaultDirectoryMode;
  std::optional<WorkloadTarget> target;  // kubernetes/helm only
  std::optional<AfterSync> afterSync;    // gardensync's own key, not Garden's
  Position position;                     // of the entry
};

struct SyncOverride {
  std::optional<std::vector<std::string>> command;
  std::optional<std::vector<std::string>> args;
  std::optional<WorkloadTarget> target;
};

struct SyncConfig {
  std::vector<SyncPath> paths;
  std::optional<std::vector<std::string>> command;  // container Deploys: replaces the command in sync mode
  std::optional<std::vector<std::string>> args;
  std::vector<SyncOverride> overrides;  // kubernetes/helm Deploys
  // `rebuildOn` (gardensync's own key): globs relative to the Build's source folder; when a
  // matching file changes while `deploy --sync` follows, the Build is rebuilt and the Deploy
  // redeployed. Empty: never.
  std::vector<std::string> rebuildOn;
  Position rebuildOnPosition;
};

struct PortSpec {
  std::string name;
  int containerPort = 0;
  std::optional<int> hostPort;  // `localPort` or `hostPort`
  std::string protocol = "TCP";
};

struct VolumeSpec {
  std::string name;
  std::string containerPath;
  std::optional<std::string> hostPath;  // absolute, resolved against the action folder
};

// One Kubernetes manifest of a `kubernetes` Deploy (`spec.manifests[]` or a document of
// `spec.files`), as JSON. Its strings are load-time resolved but may still hold build output
// references and `$${` escapes, like a container Deploy's image.
struct Manifest {
  nlohmann::json body;
  Position position;  // where it is written
};

// A `helm` Deploy's local chart.
struct HelmChart {
  std::filesystem::path path;                   // `spec.chart.path`, absolute
  nlohmann::json values = nlohmann::json::object();  // `spec.values`, strings as for Manifest
  std::vector<std::filesystem::path> valueFiles;     // `spec.valueFiles`, absolute
  std::string releaseName;                      // `spec.releaseName`, default: the action name
};

enum class ActionKind { Build, Deploy, Run, Test };

struct ActionRef {
  ActionKind kind = ActionKind::Build;
  std::string name;
  Position position;
  // Where it is written: "dependencies[1]", "build", "spec.image". The initializer keeps
  // `{kind, name, position}` free of -Wmissing-field-initializers.
  std::string keyPath = {};
};

// A local command of an `exec` action (Build `spec.command`, Deploy `spec.deployCommand`, ...).
struct ExecCommand {
  std::vector<std::string> argv;  // with `spec.shell`, the shell and `-c` come first
  Position position;              // where it is written
};

struct Action {
  ActionKind kind = ActionKind::Build;
  std::string name;
  std::string type;                  // container, kubernetes, helm, exec, terraform, ...
  std::filesystem::path configFile;  // absolute
  std::filesystem::path dir;         // the folder of configFile: relative paths resolve here
  std::vector<ActionRef> dependencies;
  Position position;      // of the document
  Position namePosition;  // of the `name` value
  // Why gardensync does not run this action (a Run or Test, a terraform Deploy, ...); empty when
  // it does. Such an action is in the graph, its dependants plan and run, and it is reported as
  // skipped with this reason.
  std::string skipReason;
  // `disabled: true` on a Build: built only when an enabled action depends on it, as in Garden.
  // (Other disabled actions are not loaded; depending on them is no error.)
  bool disabled = false;
  std::optional<std::vector<std::string>> include;  // `include`, as written
  std::vector<std::string> exclude;                 // `exclude`, as written
  std::string build;  // `build:` of a Deploy, Run or Test: the Build it uses; empty: none

  // Build and Deploy, type exec: local commands, run in `dir` (or the Build's folder)
  std::optional<ExecCommand> execCommand;     // Build `spec.command`, Deploy `spec.deployCommand`
  std::optional<ExecCommand> statusCommand;   // Deploy `spec.statusCommand`
  std::optional<ExecCommand> cleanupCommand;  // Deploy `spec.cleanupCommand`
  bool buildAtSource = false;                 // Build: run in the source folder, not a copy of it
  bool persistent = false;                    // Deploy: the command keeps running in the background
  int statusTimeoutSeconds = 10;              // Deploy `spec.statusTimeout`

  // Build, type container
  std::string dockerfile = "Dockerfile";
  std::vector<std::pair<std::string, std::string>> buildArgs;
  std::optional<std::string> targetStage;

  // Deploy, type container (and exec: `env`)
  std::string image;
  std::optional<std::vector<std::string>> command;
  std::optional<std::vector<std::string>> args;
  std::vector<std::pair<std::string, std::string>> env;
  std::vector<PortSpec> ports;
  std::vector<VolumeSpec> volumes;

  // Deploy, type kubernetes/helm
  std::optional<WorkloadTarget> defaultTarget;
  std::vector<Manifest> manifests;       // kubernetes: inline manifests, then those of `spec.files`
  std::optional<HelmChart> helm;         // helm
  std::string deployNamespace;           // `spec.namespace`; empty: the provider's
  int timeoutSeconds = 300;              // `timeout`: how long a rollout may take

  std::optional<SyncConfig> sync;

  std::string key() const;  // "build.api", "deploy.api", "run.seed"
  bool runs() const { return skipReason.empty(); }
};

// Where Builds are pushed for a cluster to pull them: `<hostname>/<namespace>/<build>:<version>`.
struct DeploymentRegistry {
  std::string hostname;   // e.g. 127.0.0.1:5000, eu.gcr.io
  std::string ns;         // `namespace`; default: the project name
  bool insecure = false;  // plain HTTP (the Docker Engine must allow it for `docker push`)
};

struct Provider {
  std::string name;  // local-docker, kubernetes, local-kubernetes
  std::vector<std::string> environments;  // empty: every environment
  SyncDefaults syncDefaults;
  // kubernetes / local-kubernetes only:
  std::string kubernetesNamespace;  // defaults to the project name
  std::string kubernetesContext;    // `context`; empty: the kubeconfig's current context
  std::string kubeconfig;           // absolute; empty: kubectl's own default ($KUBECONFIG, ~/.kube/config)
  std::string kubectlPath;          // `kubectlPath`; empty: kubectl from PATH
  std::optional<DeploymentRegistry> deploymentRegistry;
  Position position;
};

struct Environment {
  std::string name;
  std::map<std::string, std::string> variables;
};

struct Project {
  std::string apiVersion;
  std::string name;
  std::string defaultEnvironment;
  std::vector<Environment> environments;
  std::vector<Provider> providers;
  std::map<std::string, std::string> variables;
  std::vector<std::string> scanExclude;
  std::filesystem::path root;  // absolute
  std::filesystem::path file;  // absolute
};

// A loaded project in one environment: what every command works from.
struct ProjectConfig {
  Project project;
  std::string environment;
  Provider provider;  // the one that runs Deploys in this environment
  std::vector<Action> actions;
  std::vector<std::string> warnings;  // already positioned, e.g. a sync source that is missing
  std::vector<std::string> notes;     // debug lines, e.g. skipped Run and Test actions

  const Action* find(ActionKind kind, std::string_view name) const;
  std::vector<const Action*> deploys() const;  // every Deploy, also those gardensync skips
};

const char* toString(ActionKind kind);      // "Build", "Deploy", "Run", "Test"
const char* lowercaseKind(ActionKind kind);  // "build", "deploy", "run", "test"
// "build" → Build, case-insensitively; nullopt for anything else.
std::optional<ActionKind> actionKindFrom(std::string_view text);

}  // namespace gardensync::config
