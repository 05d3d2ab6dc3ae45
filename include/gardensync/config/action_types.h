// Garden's action types by kind (Garden's docs/reference/action-types) and which of them
// gardensync runs. Types gardensync does not run are still loaded: they take part in the action
// graph and are reported as skipped, with the reason this unit gives.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gardensync/config/model.h"

namespace gardensync::config {

// Every type Garden documents for `kind`, sorted.
std::vector<std::string> gardenActionTypes(ActionKind kind);

// Whether `type` is a Garden type of `kind`: nullopt when it is not; an empty string when
// gardensync runs it; otherwise why it does not ("gardensync does not deploy terraform Deploys").
std::optional<std::string> skipReasonFor(ActionKind kind, std::string_view type);

}  // namespace gardensync::config
