// The commands gardensync runs itself, never a user: `__kube-transport`, the `ssh` and `scp`
// stand-ins of the Kubernetes sync transport and its history-reset worker
// (providers/kube_transport.h), and `__helm-post-render`, Helm's post-renderer for helm Deploys
// (providers/helm_post_render.h), and `__watch`, the project's file watcher process
// (watch/watch_loop.h, started by cli/watcher_control.h). Their arguments are taken as they come, not through the
// command line parser: ssh's flags are not gardensync's.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace gardensync::cli {

// Runs the helper `args` (after the program name) name and returns its exit code, or nullopt
// when `args` names no helper.
std::optional<int> runHelperCommand(const std::vector<std::string>& args);

}  // namespace gardensync::cli
