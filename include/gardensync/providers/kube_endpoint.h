// How a sync's container side in a cluster is named for Mutagen. Mutagen has no Kubernetes
// endpoint, so gardensync gives it an SSH one (`<host>:<path>`) whose host is not a machine but
// a description of the target, which gardensync's own `ssh` and `scp` stand-ins read back:
//
//   kube_<namespace>_<kind>_<name>_<container>_<session>_<connection>
//
// `kind` is deployment, statefulset, daemonset or pod (then `name` is the workload's name), or
// selector (then `name` is the reference of a stored pod selector); `container` is `-` for "the
// pod's first container"; `session` is the sync session's name, so each session's pod history is
// its own; `connection` is the reference of the stored kubectl, kubeconfig and context. Kubernetes
// names hold only lowercase letters, digits, `-` and `.`, so `_` separates the fields; the host
// has no `:`, `/` or `@`, which Mutagen's URL parser would split on, and is a valid ssh host name.
// Kubeconfig paths and context names (EKS contexts are ARNs, with `:` and `/`) cannot be written
// into it: they are stored in the data directory under a short content hash (KubeTargetStore).
// Pure.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "gardensync/providers/kubectl_cli.h"

namespace gardensync::providers {

struct KubeEndpoint {
  std::string ns;
  std::string kind;       // deployment, statefulset, daemonset, pod, selector
  std::string name;       // workload name, or selector reference
  std::string container;  // empty: the pod's first container
  std::string session;
  std::string connection;  // connection reference

  bool operator==(const KubeEndpoint&) const = default;
};

std::string formatHost(const KubeEndpoint& endpoint);
// nullopt when `host` is not one formatHost wrote.
std::optional<KubeEndpoint> parseHost(std::string_view host);

// Short content hashes naming what the host cannot hold.
std::string connectionRef(const KubeConnection& connection);
std::string selectorRef(const std::map<std::string, std::string>& labels);

// The workload kind of a config target ("Deployment") as the host writes it ("deployment"), and back.
std::string hostKind(const std::string& kind);
std::string workloadKind(const std::string& hostKind);

}  // namespace gardensync::providers
