#include "gardensync/mutagen/archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "gardensync/util/error.h"
#include "gardensync/util/shared_library.h"

namespace gardensync::mutagen {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kRefusedHint =
    "the archive is damaged or not what it claims to be; download it again from a trusted source";

// The libarchive functions used here, loaded on the first extraction (util/shared_library.h).
// The soname is libarchive's since 2012.
struct ArchiveApi {
  decltype(&archive_read_new) readNew;
  decltype(&archive_read_free) readFree;
  decltype(&archive_read_support_filter_gzip) readSupportFilterGzip;
  decltype(&archive_read_support_format_tar) readSupportFormatTar;
  decltype(&archive_read_open_filename) readOpenFilename;
  decltype(&archive_read_next_header) readNextHeader;
  decltype(&archive_read_data) readData;
  decltype(&archive_error_string) errorString;
  decltype(&archive_entry_pathname) entryPathname;
  decltype(&archive_entry_filetype) entryFiletype;
  decltype(&archive_entry_hardlink) entryHardlink;
  decltype(&archive_entry_symlink) entrySymlink;
  decltype(&archive_entry_size_is_set) entrySizeIsSet;
  decltype(&archive_entry_size) entrySize;
  decltype(&archive_entry_perm) entryPerm;
};

const ArchiveApi& archiveApi() {
  static const ArchiveApi api = [] {
    const util::SharedLibrary library("libarchive.so.13", "libarchive13", "unpacking Mutagen");
    return ArchiveApi{
        library.function<decltype(&archive_read_new)>("archive_read_new"),
        library.function<decltype(&archive_read_free)>("archive_read_free"),
        library.function<decltype(&archive_read_support_filter_gzip)>("archive_read_support_filter_gzip"),
        library.function<decltype(&archive_read_support_format_tar)>("archive_read_support_format_tar"),
        library.function<decltype(&archive_read_open_filename)>("archive_read_open_filename"),
        library.function<decltype(&archive_read_next_header)>("archive_read_next_header"),
        library.function<decltype(&archive_read_data)>("archive_read_data"),
        library.function<decltype(&archive_error_string)>("archive_error_string"),
        library.function<decltype(&archive_entry_pathname)>("archive_entry_pathname"),
        library.function<decltype(&archive_entry_filetype)>("archive_entry_filetype"),
        library.function<decltype(&archive_entry_hardlink)>("archive_entry_hardlink"),
        library.function<decltype(&archive_entry_symlink)>("archive_entry_symlink"),
        library.function<decltype(&archive_entry_size_is_set)>("archive_entry_size_is_set"),
        library.function<decltype(&archive_entry_size)>("archive_entry_size"),
        library.function<decltype(&archive_entry_perm)>("archive_entry_perm")};
  }();
  return api;
}

struct ReaderDeleter {
  void operator()(archive* reader) const { archiveApi().readFree(reader); }
};
using ArchiveReader = std::unique_ptr<archive, ReaderDeleter>;

class UniqueFd {
public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

private:
  int fd_;
};

// What one extraction has seen so far, for the limits and the error messages.
struct Extraction {
  const fs::path& archivePath;
  const fs::path& destination;
  const ExtractLimits& limits;
  archive* reader = nullptr;
  size_t entries = 0;
  uint64_t totalBytes = 0;
  std::vector<fs::path> written{};
};

[[noreturn]] void refuse(const Extraction& x, std::string_view entry, std::string_view reason) {
  throw Error(fmt::format("refusing to extract {}: entry '{}' {}", x.archivePath.string(), entry, reason),
              std::string(kRefusedHint));
}

[[noreturn]] void readFailure(const Extraction& x, std::string_view entry) {
  const char* reason = archiveApi().errorString(x.reader);
  const std::string where = entry.empty() ? "" : fmt::format(" at entry '{}'", entry);
  throw Error(fmt::format("cannot read archive {}{}: {}", x.archivePath.string(), where,
                          reason ? reason : "unknown error"),
              std::string(kRefusedHint));
}

[[noreturn]] void writeFailure(const fs::path& path, int error) {
  throw Error(fmt::format("cannot write {}: {}", path.string(), std::strerror(error)));
}

// The components of an archive path below its root (empty for "./"); nullopt when the path is
// absolute or has a `..`. Checked on the archive's own text, before path arithmetic could hide one.
std::optional<fs::path> pathBelowRoot(std::string_view name) {
  if (name.starts_with('/')) return std::nullopt;
  fs::path relative;
  while (!name.empty()) {
    const size_t slash = name.find('/');
    const std::string_view part = name.substr(0, slash);
    name.remove_prefix(slash == std::string_view::npos ? name.size() : slash + 1);
    if (part == "..") return std::nullopt;
    if (!part.empty() && part != ".") relative /= std::string(part);
  }
  return relative;
}

fs::path checkedRelativePath(const Extraction& x, std::string_view name) {
  if (name.empty()) refuse(x, name, "has no usable path");
  if (name.starts_with('/')) refuse(x, name, "has an absolute path");
  const std::optional<fs::path> relative = pathBelowRoot(name);
  if (!relative) refuse(x, name, "has a '..' component");
  return *relative;
}

// Creates the parents of `relative` as real directories. Refusing to pass through a symlink is
// what keeps every write inside the destination, whatever links earlier entries created.
void makeParentDirectories(const Extraction& x, std::string_view name, const fs::path& relative) {
  fs::path current = x.destination;
  for (const fs::path& part : relative.parent_path()) {
    current /= part;
    std::error_code error;
    const fs::file_status status = fs::symlink_status(current, error);
    if (status.type() == fs::file_type::directory) continue;
    if (status.type() == fs::file_type::symlink) refuse(x, name, "goes through a symlink");
    if (status.type() != fs::file_type::not_found) refuse(x, name, "goes through a file");
    if (::mkdir(current.c_str(), 0755) != 0) writeFailure(current, errno);
  }
}

// Any later entry at the same path would replace or write through the first one.
void requireAbsent(const Extraction& x, std::string_view name, const fs::path& target, bool isDirectory) {
  std::error_code error;
  const fs::file_status status = fs::symlink_status(target, error);
  if (status.type() == fs::file_type::not_found) return;
  if (isDirectory && status.type() == fs::file_type::directory) return;
  refuse(x, name, "appears twice in the archive");
}

// A symlink target may climb (`../lib/x`) only before it descends: once it has passed a name,
// that name may itself be a link, and a later `..` would climb from wherever it points.
void checkSymlinkTarget(const Extraction& x, std::string_view name, const fs::path& relative,
                        std::string_view target) {
  if (target.empty()) refuse(x, name, "is a symlink with an empty target");
  if (target.starts_with('/')) refuse(x, name, fmt::format("is a symlink to an absolute path ({})", target));
  auto depth = std::distance(relative.parent_path().begin(), relative.parent_path().end());
  bool descended = false;
  for (const fs::path& part : fs::path(target)) {
    if (part == "..") {
      if (descended) refuse(x, name, fmt::format("is a symlink whose target climbs after a name ({})", target));
      if (depth-- == 0) refuse(x, name, fmt::format("is a symlink pointing outside the destination ({})", target));
    } else if (!part.empty() && part != ".") {
      descended = true;
    }
  }
}

void checkEntrySize(const Extraction& x, std::string_view name, uint64_t size) {
  if (size > x.limits.maxEntryBytes)
    refuse(x, name, fmt::format("is larger than the limit of {} bytes", x.limits.maxEntryBytes));
  if (x.totalBytes + size > x.limits.maxTotalBytes)
    refuse(x, name, fmt::format("takes the archive over its limit of {} bytes", x.limits.maxTotalBytes));
}

void writeAll(int fd, const fs::path& path, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t written = ::write(fd, data, size);
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) writeFailure(path, errno);
    data += written;
    size -= static_cast<size_t>(written);
  }
}

