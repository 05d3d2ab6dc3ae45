// The seam between orchestration and the programs it runs. Docker, Mutagen and kubectl calls go
// through a CommandRunner, so the logic around them (what to run, how to read the answer, what to
// do when it fails or hangs) can be unit-tested with scripted answers, the way ninja tests its
// build logic with a FakeCommandRunner. The real one is util::runProcess.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gardensync/util/docker_socket.h"
#include "gardensync/util/process.h"

namespace gardensync::util {

class CommandRunner {
public:
  virtual ~CommandRunner() = default;
  // Runs argv and returns how it ended; a non-zero exit is returned, not thrown.
  virtual ProcessResult run(const std::vector<std::string>& argv, const ProcessOptions& options) const = 0;
  // Like run, but throws ToolError (command, exit code, stderr) unless it exits 0.
  ProcessResult runChecked(const std::vector<std::string>& argv, const ProcessOptions& options,
                           const std::string& what) const;
  // `method path` on the local Docker Engine's API (util/docker_socket.h), or nullopt when that
  // way is not open: the caller then runs the docker CLI. Scripted runners have none unless a
  // test gives them one.
  virtual std::optional<EngineResponse> dockerEngineRequest(const std::string& /*method*/,
                                                            const std::string& /*path*/) const {
    return std::nullopt;
  }
  // The body of a 200 answer to `GET path`, or nullopt.
  std::optional<std::string> dockerEngineGet(const std::string& path) const;
};

// Runs real processes (util::runProcess).
class SystemRunner : public CommandRunner {
public:
  ProcessResult run(const std::vector<std::string>& argv, const ProcessOptions& options) const override;
  std::optional<EngineResponse> dockerEngineRequest(const std::string& method, const std::string& path) const override;
};

const CommandRunner& systemRunner();

}  // namespace gardensync::util
