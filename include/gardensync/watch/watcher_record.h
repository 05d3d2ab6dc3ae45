// What the project's data directory says about its watcher process: its pid and when that
// process started (so a reused pid is never taken for it), written by the watcher itself once it
// is watching, removed when it stops. The same pattern as the Mutagen daemon's record
// (mutagen/mutagen_cli.cpp).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "gardensync/util/process_info.h"

namespace gardensync::watch {

// The helper command the watcher runs as: `gardensync __watch --data-dir <dir> ...`.
inline constexpr const char* kWatchCommand = "__watch";

struct WatcherRecord {
  int pid = 0;
  unsigned long long started = 0;  // /proc/<pid>/stat start time (clock ticks after boot)
  std::string binary;              // the executable that runs it (argv[0])
  std::string dataDir;             // the Mutagen data directory it serves
};

// `key=value` lines. Pure.
std::string formatRecord(const WatcherRecord& record);
// nullopt when a field is missing or damaged (a damaged record names no process). Pure.
std::optional<WatcherRecord> parseRecord(std::string_view text);

// True only when `info` is the process the record describes: `<binary> __watch --data-dir
// <dataDir> ...`, started at the recorded time. Pure.
bool isRecordedWatcher(const WatcherRecord& record, const util::ProcessInfo& info);

std::filesystem::path recordPath(const std::filesystem::path& dataDir);
std::optional<WatcherRecord> readRecord(const std::filesystem::path& dataDir);
// Atomically (write, then rename over).
void writeRecord(const std::filesystem::path& dataDir, const WatcherRecord& record);
void removeRecord(const std::filesystem::path& dataDir);

}  // namespace gardensync::watch
