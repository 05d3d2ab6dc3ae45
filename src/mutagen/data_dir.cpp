#include "gardensync/mutagen/data_dir.h"

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <optional>

#include <fmt/format.h>

#include "gardensync/util/error.h"
#include "gardensync/util/hash.h"
#include "gardensync/util/process.h"
#include "gardensync/util/unix_socket.h"

namespace gardensync::mutagen {

namespace fs = std::filesystem;

fs::path dataDirFor(const fs::path& projectRoot, const fs::path& home) {
  const std::string key = (projectRoot / ".garden").lexically_normal().string();
  return home / ".gardensync" / "m" / util::sha256Hex(key).substr(0, 9);
}

fs::path daemonSocketPath(const fs::path& dataDir) { return dataDir / "daemon" / "daemon.sock"; }

bool daemonSocketAccepts(const fs::path& dataDir) {
  bool couldNotTry = false;
  const int fd = util::connectUnixSocket(daemonSocketPath(dataDir).string(), couldNotTry);
  if (fd < 0) return couldNotTry;  // when in doubt, a daemon may be there
  ::close(fd);
  return true;
}

void checkSocketPathLength(const fs::path& dataDir) {
  const std::string socket = daemonSocketPath(dataDir).string();
  if (socket.size() <= kMaxSocketPath) return;
  throw Error(fmt::format("the Mutagen daemon socket path {} is {} bytes long; Unix sockets allow at most {}",
                          socket, socket.size(), kMaxSocketPath),
              "set HOME to a shorter path (gardensync keeps Mutagen's data in $HOME/.gardensync/m/)");
}

namespace {

void ensurePrivateDir(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    throw Error(fmt::format("cannot create the Mutagen data directory {}: {}", dir.string(), ec.message()),
                "check that $HOME is writable");
  struct stat info {};
  if (::stat(dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode))
    throw Error(fmt::format("{} is not a directory", dir.string()));
  if (info.st_uid != ::geteuid())
    throw Error(fmt::format("the Mutagen data directory {} belongs to another user (uid {})", dir.string(), info.st_uid),
                "remove it, or run gardensync as its owner");
  if (::chmod(dir.c_str(), 0700) != 0 || ::access(dir.c_str(), W_OK) != 0)
    throw Error(fmt::format("the Mutagen data directory {} is not writable", dir.string()),
                "fix its permissions (it should be mode 0700 and yours)");
}

// Replaces `link` with a symlink to `target` atomically (rename over the old link), unless it
// already is one: every command passes here, read-only ones included.
void pointLink(const fs::path& link, const fs::path& target) {
  std::error_code ec;
  if (fs::is_symlink(fs::symlink_status(link, ec)) && fs::read_symlink(link, ec) == target && !ec) return;
  const fs::path temp = link.parent_path() / (".tmp-" + link.filename().string());
  fs::remove(temp, ec);
  fs::create_directory_symlink(target, temp, ec);
  if (!ec) fs::rename(temp, link, ec);
  if (ec)
    throw Error(fmt::format("cannot link {} to {}: {}", link.string(), target.string(), ec.message()),
                "check that the project's .garden folder is writable");
}

// One link per data directory, named after it: a link named otherwise (one per run, as earlier
// versions made them) or pointing at a folder that is gone is removed. Only links: never what
// they point at.
void pruneLinks(const fs::path& linksDir) {
  std::error_code ec;
  for (auto it = fs::directory_iterator(linksDir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const fs::path link = it->path();
    const std::string name = link.filename().string();
    std::error_code linkError;
    if (name == "latest" || name.starts_with(".") || !it->is_symlink(linkError)) continue;
    const fs::path target = fs::read_symlink(link, linkError);
    if (linkError) continue;
    if (target.filename() != name || !fs::is_directory(target, linkError)) fs::remove(link, linkError);
  }
}

// Replaces `file` with `text` (through a temporary file and a rename, so a reader never sees half
// of it), only when it holds something else: most runs find it as it is.
void writeIfChanged(const fs::path& file, const std::string& text, std::optional<fs::perms> permissions = {}) {
  {
    std::ifstream in(file);
    std::string current((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in && current == text) return;
  }
  const fs::path temp = file.string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << text;
    if (!out) throw Error(fmt::format("cannot write {}", file.string()), "check that $HOME is writable");
  }
  if (permissions) fs::permissions(temp, *permissions);
  fs::rename(temp, file);
}

}  // namespace

std::string helperScript(const fs::path& binary, const fs::path& dataDir) {
  return fmt::format(
      "#!/bin/sh\n"
      "# Runs gardensync's pinned Mutagen against this project's daemon, e.g. `./mutagen.sh sync list`.\n"
      "export MUTAGEN_DATA_DIRECTORY={}\n"
      "exec {} \"$@\"\n",
      util::shellQuote(dataDir.string()), util::shellQuote(binary.string()));
}

PreparedDataDir prepareDataDir(const fs::path& projectRoot, const fs::path& home, const fs::path& mutagenBinary) {
  PreparedDataDir prepared;
  prepared.path = dataDirFor(projectRoot, home);
  checkSocketPathLength(prepared.path);
  ensurePrivateDir(prepared.path);
  writeIfChanged(prepared.path / kProjectRootRecord, projectRoot.lexically_normal().string() + "\n");
  writeIfChanged(prepared.path / "mutagen.sh", helperScript(mutagenBinary, prepared.path), fs::perms::owner_all);

  const fs::path linksDir = projectRoot / ".garden" / "mutagen";
  std::error_code ec;
  fs::create_directories(linksDir, ec);
  if (ec)
    throw Error(fmt::format("cannot create {}: {}", linksDir.string(), ec.message()),
                "check that the project folder is writable");
  prepared.link = linksDir / prepared.path.filename();
  pointLink(prepared.link, prepared.path);
  pointLink(linksDir / "latest", prepared.path);
  pruneLinks(linksDir);
  return prepared;
}

size_t storedSessionCount(const fs::path& dataDir) {
  size_t count = 0;
  std::error_code ec;
  for (auto it = fs::directory_iterator(dataDir / "sessions", ec); !ec && it != fs::directory_iterator(); it.increment(ec))
    if (it->is_regular_file(ec)) ++count;
  return count;
}

}  // namespace gardensync::mutagen
