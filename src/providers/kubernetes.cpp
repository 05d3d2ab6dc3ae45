#include "gardensync/providers/kubernetes.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>

#include <fmt/format.h>

#include "gardensync/providers/agent_probe.h"
#include "gardensync/providers/helm_cli.h"
#include "gardensync/providers/helm_post_render.h"
#include "gardensync/providers/image_build.h"
#include "gardensync/providers/kube_targets.h"
#include "gardensync/providers/kube_transport_state.h"
#include "gardensync/providers/manifests.h"
#include "gardensync/sync/plan.h"
#include "gardensync/util/error.h"
#include "gardensync/util/process.h"
#include "gardensync/util/temp_dir.h"
#include "gardensync/util/text.h"

namespace gardensync::providers {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// On applied objects: the checkout's folder, which a label value cannot hold, for messages.
constexpr const char* kProjectRootAnnotation = "gardensync.io/project-root";

struct KubePlan : PlanDetails {
  std::string ns;
  std::vector<nlohmann::json> manifests;  // as they will be applied (for helm: as helm renders them)
  std::vector<std::string> podsToReplace;  // Pod objects whose spec changed: deleted before applying
  std::optional<HelmRelease> helm;
  std::shared_ptr<util::TempDir> files;  // helm's values and post-renderer spec
};

const KubePlan& kubePlanOf(const DeployPlan& plan) { return static_cast<const KubePlan&>(*plan.details); }

std::string metadataString(const nlohmann::json& object, const char* key) {
  if (!object.contains("metadata") || !object["metadata"].is_object()) return "";
  const auto& value = object["metadata"].value(key, nlohmann::json());
  return value.is_string() ? value.get<std::string>() : "";
}

std::string labelOf(const nlohmann::json& object, const char* key) {
  const auto pointer = nlohmann::json::json_pointer("/metadata/labels");
  if (!object.contains(pointer) || !object.at(pointer).is_object()) return "";
  const auto& labels = object.at(pointer);
  return labels.contains(key) && labels[key].is_string() ? labels[key].get<std::string>() : "";
}

// `Deployment.apps`: the kind with its API group, so kubectl never confuses two kinds of one name.
std::string qualifiedKind(const nlohmann::json& object) {
  const std::string apiVersion = object.value("apiVersion", "");
  const size_t slash = apiVersion.find('/');
  const std::string kind = object.value("kind", "");
  return slash == std::string::npos ? kind : kind + "." + apiVersion.substr(0, slash);
}

std::string describeObject(const nlohmann::json& object) {
  return fmt::format("{}/{}", util::asciiLowercase(object.value("kind", "")), metadataString(object, "name"));
}

std::vector<nlohmann::json> bodiesOf(const config::Action& deploy) {
  std::vector<nlohmann::json> bodies;
  for (const auto& manifest : deploy.manifests) bodies.push_back(manifest.body);
  return bodies;
}

// Whether the Deploy runs something a pod could be found for: a container Deploy, a configured
// target, a workload among its manifests, or a helm chart (whose objects are known once rendered).
bool hasWorkload(const config::Action& deploy) {
  if (deploy.type != "kubernetes" || deploy.defaultTarget) return true;
  if (deploy.sync && !deploy.sync->paths.empty()) return true;
  for (const auto& manifest : deploy.manifests)
    if (isWorkloadKind(manifest.body.value("kind", ""))) return true;
  return false;
}

// Every workload target a Deploy's config names, for the stored pod selectors.
std::vector<config::WorkloadTarget> configuredTargets(const config::Action& deploy) {
  std::vector<config::WorkloadTarget> targets;
  if (deploy.defaultTarget) targets.push_back(*deploy.defaultTarget);
  if (deploy.sync)
    for (const auto& path : deploy.sync->paths)
      if (path.target) targets.push_back(*path.target);
  return targets;
}

void writeFile(const fs::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) throw Error(fmt::format("cannot write {}", path.string()), "check that the temporary folder is writable");
}

}  // namespace

KubernetesProvider::KubernetesProvider(const config::ProjectConfig& config, const util::CommandRunner& runner)
    : config_(config), runner_(runner), connection_(connectionOf(config.provider)), kubectl_(connection_, runner),
      docker_(runner) {}

