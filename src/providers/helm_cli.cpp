#include "gardensync/providers/helm_cli.h"

#include <fmt/format.h>

#include "gardensync/util/error.h"
#include "gardensync/util/text.h"

namespace gardensync::providers {

using namespace std::chrono_literals;

HelmCli::HelmCli(KubeConnection connection, const util::CommandRunner& runner)
    : connection_(std::move(connection)), runner_(runner) {}

std::vector<std::string> HelmCli::argv(const std::vector<std::string>& args) const {
  std::vector<std::string> result{"helm"};
  result.insert(result.end(), args.begin(), args.end());
  if (!connection_.kubeconfig.empty()) result.insert(result.end(), {"--kubeconfig", connection_.kubeconfig});
  if (!connection_.context.empty()) result.insert(result.end(), {"--kube-context", connection_.context});
  return result;
}

void HelmCli::checkAvailable() const {
  if (util::findOnPath("helm")) return;
  throw Error("helm is not on PATH; gardensync runs it to deploy Deploys of type helm",
              "install Helm 3 (https://helm.sh/docs/intro/install/) and put `helm` on PATH, or deploy the chart's "
              "manifests with a Deploy of type kubernetes");
}

std::vector<std::string> HelmCli::releaseArgs(const HelmRelease& release) const {
  std::vector<std::string> args{release.name, release.chart.string(), "--namespace", release.ns};
  for (const auto& file : release.valueFiles) args.insert(args.end(), {"--values", file.string()});
  if (!release.postRenderer.empty()) {
    args.insert(args.end(), {"--post-renderer", release.postRenderer.front()});
    for (size_t i = 1; i < release.postRenderer.size(); ++i)
      args.insert(args.end(), {"--post-renderer-args", release.postRenderer[i]});
  }
  return args;
}

std::string HelmCli::render(const HelmRelease& release) const {
  std::vector<std::string> args{"template"};
  const auto rest = releaseArgs(release);
  args.insert(args.end(), rest.begin(), rest.end());
  util::ProcessOptions options;
  options.timeout = 5min;
  auto result = runner_.run(argv(args), options);
  if (!result.ok())
    throw ToolError(fmt::format("helm cannot render the chart {} (release {})", release.chart.string(), release.name),
                    util::formatCommand(argv(args)), util::trimEnd(result.stderrText),
                    "fix the chart or its values; `helm template` shows the same error");
  return result.stdoutText;
}

void HelmCli::upgradeInstall(const HelmRelease& release) const {
  std::vector<std::string> args{"upgrade", "--install"};
  const auto rest = releaseArgs(release);
  args.insert(args.end(), rest.begin(), rest.end());
  args.push_back(fmt::format("--timeout={}s", release.timeout.count()));
  util::ProcessOptions options;
  options.timeout = release.timeout + 60s;
  auto result = runner_.run(argv(args), options);
  if (!result.ok())
    throw ToolError(fmt::format("helm could not install or upgrade release {} in namespace {} ({})", release.name,
                                release.ns, connection_.describeContext()),
                    util::formatCommand(argv(args)), util::trimEnd(result.stderrText),
                    fmt::format("`helm status {} --namespace {}` and `helm history` show the release's state",
                                release.name, release.ns));
}

bool HelmCli::uninstall(const std::string& ns, const std::string& release) const {
  const std::vector<std::string> args{"uninstall", release, "--namespace", ns, "--wait"};
  util::ProcessOptions options;
  options.timeout = 5min;
  auto result = runner_.run(argv(args), options);
  if (result.ok()) return true;
  if (result.stderrText.find("not found") != std::string::npos) return false;
  throw ToolError(fmt::format("cannot uninstall helm release {} in namespace {}", release, ns),
                  util::formatCommand(argv(args)), util::trimEnd(result.stderrText));
}

}  // namespace gardensync::providers