void writeRegularFile(Extraction& x, std::string_view name, const fs::path& target, archive_entry* entry) {
  if (archiveApi().entrySizeIsSet(entry))
    checkEntrySize(x, name, static_cast<uint64_t>(archiveApi().entrySize(entry)));
  // O_EXCL|O_NOFOLLOW: never reuse or follow something already there.
  UniqueFd fd(::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (fd.get() < 0) writeFailure(target, errno);
  uint64_t entryBytes = 0;
  char buffer[1 << 16];
  for (;;) {
    const la_ssize_t size = archiveApi().readData(x.reader, buffer, sizeof buffer);
    if (size == 0) break;
    if (size < 0) readFailure(x, name);
    // The header's size can lie (sparse entries expand), so count what actually arrives.
    checkEntrySize(x, name, entryBytes + static_cast<uint64_t>(size));
    entryBytes += static_cast<uint64_t>(size);
    x.totalBytes += static_cast<uint64_t>(size);
    writeAll(fd.get(), target, buffer, static_cast<size_t>(size));
  }
  // Keep the executable bits (the mutagen CLI needs them); drop setuid/setgid/sticky and write
  // access for others, and keep the owner able to replace the file.
  const mode_t mode = (archiveApi().entryPerm(entry) & 0755) | 0600;
  if (::fchmod(fd.get(), mode) != 0) writeFailure(target, errno);
  if (::close(fd.release()) != 0) writeFailure(target, errno);
}

void writeHardLink(const Extraction& x, std::string_view name, const fs::path& target, std::string_view linkName) {
  const std::optional<fs::path> linked = pathBelowRoot(linkName);
  if (!linked || linked->empty())
    refuse(x, name, fmt::format("is a hard link pointing outside the destination ({})", linkName));
  std::error_code error;
  const fs::path source = x.destination / *linked;
  // A regular file reached without passing a symlink: an earlier entry of this archive.
  bool throughSymlink = false;
  for (fs::path current = x.destination; const fs::path& part : linked->parent_path()) {
    current /= part;
    throughSymlink = throughSymlink || fs::symlink_status(current, error).type() != fs::file_type::directory;
  }
  if (throughSymlink || fs::symlink_status(source, error).type() != fs::file_type::regular)
    refuse(x, name, fmt::format("is a hard link to '{}', which is not a file extracted before it", linkName));
  if (::link(source.c_str(), target.c_str()) != 0) writeFailure(target, errno);
}

void writeSymlink(const Extraction& x, std::string_view name, const fs::path& relative, const fs::path& target,
                  archive_entry* entry) {
  const char* linkTarget = archiveApi().entrySymlink(entry);
  checkSymlinkTarget(x, name, relative, linkTarget ? linkTarget : "");
  if (::symlink(linkTarget, target.c_str()) != 0) writeFailure(target, errno);
}

void extractEntry(Extraction& x, archive_entry* entry) {
  const char* rawName = archiveApi().entryPathname(entry);
  const std::string name = rawName ? rawName : "";
  if (++x.entries > x.limits.maxEntries)
    refuse(x, name, fmt::format("is beyond the limit of {} entries", x.limits.maxEntries));
  const fs::path relative = checkedRelativePath(x, name);
  const mode_t type = archiveApi().entryFiletype(entry);
  const char* hardLink = archiveApi().entryHardlink(entry);
  if (relative.empty()) {
    if (type == AE_IFDIR && !hardLink) return;  // the archive's own root, "./"
    refuse(x, name, "has an empty path");
  }
  const fs::path target = x.destination / relative;
  makeParentDirectories(x, name, relative);
  requireAbsent(x, name, target, type == AE_IFDIR && !hardLink);
  if (hardLink) {
    writeHardLink(x, name, target, hardLink);
  } else if (type == AE_IFREG) {
    writeRegularFile(x, name, target, entry);
  } else if (type == AE_IFDIR) {
    if (::mkdir(target.c_str(), 0755) != 0 && errno != EEXIST) writeFailure(target, errno);
  } else if (type == AE_IFLNK) {
    writeSymlink(x, name, relative, target, entry);
  } else {
    refuse(x, name, "is a device, FIFO or socket");
  }
  x.written.push_back(relative);
}

void requireEmptyDirectory(const fs::path& destination) {
  std::error_code error;
  if (!fs::is_directory(destination, error))
    throw Error(fmt::format("cannot extract into {}: not a directory", destination.string()));
  if (!fs::is_empty(destination, error))
    throw Error(fmt::format("cannot extract into {}: the folder is not empty", destination.string()));
}

ArchiveReader openReader(const fs::path& archivePath) {
  ArchiveReader reader(archiveApi().readNew());
  if (!reader) throw Error("cannot initialise libarchive");
  archiveApi().readSupportFilterGzip(reader.get());
  archiveApi().readSupportFormatTar(reader.get());
  if (archiveApi().readOpenFilename(reader.get(), archivePath.c_str(), 1 << 16) != ARCHIVE_OK) {
    const char* reason = archiveApi().errorString(reader.get());
    throw Error(fmt::format("cannot open archive {}: {}", archivePath.string(), reason ? reason : "unknown error"),
                std::string(kRefusedHint));
  }
  return reader;
}

}  // namespace

std::vector<fs::path> extractArchive(const fs::path& archivePath, const fs::path& destination,
                                     const ExtractLimits& limits) {
  requireEmptyDirectory(destination);
  ArchiveReader reader = openReader(archivePath);
  Extraction x{archivePath, destination, limits};
  x.reader = reader.get();
  for (;;) {
    archive_entry* entry = nullptr;
    const int status = archiveApi().readNextHeader(reader.get(), &entry);
    if (status == ARCHIVE_EOF) break;
    if (status < ARCHIVE_WARN) readFailure(x, "");
    extractEntry(x, entry);
  }
  return std::move(x.written);
}

}  // namespace gardensync::mutagen
