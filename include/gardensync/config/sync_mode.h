// Garden's sync modes and their aliases. Parsing lives here, with the schema; how a mode maps onto
// Mutagen's modes and endpoints is the sync plan's business (sync/mode_mapping.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gardensync::config {

enum class SyncMode {
  OneWaySafe,            // alias one-way
  OneWayReplica,
  OneWayReverse,
  OneWayReplicaReverse,
  TwoWaySafe,            // alias two-way
  TwoWayResolved,
};

// Garden's schema default when a path names no mode.
inline constexpr SyncMode kDefaultSyncMode = SyncMode::OneWaySafe;

// Accepts every canonical name and the aliases `one-way` and `two-way`.
std::optional<SyncMode> parseSyncMode(std::string_view text);
std::string_view canonicalName(SyncMode mode);
// "one-way, one-way-safe, ..." for error messages.
std::string acceptedSyncModeNames();

}  // namespace gardensync::config
