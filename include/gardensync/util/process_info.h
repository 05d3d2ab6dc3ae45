// What the system says about a running process, so gardensync signals a pid only after checking
// it is still the process it started: pids are reused, and a stale record must never make
// gardensync kill an unrelated program.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace gardensync::util {

struct ProcessInfo {
  std::vector<std::string> argv;
  std::vector<std::string> environment;  // "NAME=value" entries, as the process started with
  unsigned long long startTime = 0;      // clock ticks after boot (Linux /proc/<pid>/stat field 22)
};

// Reads /proc/<pid>; nullopt when there is no such process or it cannot be read (another
// user's process, or a system without /proc). Callers treat nullopt as "not ours".
std::optional<ProcessInfo> readProcessInfo(int pid);

// The value of `name` in the process's starting environment, if set.
std::optional<std::string> environmentValue(const ProcessInfo& info, const std::string& name);

// This process's umask (file creation mask), read without changing it (/proc/self/status); nullopt
// where the system does not say.
std::optional<unsigned> fileCreationMask();

}  // namespace gardensync::util