std::string KubernetesProvider::namespaceOf(const config::Action& deploy) const {
  return deploy.deployNamespace.empty() ? config_.provider.kubernetesNamespace : deploy.deployNamespace;
}

KubernetesProvider::Target KubernetesProvider::targetOf(const config::Action& deploy, const config::SyncPath* path) const {
  const auto configured = path && path->target ? path->target : deploy.defaultTarget;
  const auto manifests = bodiesOf(deploy);
  if (!configured) {
    // A container Deploy runs as a Deployment of its own name, its container named alike.
    if (deploy.type == "container") return {{"Deployment", deploy.name, {}}, deploy.name};
    for (const auto& manifest : manifests)
      if (isWorkloadKind(manifest.value("kind", "")))
        return {{manifest.value("kind", ""), metadataString(manifest, "name"), {}}, firstContainerName(manifest)};
    throw Error(fmt::format("Deploy {} names no workload to use", deploy.name),
                fmt::format("give it spec.defaultTarget (kind and name of a Deployment, StatefulSet, DaemonSet or "
                            "Pod) in {}",
                            deploy.configFile.filename().string()));
  }
  Target target{{configured->kind, configured->name, configured->podSelector}, configured->containerName};
  if (target.container.empty() && !target.workload.kind.empty()) {
    if (deploy.type == "container" && target.workload.kind == "Deployment" && target.workload.name == deploy.name)
      target.container = deploy.name;
    else if (const auto* manifest = findObject(manifests, target.workload.kind, target.workload.name))
      target.container = firstContainerName(*manifest);
  }
  return target;
}

std::string KubernetesProvider::syncEndpoint(const config::Action& deploy, const config::SyncPath& path,
                                             const std::string& sessionName) const {
  const Target target = targetOf(deploy, &path);
  KubeEndpoint endpoint;
  endpoint.ns = namespaceOf(deploy);
  const bool selector = target.workload.kind.empty();
  endpoint.kind = selector ? "selector" : hostKind(target.workload.kind);
  endpoint.name = selector ? selectorRef(target.workload.podSelector) : target.workload.name;
  endpoint.container = target.container;
  endpoint.session = sessionName;
  endpoint.connection = connectionRef(connection_);
  return formatHost(endpoint) + ":" + path.containerPath;
}

std::map<std::string, std::string> KubernetesProvider::prepareTransport(const TransportContext& transport) const {
  KubeTransportState state(transport.dataDir);
  state.writeStandIns(transport.gardensync, transport.mutagenBinary);
  // The stand-ins run in the Mutagen daemon's environment, which may be older than this shell's:
  // they get the kubectl and kubeconfig this run sees, written down.
  KubeConnection resolved = connection_;
  if (resolved.kubectl.find('/') == std::string::npos)
    if (auto found = util::findOnPath(resolved.kubectl)) resolved.kubectl = found->string();
  if (resolved.kubeconfig.empty())
    if (const char* variable = std::getenv("KUBECONFIG"); variable && *variable) resolved.kubeconfigVariable = variable;
  state.writeConnection(connectionRef(connection_), resolved);
  for (const config::Action* deploy : config_.deploys())
    for (const auto& target : configuredTargets(*deploy))
      if (!target.podSelector.empty()) state.writeSelector(selectorRef(target.podSelector), target.podSelector);
  return {{"MUTAGEN_SSH_PATH", state.binDir().string()}};
}

void KubernetesProvider::checkDeploySupported(const config::Action& deploy) const {
  if (deploy.type == "helm") HelmCli(connection_, runner_).checkAvailable();
}

void KubernetesProvider::checkAvailable() const { kubectl_.checkAvailable(); }

BuildResult KubernetesProvider::build(const config::Action& build, const OutputFunction& onOutput) const {
  const auto& registry = config_.provider.deploymentRegistry;
  if (!registry)
    throw Error(fmt::format("Build {}: the {} provider pushes images to a registry the cluster pulls from, and the "
                            "provider names none",
                            build.name, config_.provider.name),
                "set providers[].deploymentRegistry.hostname (and namespace) in the project file; docs/kubernetes.md "
                "explains registries for kind, minikube and cloud clusters");
  docker_.checkAvailable();
  BuildResult result =
      buildImage(docker_, config_, build, fmt::format("{}/{}/{}", registry->hostname, registry->ns, build.name), onOutput);
  // A push of layers the registry has is quick; pushing every time also repairs a registry that
  // lost the image.
  docker_.push(result.imageId, onOutput);
  return result;
}

