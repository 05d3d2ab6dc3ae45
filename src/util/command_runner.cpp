#include "gardensync/util/command_runner.h"

#include "gardensync/util/docker_socket.h"

namespace gardensync::util {

ProcessResult CommandRunner::runChecked(const std::vector<std::string>& argv, const ProcessOptions& options,
                                        const std::string& what) const {
  ProcessResult result = run(argv, options);
  requireSuccess(argv, options, result, what);
  return result;
}

ProcessResult SystemRunner::run(const std::vector<std::string>& argv, const ProcessOptions& options) const {
  return runProcess(argv, options);
}

std::optional<std::string> CommandRunner::dockerEngineGet(const std::string& path) const {
  return okBody(dockerEngineRequest("GET", path));
}

std::optional<EngineResponse> SystemRunner::dockerEngineRequest(const std::string& method, const std::string& path) const {
  const auto socket = localDockerSocket();
  return socket ? util::dockerEngineRequest(*socket, method, path) : std::nullopt;
}

const CommandRunner& systemRunner() {
  static const SystemRunner runner;
  return runner;
}

}  // namespace gardensync::util
