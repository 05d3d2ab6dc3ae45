// Helpers for the engine tests: temp folders, a local HTTP server, tarballs built with libarchive,
// and a fake Mutagen release (a shell script standing in for the binary, so no Go build is needed).
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include "gardensync/mutagen/manifest.h"
#include "gardensync/util/hash.h"
#include "gardensync/util/temp_dir.h"

namespace gardensync::test_support {

namespace fs = std::filesystem;

using TempDir = util::TempDir;

inline void writeFile(const fs::path& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

inline std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// An httplib server on 127.0.0.1 and a free port, serving from its own thread. Register routes on
// `http` before start(); the destructor stops it.
class LocalServer {
public:
  httplib::Server http;

  void start() {
    port_ = http.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("cannot bind 127.0.0.1");
    thread_ = std::thread([this] { http.listen_after_bind(); });
    // stop() is a no-op until the loop runs, so wait for it (the socket already accepts).
    while (!http.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~LocalServer() {
    if (!thread_.joinable()) return;
    http.stop();
    thread_.join();
  }
  std::string url(std::string_view path = "") const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }

private:
  int port_ = 0;
  std::thread thread_;
};

// A port on 127.0.0.1 that nothing listens on: bound, then released.
inline int closedPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

struct TarEntry {
  std::string name{};
  mode_t type = AE_IFREG;
  std::string content{};  // regular files
  int perm = 0644;
  std::string link{};     // symlink target or hard link source
  bool hardLink = false;
};

// Written with libarchive as given: nothing here cleans up `..` or leading slashes.
inline void writeTarGz(const fs::path& path, const std::vector<TarEntry>& entries) {
  archive* writer = archive_write_new();
  archive_write_add_filter_gzip(writer);
  archive_write_set_format_pax_restricted(writer);
  if (archive_write_open_filename(writer, path.c_str()) != ARCHIVE_OK)
    throw std::runtime_error(archive_error_string(writer));
  for (const TarEntry& spec : entries) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, spec.name.c_str());
    archive_entry_set_perm(entry, static_cast<mode_t>(spec.perm));
    if (spec.hardLink) {
      archive_entry_set_filetype(entry, AE_IFREG);
      archive_entry_set_hardlink(entry, spec.link.c_str());
      archive_entry_set_size(entry, 0);
    } else {
      archive_entry_set_filetype(entry, spec.type);
      if (spec.type == AE_IFLNK) archive_entry_set_symlink(entry, spec.link.c_str());
      archive_entry_set_size(entry, spec.type == AE_IFREG ? static_cast<la_int64_t>(spec.content.size()) : 0);
    }
    if (archive_write_header(writer, entry) != ARCHIVE_OK) throw std::runtime_error(archive_error_string(writer));
    if (!spec.content.empty()) archive_write_data(writer, spec.content.data(), spec.content.size());
    archive_entry_free(entry);
  }
  archive_write_close(writer);
  archive_write_free(writer);
}

// A stand-in for the mutagen CLI: prints `version` only when run the way gardensync must run it,
// with its own data directory.
inline std::string fakeMutagenScript(std::string_view version) {
  return "#!/bin/sh\n"
         "[ -n \"$MUTAGEN_DATA_DIRECTORY\" ] && [ -d \"$MUTAGEN_DATA_DIRECTORY\" ] || "
         "{ echo 'no data directory' >&2; exit 3; }\n"
         "[ \"$1\" = version ] || { echo \"unknown command $1\" >&2; exit 1; }\n"
         "echo " + std::string(version) + "\n";
}

// `<folder>/<host asset name>`: mutagen (the script) and a small mutagen-agents.tar.gz.
inline fs::path writeFakeRelease(const fs::path& folder, std::string_view version,
                                 bool withAgents = true) {
  std::vector<TarEntry> entries{{.name = "mutagen", .content = fakeMutagenScript(version), .perm = 0755}};
  if (withAgents) entries.push_back({.name = "mutagen-agents.tar.gz", .content = "agents for linux_amd64"});
  const fs::path archive = folder / std::string(mutagen::hostAsset().fileName);
  writeTarGz(archive, entries);
  return archive;
}

// A SHA256SUMS line for `file`, as sha256sum writes it.
inline std::string sumsLine(const fs::path& file) {
  return util::sha256File(file) + "  " + file.filename().string() + "\n";
}

}  // namespace gardensync::test_support