std::map<std::string, std::string> KubernetesProvider::ownLabels(const config::Action& deploy) const {
  return {{sync::kProjectLabel, config_.project.name},
          {sync::kDeployLabel, deploy.name},
          {kCheckoutLabel, checkoutId(config_.project.root)}};
}

DeployOutcome KubernetesProvider::compareWithCluster(const config::Action& deploy, const std::string& ns,
                                                     const std::vector<nlohmann::json>& manifests,
                                                     const std::string& hash,
                                                     std::vector<std::string>& podsToReplace) const {
  size_t existing = 0, same = 0;
  for (const auto& manifest : manifests) {
    const std::string objectNs = metadataString(manifest, "namespace").empty() ? ns : metadataString(manifest, "namespace");
    auto live = kubectl_.getObject(objectNs, qualifiedKind(manifest), metadataString(manifest, "name"));
    if (!live) continue;
    ++existing;
    const std::string what = fmt::format("{} in {}", describeObject(manifest), kubectl_.where(objectNs));
    if (labelOf(*live, sync::kProjectLabel) != config_.project.name)
      throw Error(fmt::format("Deploy {}: {} exists but was not deployed by gardensync for project {}", deploy.name, what,
                              config_.project.name),
                  "remove it if it is not needed, or deploy into another namespace (the provider's namespace setting)");
    if (labelOf(*live, kCheckoutLabel) != checkoutId(config_.project.root)) {
      const auto pointer = nlohmann::json::json_pointer(std::string("/metadata/annotations/") + "gardensync.io~1project-root");
      const std::string root = live->contains(pointer) ? live->at(pointer).get<std::string>() : "another folder";
      throw Error(fmt::format("Deploy {}: {} belongs to another checkout of project {}, at {}", deploy.name, what,
                              config_.project.name, root),
                  fmt::format("one namespace runs one checkout of a project at a time: run `gardensync cleanup deploy` "
                              "in {} first, or give this checkout another namespace",
                              root));
    }
    if (labelOf(*live, sync::kDeployLabel) != deploy.name)
      throw Error(fmt::format("Deploy {}: {} belongs to Deploy {} of this project", deploy.name, what,
                              labelOf(*live, sync::kDeployLabel)),
                  "two Deploys cannot apply the same object; rename one of them");
    if (labelOf(*live, kManifestHashLabel) == hash) {
      ++same;
    } else if (manifest.value("kind", "") == "Pod") {
      podsToReplace.push_back(describeObject(manifest));  // most of a Pod's spec cannot change in place
    }
  }
  if (existing == 0) return DeployOutcome::Created;
  return same == manifests.size() ? DeployOutcome::Unchanged : DeployOutcome::Replaced;
}

DeployPlan KubernetesProvider::planDeploy(const config::Action& deploy, bool withSync) const {
  checkDeploySupported(deploy);
  if (deploy.type == "helm") return planHelm(deploy, withSync);
  auto details = std::make_shared<KubePlan>();
  details->ns = namespaceOf(deploy);
  details->manifests = deploy.type == "container" ? containerManifests(config_, deploy, withSync) : bodiesOf(deploy);
  if (deploy.type == "kubernetes" && withSync) applySyncOverrides(details->manifests, deploy);
  for (auto& manifest : details->manifests)
    manifest["metadata"]["annotations"][kProjectRootAnnotation] = config_.project.root.string();
  const std::string hash = labelManifests(details->manifests, ownLabels(deploy));

  DeployPlan plan;
  plan.deploy = &deploy;
  plan.image = deploy.type == "container" ? deploy.image : "";
  std::string resources;
  for (const auto& manifest : details->manifests)
    if (isWorkloadKind(manifest.value("kind", ""))) resources += (resources.empty() ? "" : ", ") + describeObject(manifest);
  if (resources.empty() && !details->manifests.empty()) resources = describeObject(details->manifests.front());
  plan.resource = fmt::format("{} (namespace {})", resources.empty() ? "nothing" : resources, details->ns);
  plan.outcome = compareWithCluster(deploy, details->ns, details->manifests, hash, details->podsToReplace);
  plan.details = details;
  return plan;
}

