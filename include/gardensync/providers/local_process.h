// The background processes of persistent exec Deploys (`spec.persistent: true`): started detached
// so they outlive gardensync, recorded in the project's data dir
// (`<project>/.garden/gardensync/exec/<deploy>.json`: pid, start time, spec hash, command) with
// their output in `<deploy>.log`, and stopped by `cleanup deploy`. A pid is signalled only while
// it is still the process that was started (same start time, and the marker variable
// GARDENSYNC_EXEC_DEPLOY in its environment): pids are reused.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gardensync::providers {

struct LocalProcessRecord {
  std::string deploy;
  int pid = 0;
  unsigned long long startTime = 0;  // clock ticks after boot, as util::ProcessInfo has it
  std::string specHash;              // of what was started: command, folder, environment
  std::vector<std::string> argv;
};

// `<projectRoot>/.garden/gardensync/exec`. Pure.
std::filesystem::path localProcessDir(const std::filesystem::path& projectRoot);

// The record of `deploy`, if there is a readable one.
std::optional<LocalProcessRecord> readLocalProcess(const std::filesystem::path& dir, const std::string& deploy);
// Every record in `dir`, by deploy name.
std::vector<LocalProcessRecord> readLocalProcesses(const std::filesystem::path& dir);

// Whether the recorded process still runs (and is the one started).
bool isRunning(const LocalProcessRecord& record);

// Starts `argv` in `workingDirectory` with `environment` set over this process's, detached, its
// output appended to `<dir>/<deploy>.log`, and records it. Throws Error when it cannot start.
LocalProcessRecord startLocalProcess(const std::filesystem::path& dir, const std::string& deploy,
                                     const std::vector<std::string>& argv,
                                     const std::map<std::string, std::string>& environment,
                                     const std::filesystem::path& workingDirectory, const std::string& specHash);

// Stops the recorded process of `deploy` and its process group (SIGTERM, then SIGKILL after 10 s)
// and removes the record. Returns the record when the process was running.
std::optional<LocalProcessRecord> stopLocalProcess(const std::filesystem::path& dir, const std::string& deploy);

// The last `lines` lines of `deploy`'s log ("" when there is none).
std::string localProcessLog(const std::filesystem::path& dir, const std::string& deploy, int lines);

}  // namespace gardensync::providers
