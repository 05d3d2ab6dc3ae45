// Runs the pinned Mutagen binary against one data directory, and keeps that directory's daemon
// running with the environment gardensync chooses. The daemon outlives gardensync; every call
// here disables Mutagen's autostart so a daemon is only ever started by `ensureDaemon`.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gardensync/util/command_runner.h"
#include "gardensync/util/error.h"

namespace gardensync::mutagen {

// Whether a failed Mutagen command failed because the daemon went away under it (killed, or
// stopped from elsewhere), as opposed to an error of the command itself.
bool isDaemonLoss(const ToolError& error);

// The error to show instead: what happened, that the syncs are not running, and what to run.
Error daemonLossError(const std::string& during);

class MutagenCli {
public:
  MutagenCli(std::filesystem::path binary, std::filesystem::path dataDir,
             const util::CommandRunner& runner = util::systemRunner());

  const std::filesystem::path& binary() const { return binary_; }
  const std::filesystem::path& dataDir() const { return dataDir_; }
  const util::CommandRunner& runner() const { return runner_; }

  // The environment for Mutagen commands (MUTAGEN_DATA_DIRECTORY, autostart off).
  util::Environment environment() const;

  // Runs `mutagen <args>`; throws ToolError on a non-zero exit.
  util::ProcessResult run(const std::vector<std::string>& args, std::chrono::milliseconds timeout,
                          const std::string& what) const;

  // True when a daemon answers on this data directory.
  bool daemonResponds() const;
  // Starts the daemon (`mutagen daemon run`, detached, logging to <dataDir>/daemon.log) unless one
  // of this version answers; restarts one started by another Mutagen version or binary. The
  // daemon runs the transports, so it gets `transport` (e.g. MUTAGEN_SSH_PATH for Kubernetes
  // endpoints) in its environment; one that was started with other values is restarted (its
  // sessions resume). nullopt: whatever the running daemon has (when the project's config cannot
  // be read), or what the last one gardensync started had.
  void ensureDaemon(const std::optional<std::map<std::string, std::string>>& transport = std::nullopt) const;
  // Stops the daemon and waits for it to exit; no error when none runs.
  void stopDaemon() const;

private:
  std::filesystem::path binary_;
  std::filesystem::path dataDir_;
  const util::CommandRunner& runner_;
};

}  // namespace gardensync::mutagen
