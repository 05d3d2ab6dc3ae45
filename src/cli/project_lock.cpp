#include "gardensync/cli/project_lock.h"

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "gardensync/cli/engine.h"
#include "gardensync/mutagen/data_dir.h"
#include "gardensync/util/error.h"
#include "gardensync/util/text.h"

namespace gardensync::cli {

namespace fs = std::filesystem;

util::FileLock lockProject(Context& context) {
  const config::ProjectIdentity project = context.identity();
  const fs::path dataDir = mutagen::dataDirFor(project.root, requireHome());
  std::error_code ec;
  fs::create_directories(dataDir, ec);
  if (ec)
    throw Error(fmt::format("cannot create the data directory {}: {}", dataDir.string(), ec.message()),
                "check that $HOME is writable");
  ::chmod(dataDir.c_str(), 0700);
  const fs::path holder = dataDir / "writer.pid";
  util::FileLock lock(dataDir / "writer.lock", [&] {
    std::ifstream in(holder);
    std::string pid;
    std::getline(in, pid);
    pid = util::trim(pid);
    spdlog::info("waiting for another gardensync{} that is changing {}'s containers or syncs...",
                 pid.empty() ? "" : fmt::format(" (pid {})", pid), project.name);
  });
  // Only for the message above: the lock itself is the flock, which dies with its holder.
  const fs::path temp = holder.string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << ::getpid() << "\n";
  }
  fs::rename(temp, holder, ec);
  return lock;
}

}  // namespace gardensync::cli
