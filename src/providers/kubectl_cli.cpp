#include "gardensync/providers/kubectl_cli.h"

#include <sstream>

#include <fmt/format.h>

#include "gardensync/util/error.h"
#include "gardensync/util/text.h"

namespace gardensync::providers {

using namespace std::chrono_literals;

namespace {

}  // namespace

std::vector<std::string> KubeConnection::argv(const std::vector<std::string>& args) const {
  std::vector<std::string> result{kubectl};
  if (!kubeconfig.empty()) result.insert(result.end(), {"--kubeconfig", kubeconfig});
  if (!context.empty()) result.insert(result.end(), {"--context", context});
  result.insert(result.end(), args.begin(), args.end());
  return result;
}

util::Environment KubeConnection::environment() const {
  util::Environment env;
  if (kubeconfig.empty() && !kubeconfigVariable.empty()) env.set["KUBECONFIG"] = kubeconfigVariable;
  return env;
}

std::string KubeConnection::describeContext() const {
  const std::string config = kubeconfig.empty() ? std::string() : " of " + kubeconfig;
  return context.empty() ? "the current context" + config : "context " + context + config;
}

KubeConnection connectionOf(const config::Provider& provider) {
  KubeConnection connection;
  if (!provider.kubectlPath.empty()) connection.kubectl = provider.kubectlPath;
  connection.kubeconfig = provider.kubeconfig;
  connection.context = provider.kubernetesContext;
  return connection;
}

KubectlCli::KubectlCli(KubeConnection connection, const util::CommandRunner& runner)
    : connection_(std::move(connection)), runner_(runner) {}

std::string KubectlCli::where(const std::string& ns) const {
  return fmt::format("namespace {} ({})", ns, connection_.describeContext());
}

util::ProcessResult KubectlCli::run(const std::vector<std::string>& args, std::chrono::milliseconds timeout,
                                    const std::optional<std::string>& stdinData) const {
  util::ProcessOptions options;
  options.environment = connection_.environment();
  options.timeout = timeout;
  options.stdinData = stdinData;
  return runner_.run(connection_.argv(args), options);
}

void KubectlCli::checkAvailable() const {
  const bool isPath = connection_.kubectl.find('/') != std::string::npos;
  if (isPath ? !std::filesystem::exists(connection_.kubectl) : !util::findOnPath(connection_.kubectl))
    throw Error(fmt::format("kubectl was not found ({})", isPath ? connection_.kubectl : "not on PATH"),
                "install kubectl (https://kubernetes.io/docs/tasks/tools/), or set kubectlPath in the kubernetes "
                "provider's settings");
  auto result = run({"version", "--output=json"}, 30s);
  if (!result.ok())
    throw ToolError(fmt::format("the Kubernetes cluster of {} does not answer", connection_.describeContext()),
                    util::formatCommand(connection_.argv({"version", "--output=json"})),
                    util::trimEnd(result.stderrText),
                    "check the provider's context and kubeconfig (`kubectl config get-contexts`), that the cluster "
                    "runs, and that your credentials are current");
}

nlohmann::json KubectlCli::getJson(const std::vector<std::string>& args, const std::string& ns) const {
  std::vector<std::string> full{"get"};
  full.insert(full.end(), args.begin(), args.end());
  if (!ns.empty()) full.insert(full.end(), {"--namespace", ns});
  full.insert(full.end(), {"--output", "json"});
  auto result = run(full, 60s);
  const std::string command = util::formatCommand(connection_.argv(full));
  if (!result.ok())
    throw ToolError(fmt::format("cannot read from the cluster in {}", where(ns)), command,
                    util::trimEnd(result.stderrText),
                    result.stderrText.find("forbidden") != std::string::npos
                        ? "your Kubernetes user lacks permission for this; docs/kubernetes.md lists what gardensync needs"
                        : std::string());
  if (util::trim(result.stdoutText).empty()) return nullptr;  // --ignore-not-found, nothing found
  auto parsed = nlohmann::json::parse(result.stdoutText, nullptr, false);
  if (parsed.is_discarded())
    throw ToolError("kubectl printed something that is not JSON", command, util::trimEnd(result.stdoutText).substr(0, 500));
  return parsed;
}

std::optional<nlohmann::json> KubectlCli::getObject(const std::string& ns, const std::string& kind,
                                                    const std::string& name) const {
  auto object = getJson({kind, name, "--ignore-not-found"}, ns);
  if (object.is_null()) return std::nullopt;
  return object;
}

void KubectlCli::ensureNamespace(const std::string& ns) const {
  if (getObject("", "namespace", ns)) return;
  auto result = run({"create", "namespace", ns}, 60s);
  // Another gardensync may have created it meanwhile.
  if (!result.ok() && result.stderrText.find("AlreadyExists") == std::string::npos)
    throw ToolError(fmt::format("cannot create namespace {} ({})", ns, connection_.describeContext()),
                    util::formatCommand(connection_.argv({"create", "namespace", ns})), util::trimEnd(result.stderrText),
                    "create it yourself (`kubectl create namespace " + ns +
                        "`) or set the provider's namespace to one you may use");
}

void KubectlCli::apply(const std::string& ns, const std::vector<nlohmann::json>& manifests) const {
  nlohmann::json list{{"apiVersion", "v1"}, {"kind", "List"}, {"items", manifests}};
  const std::vector<std::string> args{"apply", "--namespace", ns, "--filename", "-"};
  auto result = run(args, 5min, list.dump());
  if (!result.ok())
    throw ToolError(fmt::format("kubectl apply failed in {}", where(ns)), util::formatCommand(connection_.argv(args)),
                    util::trimEnd(result.stderrText),
                    "fix the manifests (the message above names the object), or check your permissions in the namespace");
}

void KubectlCli::remove(const std::string& ns, const std::vector<std::string>& objects) const {
  if (objects.empty()) return;
  std::vector<std::string> args{"delete", "--ignore-not-found", "--wait=true"};
  if (!ns.empty()) args.insert(args.end(), {"--namespace", ns});
  args.insert(args.end(), objects.begin(), objects.end());
  auto result = run(args, 5min);
  if (!result.ok())
    throw ToolError(fmt::format("cannot delete {} in {}", objects.front(), where(ns)),
                    util::formatCommand(connection_.argv(args)), util::trimEnd(result.stderrText));
}

util::ProcessResult KubectlCli::waitReady(const std::string& ns, const std::string& kind, const std::string& name,
                                          std::chrono::seconds timeout,
                                          const std::function<void(std::string_view)>& onLine) const {
  const std::string timeoutFlag = fmt::format("--timeout={}s", timeout.count());
  std::vector<std::string> args = kind == "Pod"
      ? std::vector<std::string>{"wait", "--for=condition=Ready", "pod/" + name, "--namespace", ns, timeoutFlag}
      : std::vector<std::string>{"rollout", "status", util::asciiLowercase(kind) + "/" + name, "--namespace", ns, "--watch=true",
                                 timeoutFlag};
  util::ProcessOptions options;
  options.environment = connection_.environment();
  options.timeout = timeout + 30s;  // kubectl's own timeout ends it first, with its message
  options.onStdout = onLine;
  return runner_.run(connection_.argv(args), options);
}

std::vector<std::string> KubectlCli::execArgv(const std::string& ns, const std::string& pod, const std::string& container,
                                              const std::vector<std::string>& command, bool stdinOpen) const {
  std::vector<std::string> args{"exec"};
  if (stdinOpen) args.push_back("--stdin");
  args.insert(args.end(), {"--namespace", ns, pod, "--container", container, "--"});
  args.insert(args.end(), command.begin(), command.end());
  return connection_.argv(args);
}

util::ProcessResult KubectlCli::exec(const std::string& ns, const std::string& pod, const std::string& container,
                                     const std::vector<std::string>& command, std::chrono::milliseconds timeout,
                                     const std::optional<std::string>& stdinData) const {
  util::ProcessOptions options;
  options.environment = connection_.environment();
  options.timeout = timeout;
  options.stdinData = stdinData;
  return runner_.run(execArgv(ns, pod, container, command, stdinData.has_value()), options);
}

std::string KubectlCli::logs(const std::string& ns, const std::string& pod, const std::string& container, int tail) const {
  const std::vector<std::string> args{"logs", "--namespace", ns, pod, "--container", container,
                                      "--tail", std::to_string(tail)};
  auto result = run(args, 60s);
  if (!result.ok())
    throw ToolError(fmt::format("cannot read the logs of pod {} (container {}) in {}", pod, container, where(ns)),
                    util::formatCommand(connection_.argv(args)), util::trimEnd(result.stderrText));
  return result.stdoutText;
}

util::ProcessResult KubectlCli::followLogs(const std::string& ns, const std::string& pod, const std::string& container,
                                           int tail, const std::function<void(std::string_view)>& onOutput) const {
  util::ProcessOptions options;
  options.environment = connection_.environment();
  options.timeout = 0s;  // until the pod stops or Ctrl-C
  options.onStdout = onOutput;
  options.onStderr = onOutput;
  return runner_.run(connection_.argv({"logs", "--follow", "--namespace", ns, pod, "--container", container, "--tail",
                                       std::to_string(tail)}),
                     options);
}

std::vector<KubectlCli::ResourceType> KubectlCli::deletableResourceTypes(bool namespaced) const {
  const std::vector<std::string> args{"api-resources", "--verbs=list,delete",
                                      namespaced ? "--namespaced=true" : "--namespaced=false", "--no-headers"};
  auto result = run(args, 60s);
  if (!result.ok())
    throw ToolError(fmt::format("cannot list the cluster's resource types ({})", connection_.describeContext()),
                    util::formatCommand(connection_.argv(args)), util::trimEnd(result.stderrText));
  // Columns: NAME [SHORTNAMES] APIVERSION NAMESPACED KIND; the short names may be missing.
  std::vector<ResourceType> types;
  std::istringstream lines(result.stdoutText);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::vector<std::string> columns;
    for (std::string word; words >> word;) columns.push_back(word);
    if (columns.size() < 4) continue;
    const std::string group = columns[columns.size() - 3];
    const size_t slash = group.find('/');
    ResourceType type{columns.front() + (slash == std::string::npos ? "" : "." + group.substr(0, slash)), columns.back()};
    // Events and leases carry no labels of ours but are listed by the thousand; Endpoints copy
    // their Service's labels and go with it.
    if (type.kind == "Event" || type.kind == "Lease" || type.kind == "Endpoints" || type.kind == "EndpointSlice")
      continue;
    types.push_back(type);
  }
  return types;
}

