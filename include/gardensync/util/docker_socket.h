// Requests on the local Docker Engine's API socket, for questions asked often: which containers
// are paused (`sync status`, every call) and whether a path exists in a container (every new
// session). The docker CLI takes about 25 ms of CPU to start, and a `docker exec` several times
// that in the container runtime; the socket answers in about one.
#pragma once

#include <optional>
#include <string>

namespace gardensync::util {

// The Engine's socket the docker CLI would use, when that is a local one: DOCKER_HOST unset (the
// default /var/run/docker.sock) or unix://PATH, and no other context chosen (DOCKER_CONTEXT, or
// currentContext in the CLI's config.json). nullopt otherwise: then only the CLI knows the way.
std::optional<std::string> localDockerSocket();

struct EngineResponse {
  int status = 0;
  std::string body;
};

// `method path` (GET, HEAD) on `socket`; nullopt when the Engine cannot be reached or does not
// answer within `timeoutMs`.
std::optional<EngineResponse> dockerEngineRequest(const std::string& socket, const std::string& method,
                                                  const std::string& path, int timeoutMs = 3000);

// The body of an answer when it is a 200; nullopt otherwise, so that the caller falls back to the
// docker CLI (and its error messages).
std::optional<std::string> okBody(std::optional<EngineResponse> answer);

// okBody of `GET path` on `socket` within `timeoutMs`.
std::optional<std::string> dockerEngineGet(const std::string& socket, const std::string& path, int timeoutMs = 3000);

}  // namespace gardensync::util
