// How a Garden sync mode maps onto Mutagen: the `--mode` value, and whether the container is
// alpha (the reverse modes) or beta. Ownership and permission defaults always apply to the
// container side, so they follow the same choice.
#pragma once

#include <string_view>

#include "gardensync/config/sync_mode.h"

namespace gardensync::sync {

struct MutagenMode {
  std::string_view mode;   // two-way-safe | two-way-resolved | one-way-safe | one-way-replica
  bool containerIsAlpha;   // true for one-way-reverse and one-way-replica-reverse
};

MutagenMode toMutagen(config::SyncMode mode);

// Whether files can be written to the local side: two-way and the reverse modes.
bool localSideReceives(config::SyncMode mode);

}  // namespace gardensync::sync
