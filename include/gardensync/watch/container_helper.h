// How the container side's helper (gardensync-container-watch) gets into a session's container
// and runs there, as commands for ContainerWatch to run. Pure.
//
// Docker: `docker cp` into the container's root (which `docker cp` can always write, whatever the
// container's user), then `docker exec -i`.
//
// Kubernetes: through the same `ssh`/`scp` stand-ins Mutagen's agent uses (kube_transport.h), so
// the helper reaches the pod the workload runs now, through the session's own kubectl, kubeconfig
// and context. It goes into the home folder beside Mutagen's agent (`.gardensync/`), since the
// pod's user may not write anywhere else. A running program cannot be overwritten (ETXTBSY), and
// several sessions may share a pod, so it is copied only when `check` says it is missing; `check`
// also refuses a pod of another architecture than the helper's (gardensync's own).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "gardensync/watch/watched_sides.h"

namespace gardensync::watch {

// `check`'s exit codes besides 0 (present and runnable); apart from the 1 of a failed kubectl
// exec or transport call.
constexpr int kHelperMissing = 10;
constexpr int kOtherArchitecture = 11;  // stdout holds the pod's `uname -m`

struct HelperLaunch {
  std::string where;                   // for the log: "container NAME" or "pod of deployment/NAME in namespace NS"
  std::vector<std::string> check;      // empty: install before every start (Docker)
  std::vector<std::string> install;    // copies the helper in
  std::vector<std::string> run;        // runs it; it ends when its stdin does
};

// `program` is the local helper, `dataDir` the project's Mutagen data directory (where the
// Kubernetes stand-ins are), `machine` the helper's architecture as `uname -m` names it.
HelperLaunch helperLaunch(const ContainerSide& side, const std::vector<std::string>& ignores,
                          const std::filesystem::path& program, const std::filesystem::path& dataDir,
                          const std::string& machine);

// This machine's `uname -m`, which the helper is built for.
std::string helperMachine();

}  // namespace gardensync::watch