DeployPlan KubernetesProvider::planHelm(const config::Action& deploy, bool withSync) const {
  HelmCli helm(connection_, runner_);
  auto details = std::make_shared<KubePlan>();
  details->ns = namespaceOf(deploy);
  details->files = std::make_shared<util::TempDir>("gardensync-helm-");
  HelmRelease release;
  release.name = deploy.helm->releaseName;
  release.ns = details->ns;
  release.chart = deploy.helm->path;
  release.valueFiles = deploy.helm->valueFiles;
  release.timeout = std::chrono::seconds(deploy.timeoutSeconds);
  // Garden's order: the value files, then spec.values, which win.
  const fs::path values = *details->files / "values.json";
  writeFile(values, deploy.helm->values.dump());
  release.valueFiles.push_back(values);
  auto labels = ownLabels(deploy);
  const fs::path spec = *details->files / "post-render.json";
  auto postRenderer = [&](const std::string& hash) {
    writeFile(spec, postRenderSpec(deploy, withSync, labels, hash).dump());
    return std::vector<std::string>{util::selfExecutable().string(), "__helm-post-render", spec.string()};
  };
  // Rendered locally first: the same objects decide whether anything changed, and their hash
  // labels the release when it is installed.
  release.postRenderer = postRenderer("");
  details->manifests = parseYamlObjects(helm.render(release));
  const std::string hash = details->manifests.empty() ? "" : labelOf(details->manifests.front(), kManifestHashLabel);
  release.postRenderer = postRenderer(hash);
  details->helm = release;

  DeployPlan plan;
  plan.deploy = &deploy;
  plan.resource = fmt::format("helm release {} (namespace {})", release.name, details->ns);
  plan.outcome = compareWithCluster(deploy, details->ns, details->manifests, hash, details->podsToReplace);
  plan.details = details;
  return plan;
}

void KubernetesProvider::applyDeploy(const DeployPlan& plan, const StatusFunction& onStatus) const {
  const KubePlan& details = kubePlanOf(plan);
  const config::Action& deploy = *plan.deploy;
  if (plan.outcome != DeployOutcome::Unchanged) {
    kubectl_.ensureNamespace(details.ns);
    if (details.helm) {
      onStatus(fmt::format("deploy {}: helm upgrade --install {}", deploy.name, details.helm->name));
      HelmCli(connection_, runner_).upgradeInstall(*details.helm);
    } else {
      kubectl_.remove(details.ns, details.podsToReplace);
      kubectl_.apply(details.ns, details.manifests);
    }
  }
  waitForWorkloads(deploy, details.ns, details.manifests, onStatus);
}

void KubernetesProvider::waitForWorkloads(const config::Action& deploy, const std::string& ns,
                                          const std::vector<nlohmann::json>& manifests,
                                          const StatusFunction& onStatus) const {
  for (const auto& manifest : manifests) {
    const std::string kind = manifest.value("kind", "");
    if (!isWorkloadKind(kind)) continue;
    const std::string objectNs = metadataString(manifest, "namespace").empty() ? ns : metadataString(manifest, "namespace");
    const KubeWorkload workload{kind, metadataString(manifest, "name"), {}};
    onStatus(fmt::format("deploy {}: waiting for {}", deploy.name, workload.describe()));
    auto result = kubectl_.waitReady(objectNs, kind, workload.name, std::chrono::seconds(deploy.timeoutSeconds),
                                     [&](std::string_view line) {
                                       const std::string text = util::trim(line);
                                       if (!text.empty()) onStatus(fmt::format("deploy {}: {}", deploy.name, text));
                                     });
    if (result.ok()) continue;
    std::string pods;
    try {
      const auto selection = choosePod(KubeTargets(kubectl_).podsOf(objectNs, workload), "");
      pods = selection.pod ? "its pods run but are not ready" : selection.problem;
    } catch (const Error& e) {
      pods = e.what();
    }
    throw Error(fmt::format("Deploy {}: {} in {} did not become ready within {} s: {}{}", deploy.name, workload.describe(),
                            kubectl_.where(objectNs), deploy.timeoutSeconds,
                            util::trimEnd(result.stderrText.empty() ? result.stdoutText : result.stderrText),
                            pods.empty() ? "" : " (" + pods + ")"),
                fmt::format("`kubectl describe {} --namespace {}` and the pods' events say why; images must be "
                            "pullable by the cluster, and a Deploy may take longer with `timeout: <seconds>`",
                            workload.describe(), objectNs));
  }
}

