// Connecting to a local stream socket: Mutagen's daemon (is it there?) and the Docker Engine's API.
#pragma once

#include <string>

namespace gardensync::util {

// Connects to the Unix stream socket at `path` and returns the descriptor (close-on-exec), which
// the caller closes; -1 when it cannot. `couldNotTry` then tells a path too long for a socket
// address, or no socket to be had, from a socket that is missing or refuses: only the latter says
// that nothing listens there.
int connectUnixSocket(const std::string& path, bool& couldNotTry);

}  // namespace gardensync::util
