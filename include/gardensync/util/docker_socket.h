// A GET on the local Docker Engine's API socket, for the one question `sync status` asks on every
// call (which containers are paused): the docker CLI takes about 25 ms of CPU to start, which on
// a small machine competes with the Mutagen call made beside it; the socket answers in about one.
#pragma once

#include <optional>
#include <string>

namespace gardensync::util {

// The Engine's socket the docker CLI would use, when that is a local one: DOCKER_HOST unset (the
// default /var/run/docker.sock) or unix://PATH, and no other context chosen (DOCKER_CONTEXT, or
// currentContext in the CLI's config.json). nullopt otherwise: then only the CLI knows the way.
std::optional<std::string> localDockerSocket();

// The body of `GET path` on `socket` when the Engine answers 200 within `timeoutMs`; nullopt on
// any failure, so that the caller falls back to the docker CLI (and its error messages).
std::optional<std::string> dockerEngineGet(const std::string& socket, const std::string& path, int timeoutMs = 3000);

}  // namespace gardensync::util
