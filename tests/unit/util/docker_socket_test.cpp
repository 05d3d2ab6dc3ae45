#include "gardensync/util/docker_socket.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <cstring>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "gardensync/util/temp_dir.h"

namespace gardensync::util {
namespace {

// A one-request server on a Unix socket that answers `response` and closes, like the Engine does
// for an HTTP/1.0 request. Records the request it got.
class OneShotServer {
public:
  OneShotServer(const std::string& path, std::string response) : response_(std::move(response)) {
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof(address)), 0);
    EXPECT_EQ(::listen(fd_, 1), 0);
    thread_ = std::thread([this] {
      const int client = ::accept(fd_, nullptr, nullptr);
      if (client < 0) return;
      char buffer[4096];
      const ssize_t n = ::read(client, buffer, sizeof buffer);
      if (n > 0) request_.assign(buffer, static_cast<size_t>(n));
      (void)!::write(client, response_.data(), response_.size());
      ::close(client);
    });
  }
  ~OneShotServer() {
    ::shutdown(fd_, SHUT_RDWR);
    if (thread_.joinable()) thread_.join();
    ::close(fd_);
  }
  std::string request() {
    if (thread_.joinable()) thread_.join();
    return request_;
  }

private:
  int fd_ = -1;
  std::string response_;
  std::string request_;
  std::thread thread_;
};

TEST(DockerSocket, GetsTheBodyOfA200) {
  TempDir temp;
  const std::string socket = (temp.path() / "d.sock").string();
  OneShotServer server(socket, "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n[{\"Names\":[\"/gs-a\"]}]");
  EXPECT_EQ(dockerEngineGet(socket, "/containers/json"), "[{\"Names\":[\"/gs-a\"]}]");
  EXPECT_EQ(server.request().substr(0, 31), "GET /containers/json HTTP/1.0\r\n");
}

TEST(DockerSocket, AnythingButA200OrNoServerMeansAskTheCli) {
  TempDir temp;
  const std::string socket = (temp.path() / "d.sock").string();
  {
    OneShotServer server(socket, "HTTP/1.0 404 Not Found\r\n\r\n{\"message\":\"page not found\"}");
    EXPECT_FALSE(dockerEngineGet(socket, "/nope"));
  }
  EXPECT_FALSE(dockerEngineGet((temp.path() / "none.sock").string(), "/containers/json"));
}

// A HEAD (whether a path exists in a container) gets the status alone: 404 is an answer too.
TEST(DockerSocket, ARequestReturnsAnyStatusTheEngineGives) {
  TempDir temp;
  const std::string socket = (temp.path() / "d.sock").string();
  OneShotServer server(socket, "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n");
  const auto answer = dockerEngineRequest(socket, "HEAD", "/containers/gs-a/archive?path=/app/x");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 404);
  EXPECT_EQ(answer->body, "");
  EXPECT_EQ(server.request().substr(0, 52), "HEAD /containers/gs-a/archive?path=/app/x HTTP/1.0\r\n");
}

TEST(DockerSocket, OnlyALocalSocketWithoutAnotherContextIsUsed) {
  TempDir temp;
  const std::string home = std::getenv("HOME") ? std::getenv("HOME") : "";
  ::setenv("HOME", temp.path().c_str(), 1);
  ::unsetenv("DOCKER_CONFIG");
  ::unsetenv("DOCKER_CONTEXT");
  ::unsetenv("DOCKER_HOST");
  EXPECT_EQ(localDockerSocket(), "/var/run/docker.sock");
  ::setenv("DOCKER_HOST", "unix:///run/user/1000/docker.sock", 1);
  EXPECT_EQ(localDockerSocket(), "/run/user/1000/docker.sock");  // rootless Docker
  ::setenv("DOCKER_HOST", "tcp://127.0.0.1:2375", 1);
  EXPECT_FALSE(localDockerSocket());
  ::unsetenv("DOCKER_HOST");
  ::setenv("DOCKER_CONTEXT", "remote", 1);
  EXPECT_FALSE(localDockerSocket());
  ::unsetenv("DOCKER_CONTEXT");
  std::filesystem::create_directories(temp.path() / ".docker");
  std::ofstream(temp.path() / ".docker/config.json") << R"({"currentContext": "colima"})";
  EXPECT_FALSE(localDockerSocket());
  std::ofstream(temp.path() / ".docker/config.json") << R"({"auths": {}, "currentContext": "default"})";
  EXPECT_EQ(localDockerSocket(), "/var/run/docker.sock");
  ::setenv("HOME", home.c_str(), 1);
}

}  // namespace
}  // namespace gardensync::util