PodChoice KubernetesProvider::resolveTarget(const config::Action& deploy, const Target& target) const {
  return KubeTargets(kubectl_).await(namespaceOf(deploy), target.workload, target.container, 30s);
}

std::string KubernetesProvider::where(const config::Action& deploy, const Target& target, const PodChoice& pod) const {
  return fmt::format("pod {} (container {}) of {} in {}", pod.name, pod.container, target.workload.describe(),
                     kubectl_.where(namespaceOf(deploy)));
}

void KubernetesProvider::requireRunning(const config::Action& deploy) const {
  std::vector<Target> targets;
  if (deploy.sync && !deploy.sync->paths.empty())
    for (const auto& path : deploy.sync->paths) targets.push_back(targetOf(deploy, &path));
  else targets.push_back(targetOf(deploy, nullptr));
  for (const auto& target : targets) {
    try {
      KubeTargets(kubectl_).resolve(namespaceOf(deploy), target.workload, target.container);
    } catch (const ToolError&) {
      throw;
    } catch (const Error& e) {
      throw Error(fmt::format("Deploy {} is not running: {}", deploy.name, e.what()),
                  fmt::format("deploy it first: gardensync deploy --sync {}", deploy.name));
    }
  }
}

void KubernetesProvider::checkAgentHost(const config::Action& deploy, const Target& target, const PodChoice& pod) const {
  const auto probe = readAgentProbe(kubectl_.exec(namespaceOf(deploy), pod.name, pod.container, agentProbeCommand(), 60s));
  if (!probe.probeRan)
    throw ToolError(fmt::format("cannot check {} for the sync agent", where(deploy, target, pod)),
                    util::formatCommand(kubectl_.execArgv(namespaceOf(deploy), pod.name, pod.container, {"sh", "-c", "..."},
                                                          false)),
                    probe.problem,
                    "kubectl exec needs the pods/exec permission in the namespace (docs/kubernetes.md)");
  if (!probe.problem.empty())
    throw Error(fmt::format("{} cannot host the sync agent: {}", where(deploy, target, pod), probe.problem),
                agentHostHint());
}

void KubernetesProvider::prepareSyncTargets(const std::vector<sync::PlannedSession>& sessions,
                                            const StatusFunction& onStatus) const {
  std::set<std::string> checked;
  for (const auto& session : sessions) {
    const config::Action* deploy = config_.find(config::ActionKind::Deploy, session.deploy);
    if (!deploy || !deploy->sync || session.pathIndex >= deploy->sync->paths.size())
      throw Error(fmt::format("sync {}: Deploy {} has no sync path {}", session.name, session.deploy, session.pathIndex));
    const Target target = targetOf(*deploy, &deploy->sync->paths[session.pathIndex]);
    onStatus(fmt::format("sync {}: finding the pod of {}", session.name, target.workload.describe()));
    const PodChoice pod = resolveTarget(*deploy, target);
    if (checked.insert(pod.name + "/" + pod.container).second) checkAgentHost(*deploy, target, pod);
    if (!session.containerIsAlpha) continue;
    auto result = kubectl_.exec(namespaceOf(*deploy), pod.name, pod.container, {"mkdir", "-p", session.containerPath}, 60s);
    if (!result.ok())
      throw ToolError(fmt::format("cannot create {} in {}", session.containerPath, where(*deploy, target, pod)),
                      util::formatCommand(kubectl_.execArgv(namespaceOf(*deploy), pod.name, pod.container,
                                                            {"mkdir", "-p", session.containerPath}, false)),
                      util::trimEnd(result.stderrText),
                      "the container's user must be able to create the sync's container path");
  }
}