std::vector<nlohmann::json> KubectlCli::listLabelled(const std::string& ns, const std::vector<std::string>& types,
                                                     const std::string& selector,
                                                     std::vector<std::string>& unreadable) const {
  if (types.empty()) return {};
  std::string joined;
  for (const auto& type : types) joined += (joined.empty() ? "" : ",") + type;
  std::vector<std::string> args{"get", joined, "--selector", selector, "--output", "json", "--ignore-not-found"};
  if (!ns.empty()) args.insert(args.end(), {"--namespace", ns});
  auto result = run(args, 2min);
  auto parsed = nlohmann::json::parse(result.stdoutText, nullptr, false);
  if (!result.ok() && (parsed.is_discarded() || result.stderrText.find("forbidden") == std::string::npos))
    throw ToolError(fmt::format("cannot list gardensync's objects in {}", where(ns)),
                    util::formatCommand(connection_.argv(args)), util::trimEnd(result.stderrText));
  std::istringstream lines(result.stderrText);
  for (std::string line; std::getline(lines, line);)
    if (line.find("forbidden") != std::string::npos) unreadable.push_back(util::trim(line));
  std::vector<nlohmann::json> items;
  if (parsed.is_object() && parsed.contains("items") && parsed["items"].is_array())
    for (auto& item : parsed["items"]) items.push_back(std::move(item));
  return items;
}

}  // namespace gardensync::providers
