#include "gardensync/config/sync_mode.h"

#include <array>
#include <utility>

namespace gardensync::config {

namespace {
constexpr std::array<std::pair<std::string_view, SyncMode>, 8> kNames{{
    {"one-way", SyncMode::OneWaySafe},
    {"one-way-safe", SyncMode::OneWaySafe},
    {"one-way-replica", SyncMode::OneWayReplica},
    {"one-way-reverse", SyncMode::OneWayReverse},
    {"one-way-replica-reverse", SyncMode::OneWayReplicaReverse},
    {"two-way", SyncMode::TwoWaySafe},
    {"two-way-safe", SyncMode::TwoWaySafe},
    {"two-way-resolved", SyncMode::TwoWayResolved},
}};
}  // namespace

std::optional<SyncMode> parseSyncMode(std::string_view text) {
  for (const auto& [name, mode] : kNames)
    if (name == text) return mode;
  return std::nullopt;
}

std::string_view canonicalName(SyncMode mode) {
  switch (mode) {
    case SyncMode::OneWaySafe: return "one-way-safe";
    case SyncMode::OneWayReplica: return "one-way-replica";
    case SyncMode::OneWayReverse: return "one-way-reverse";
    case SyncMode::OneWayReplicaReverse: return "one-way-replica-reverse";
    case SyncMode::TwoWaySafe: return "two-way-safe";
    case SyncMode::TwoWayResolved: return "two-way-resolved";
  }
  return "one-way-safe";
}

std::string acceptedSyncModeNames() {
  std::string text;
  for (const auto& [name, mode] : kNames) {
    if (!text.empty()) text += ", ";
    text += name;
  }
  return text;
}

}  // namespace gardensync::config
