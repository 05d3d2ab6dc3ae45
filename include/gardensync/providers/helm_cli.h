// The helm CLI, as the kubernetes provider uses it for `helm` Deploys of local charts: render
// (`helm template`), install or upgrade, uninstall. Every call is an argv through a
// CommandRunner with a timeout, talking to the provider's kubeconfig and context; failures are
// ToolErrors with the command and helm's stderr.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "gardensync/providers/kubectl_cli.h"
#include "gardensync/util/command_runner.h"

namespace gardensync::providers {

// One release of a local chart, and the post-renderer that labels and adjusts its objects.
struct HelmRelease {
  std::string name;
  std::string ns;
  std::filesystem::path chart;
  std::vector<std::filesystem::path> valueFiles;  // in order; later files win
  std::vector<std::string> postRenderer;          // program, then its arguments; empty: none
  std::chrono::seconds timeout{300};
};

class HelmCli {
public:
  HelmCli(KubeConnection connection, const util::CommandRunner& runner = util::systemRunner());

  // Throws Error naming what is missing when helm is not on PATH.
  void checkAvailable() const;
  // The objects the release would have, as YAML documents (`helm template`, no cluster changes).
  std::string render(const HelmRelease& release) const;
  // `helm upgrade --install`; returns once helm has applied the objects (it does not wait for
  // them to be ready: the provider waits, with progress).
  void upgradeInstall(const HelmRelease& release) const;
  // `helm uninstall`; no error when the release does not exist. Returns whether it did.
  bool uninstall(const std::string& ns, const std::string& release) const;

private:
  std::vector<std::string> argv(const std::vector<std::string>& args) const;
  std::vector<std::string> releaseArgs(const HelmRelease& release) const;

  KubeConnection connection_;
  const util::CommandRunner& runner_;
};

}  // namespace gardensync::providers
