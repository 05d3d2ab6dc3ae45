// gardensync-container-watch: copied into a container and run there (`docker exec -i`) by the
// file watcher of a two-way or reverse sync, so that a change made inside the container starts a
// Mutagen cycle at once instead of at Mutagen's next 10-second rescan there. It watches one sync
// root recursively with inotify (watch/inotify_tree.h, the same code as the local side), leaves
// the session's ignored paths out, and prints one line per burst it reads: `change`. It exits when
// its input ends, which is when the watcher that started it (or its `docker exec`) goes away.
//
// Built static (CMakeLists.txt), so it runs in any Linux container of the same architecture.
//
//   gardensync-container-watch ROOT [--ignore PATTERN]...
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "gardensync/util/error.h"
#include "gardensync/watch/inotify_tree.h"

namespace {

// Writes a whole line to stdout; false when the reader is gone.
bool say(const std::string& line) {
  const std::string text = line + "\n";
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(STDOUT_FILENO, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace gardensync;
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s ROOT [--ignore PATTERN]...\n", argv[0]);
    return 2;
  }
  std::vector<std::string> ignores;
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--ignore") == 0 && i + 1 < argc) {
      ignores.push_back(argv[++i]);
    } else {
      std::fprintf(stderr, "%s: unexpected argument %s\n", argv[0], argv[i]);
      return 2;
    }
  }
  try {
    watch::InotifyTree tree;
    tree.addRoot(0, argv[1], sync::IgnoreMatcher(ignores));
    const auto announce = [&] {
      return say("watching " + std::to_string(tree.watchedFolders()) + " " + std::to_string(tree.failedFolders()));
    };
    if (!announce()) return 0;
    bool watching = tree.watchedFolders() > 0;
    while (true) {
      pollfd fds[2] = {{tree.fd(), POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
      // While the root is not there (Mutagen creates it in its first cycle; a user may remove and
      // recreate it), look for it twice a second.
      const int ready = ::poll(fds, 2, watching ? -1 : 500);
      if (ready < 0) {
        if (errno == EINTR) continue;
        throw Error(std::string("poll failed: ") + std::strerror(errno));
      }
      if (!watching) {
        tree.rewatch();
        if (tree.watchedFolders() > 0) {
          watching = true;
          if (!announce() || !say("change")) return 0;  // whatever it holds is new
        }
      }
      if (fds[1].revents != 0) {  // input: only its end is expected
        char buffer[256];
        if (::read(STDIN_FILENO, buffer, sizeof buffer) <= 0) return 0;
      }
      if (fds[0].revents == 0) continue;
      bool changed = false;
      // Mutagen's own writes (renames of its temporary files) come from the other side: a cycle for
      // them would find nothing to do.
      for (const auto& event : tree.read()) changed = changed || !event.byMutagen;
      if (changed && !say("change")) return 0;
      watching = tree.watchedFolders() > 0;  // the root itself may have gone
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gardensync-container-watch: %s\n", e.what());
    return 1;
  }
}
