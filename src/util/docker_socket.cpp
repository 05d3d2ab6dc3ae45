#include "gardensync/util/docker_socket.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "gardensync/util/text.h"
#include "gardensync/util/unix_socket.h"

namespace gardensync::util {

namespace {

// The CLI's current context, when its config names one other than "default".
bool otherContextChosen() {
  if (const char* context = environmentValue("DOCKER_CONTEXT"); context && std::string(context) != "default")
    return true;
  std::filesystem::path config;
  if (const char* dir = environmentValue("DOCKER_CONFIG")) config = std::filesystem::path(dir) / "config.json";
  else if (const char* home = environmentValue("HOME")) config = std::filesystem::path(home) / ".docker/config.json";
  else return false;
  std::ifstream in(config);
  if (!in) return false;
  const auto json = nlohmann::json::parse(in, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return true;  // unreadable: leave it to the CLI
  const auto it = json.find("currentContext");
  return it != json.end() && it->is_string() && it->get<std::string>() != "default" && !it->get<std::string>().empty();
}

}  // namespace

std::optional<std::string> localDockerSocket() {
  if (otherContextChosen()) return std::nullopt;
  const char* host = environmentValue("DOCKER_HOST");
  if (!host) return std::string("/var/run/docker.sock");
  const std::string value = host;
  if (value.rfind("unix://", 0) == 0 && value.size() > 7) return value.substr(7);
  return std::nullopt;
}

std::optional<EngineResponse> dockerEngineRequest(const std::string& socketPath, const std::string& method,
                                                  const std::string& path, int timeoutMs) {
  bool couldNotTry = false;
  const int fd = connectUnixSocket(socketPath, couldNotTry);
  if (fd < 0) return std::nullopt;
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  // HTTP/1.0: the Engine answers without chunking and closes the connection when done.
  const std::string request = method + " " + path + " HTTP/1.0\r\nHost: docker\r\n\r\n";
  if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size()))
    return std::nullopt;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  std::string response;
  char buffer[16384];
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) return std::nullopt;
    pollfd entry{fd, POLLIN, 0};
    if (::poll(&entry, 1, static_cast<int>(left)) <= 0) return std::nullopt;
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) return std::nullopt;
    if (n == 0) break;
    response.append(buffer, static_cast<size_t>(n));
  }
  const size_t lineEnd = response.find("\r\n");
  const size_t bodyStart = response.find("\r\n\r\n");
  if (lineEnd == std::string::npos || bodyStart == std::string::npos) return std::nullopt;
  const std::string status = response.substr(0, lineEnd);  // "HTTP/1.0 200 OK"
  const size_t space = status.find(' ');
  if (space == std::string::npos || space + 4 > status.size()) return std::nullopt;
  const std::string code = status.substr(space + 1, 3);
  if (code.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return EngineResponse{std::stoi(code), response.substr(bodyStart + 4)};
}

std::optional<std::string> okBody(std::optional<EngineResponse> answer) {
  if (!answer || answer->status != 200) return std::nullopt;
  return std::move(answer->body);
}

std::optional<std::string> dockerEngineGet(const std::string& socketPath, const std::string& path, int timeoutMs) {
  return okBody(dockerEngineRequest(socketPath, "GET", path, timeoutMs));
}

}  // namespace gardensync::util