void KubernetesProvider::beforeSessionCreate(const sync::PlannedSession& session, const TransportContext& transport) const {
  const config::Action* deploy = config_.find(config::ActionKind::Deploy, session.deploy);
  if (!deploy || !deploy->sync || session.pathIndex >= deploy->sync->paths.size()) return;
  const std::string& remote = session.containerIsAlpha ? session.alpha : session.beta;
  const std::string host = remote.substr(0, remote.find(':'));
  const PodChoice pod = resolveTarget(*deploy, targetOf(*deploy, &deploy->sync->paths[session.pathIndex]));
  // A new session has no history: the pod it starts with is the one to compare later pods with.
  KubeTransportState(transport.dataDir).writePod(host, pod.uid, false);
}

util::ProcessResult KubernetesProvider::exec(const config::Action& deploy, const std::vector<std::string>& command) const {
  const Target target = targetOf(deploy, nullptr);
  const PodChoice pod = KubeTargets(kubectl_).resolve(namespaceOf(deploy), target.workload, target.container);
  return kubectl_.exec(namespaceOf(deploy), pod.name, pod.container, command, 10min);
}

util::ProcessResult KubernetesProvider::execInSyncTarget(const config::Action& deploy, const config::SyncPath& path,
                                                         const std::vector<std::string>& command) const {
  const Target target = targetOf(deploy, &path);
  const PodChoice pod = KubeTargets(kubectl_).resolve(namespaceOf(deploy), target.workload, target.container);
  return kubectl_.exec(namespaceOf(deploy), pod.name, pod.container, command, 10min);
}

bool KubernetesProvider::restartSyncTarget(const config::Action& deploy, const config::SyncPath& path,
                                           const StatusFunction& onStatus) const {
  const Target target = targetOf(deploy, &path);
  // Kubernetes restarts no container on request: the pod is deleted and its workload makes a new
  // one. A bare Pod has nothing that would.
  if (target.workload.kind == "Pod")
    throw Error(fmt::format("cannot restart pod/{} of Deploy {}: a bare Pod is not replaced when deleted",
                            target.workload.name, deploy.name),
                "sync into a Deployment, StatefulSet or DaemonSet, or use afterSync.run instead of restart");
  const std::string ns = namespaceOf(deploy);
  const PodChoice pod = KubeTargets(kubectl_).resolve(ns, target.workload, target.container);
  onStatus(fmt::format("deleting pod {} so that {} replaces it", pod.name, target.workload.describe()));
  kubectl_.remove(ns, {"pod/" + pod.name});
  onStatus(fmt::format("waiting for {} to run a new pod", target.workload.describe()));
  const PodChoice next = KubeTargets(kubectl_).await(ns, target.workload, target.container, 5min);
  onStatus(fmt::format("pod {} runs", next.name));
  return true;
}

std::string KubernetesProvider::logs(const config::Action& deploy, int tail) const {
  const Target target = targetOf(deploy, nullptr);
  const PodChoice pod = KubeTargets(kubectl_).resolve(namespaceOf(deploy), target.workload, target.container);
  return kubectl_.logs(namespaceOf(deploy), pod.name, pod.container, tail);
}

void KubernetesProvider::followLogs(const config::Action& deploy, int tail, const OutputFunction& onOutput) const {
  const Target target = targetOf(deploy, nullptr);
  const PodChoice pod = KubeTargets(kubectl_).resolve(namespaceOf(deploy), target.workload, target.container);
  kubectl_.followLogs(namespaceOf(deploy), pod.name, pod.container, tail, onOutput);
}

std::vector<std::string> KubernetesProvider::interactiveExec(const config::Action& deploy,
                                                             const std::vector<std::string>& command, bool tty) const {
  const Target target = targetOf(deploy, nullptr);
  const PodChoice pod = KubeTargets(kubectl_).resolve(namespaceOf(deploy), target.workload, target.container);
  auto argv = kubectl_.execArgv(namespaceOf(deploy), pod.name, pod.container, command, true);
  if (tty) argv.insert(std::find(argv.begin(), argv.end(), "--stdin") + 1, "--tty");
  return argv;
}

void KubernetesProvider::checkStarted(const std::vector<DeployPlan>&, const StatusFunction&) const {
  // applyDeploy already waited for every workload to become ready, and says why when one did not.
}

