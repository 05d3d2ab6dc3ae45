// The exact `mutagen sync create` argv for a planned session. Pure, so the mapping from plan to
// Mutagen flags is unit-tested.
#pragma once

#include <string>
#include <vector>

#include "gardensync/sync/plan.h"

namespace gardensync::mutagen {

// Arguments after the binary: `sync create --no-global-configuration --name ... <alpha> <beta>`.
std::vector<std::string> createArgs(const sync::PlannedSession& session);

// A Kubernetes-style label selector matching every label in `labels` (`k1=v1,k2=v2`).
std::string labelSelector(const std::vector<std::pair<std::string, std::string>>& labels);

}  // namespace gardensync::mutagen
