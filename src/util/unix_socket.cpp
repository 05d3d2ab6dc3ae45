#include "gardensync/util/unix_socket.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

namespace gardensync::util {

int connectUnixSocket(const std::string& path, bool& couldNotTry) {
  couldNotTry = false;
  sockaddr_un address{};
  const int fd = path.size() < sizeof(address.sun_path) ? ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0) : -1;
  if (fd < 0) {
    couldNotTry = true;
    return -1;
  }
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace gardensync::util