std::vector<DeployState> KubernetesProvider::describe(const std::vector<const config::Action*>& deploys) const {
  std::vector<DeployState> states;
  for (const config::Action* deploy : deploys) {
    DeployState state;
    state.deploy = deploy->name;
    if (!hasWorkload(*deploy)) {
      // Objects that run nothing (a ConfigMap, a Service): nothing to be running.
      std::string objects;
      for (const auto& manifest : bodiesOf(*deploy)) objects += (objects.empty() ? "" : ", ") + describeObject(manifest);
      state.resource = fmt::format("{} (namespace {})", objects.empty() ? "no objects" : objects, namespaceOf(*deploy));
      state.state = "applied, no workload";
      states.push_back(state);
      continue;
    }
    state.resource = fmt::format("{} (namespace {})", targetOf(*deploy, nullptr).workload.describe(), namespaceOf(*deploy));
    try {
      requireRunning(*deploy);
      state.running = true;
      state.state = "running";
    } catch (const ToolError&) {
      throw;
    } catch (const Error&) {
      state.state = "not running";
    }
    states.push_back(state);
  }
  return states;
}

std::vector<std::string> KubernetesProvider::cleanup(const std::vector<std::string>& deploys) const {
  auto selected = [&](const std::string& name) {
    return deploys.empty() || std::find(deploys.begin(), deploys.end(), name) != deploys.end();
  };
  std::set<std::string> namespaces{config_.provider.kubernetesNamespace};
  std::set<std::string> kinds;  // of every object the config applies, for the cluster-scoped ones
  for (const config::Action* deploy : config_.deploys()) {
    if (!selected(deploy->name)) continue;
    namespaces.insert(namespaceOf(*deploy));
    for (const auto& manifest : deploy->manifests) {
      kinds.insert(manifest.body.value("kind", ""));
      if (const std::string ns = metadataString(manifest.body, "namespace"); !ns.empty()) namespaces.insert(ns);
    }
  }
  std::vector<std::string> removed;
  // A helm release goes with `helm uninstall`, so that helm forgets it too.
  if (util::findOnPath("helm")) {
    const HelmCli helm(connection_, runner_);
    for (const config::Action* deploy : config_.deploys())
      if (deploy->type == "helm" && selected(deploy->name) &&
          helm.uninstall(namespaceOf(*deploy), deploy->helm->releaseName))
        removed.push_back(fmt::format("helm release {} (namespace {})", deploy->helm->releaseName, namespaceOf(*deploy)));
  }
  // Then by label whatever else this checkout applied, also of Deploys since removed from the
  // config. Objects that others own (a Deployment's ReplicaSets and pods) go with their owner.
  std::string selector = fmt::format("{}={},{}={}", sync::kProjectLabel, config_.project.name, kCheckoutLabel,
                                     checkoutId(config_.project.root));
  if (!deploys.empty()) {
    std::string names;
    for (const auto& name : deploys) names += (names.empty() ? "" : ",") + name;
    selector += fmt::format(",{} in ({})", sync::kDeployLabel, names);
  }
  std::vector<std::string> unreadable;
  auto sweep = [&](const std::string& ns, const std::vector<std::string>& types) {
    std::vector<std::string> objects;
    for (const auto& object : kubectl_.listLabelled(ns, types, selector, unreadable)) {
      if (object.contains("metadata") && object["metadata"].contains("ownerReferences")) continue;
      objects.push_back(qualifiedKind(object) + "/" + metadataString(object, "name"));
      removed.push_back(ns.empty() ? describeObject(object)
                                   : fmt::format("{} (namespace {})", describeObject(object), ns));
    }
    kubectl_.remove(ns, objects);
  };
  std::vector<std::string> namespacedTypes;
  for (const auto& type : kubectl_.deletableResourceTypes(true)) namespacedTypes.push_back(type.name);
  for (const auto& ns : namespaces) sweep(ns, namespacedTypes);
  std::vector<std::string> clusterTypes;
  for (const auto& type : kubectl_.deletableResourceTypes(false))
    if (kinds.count(type.kind)) clusterTypes.push_back(type.name);
  sweep("", clusterTypes);
  if (!unreadable.empty())
    throw Error(fmt::format("removed {} object(s), but could not look for others: {}", removed.size(), unreadable.front()),
                "your Kubernetes user may not list every kind of object in the namespace; docs/kubernetes.md lists "
                "the permissions gardensync needs");
  return removed;
}

}  // namespace gardensync::providers
