#include "gardensync/sync/mode_mapping.h"

namespace gardensync::sync {

using config::SyncMode;

MutagenMode toMutagen(SyncMode mode) {
  switch (mode) {
    case SyncMode::OneWaySafe: return {"one-way-safe", false};
    case SyncMode::OneWayReplica: return {"one-way-replica", false};
    case SyncMode::OneWayReverse: return {"one-way-safe", true};
    case SyncMode::OneWayReplicaReverse: return {"one-way-replica", true};
    case SyncMode::TwoWaySafe: return {"two-way-safe", false};
    case SyncMode::TwoWayResolved: return {"two-way-resolved", false};
  }
  return {"one-way-safe", false};
}

bool localSideReceives(SyncMode mode) {
  const MutagenMode mapped = toMutagen(mode);
  return mapped.containerIsAlpha || mapped.mode.starts_with("two-way");
}

}  // namespace gardensync::sync
