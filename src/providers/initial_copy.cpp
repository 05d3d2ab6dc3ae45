#include "gardensync/providers/initial_copy.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <sstream>

#include "gardensync/util/process.h"
#include "gardensync/util/text.h"

namespace gardensync::providers {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMutagenTemporaryPrefix = ".mutagen-temporary-";
constexpr size_t kChunkSize = 1 << 20;

bool validUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || i + length > text.size()) return false;
    std::uint32_t point = length == 1 ? c : c & (0x7F >> length);
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      point = (point << 6) | (next & 0x3F);
    }
    // Overlong forms, surrogates and points beyond Unicode are what Go's utf8.ValidString rejects.
    static constexpr std::uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (point < kSmallest[length] || point > 0x10FFFF || (point >= 0xD800 && point <= 0xDFFF)) return false;
    i += length;
  }
  return true;
}

std::int64_t nanoseconds(const timespec& time) { return std::int64_t{time.tv_sec} * 1'000'000'000 + time.tv_nsec; }

FileStamp stampFrom(const struct stat& info) {
  return {static_cast<std::uint64_t>(info.st_size), nanoseconds(info.st_mtim), nanoseconds(info.st_ctim)};
}

void scanFolder(const fs::path& root, const std::string& relative, dev_t device, const sync::IgnoreMatcher& ignore,
                std::vector<LocalEntry>& entries) {
  const fs::path folder = relative.empty() ? root : root / relative;
  DIR* dir = ::opendir(folder.c_str());
  if (!dir) return;  // unreadable: Mutagen reports it as a problem and syncs nothing of it
  std::vector<std::string> names;
  while (const dirent* item = ::readdir(dir)) {
    const std::string name = item->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  ::closedir(dir);
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    if (name.starts_with(kMutagenTemporaryPrefix) || !validUtf8(name)) continue;
    const std::string path = relative.empty() ? name : relative + "/" + name;
    struct stat info {};
    if (::lstat((root / path).c_str(), &info) != 0) continue;
    if (S_ISDIR(info.st_mode)) {
      if (ignore.ignored(path, true) || info.st_dev != device) continue;
      entries.push_back({path, util::TarHeader::Type::Directory, 0, ""});
      scanFolder(root, path, device, ignore, entries);
    } else if (S_ISREG(info.st_mode)) {
      if (ignore.ignored(path, false)) continue;
      entries.push_back({path, util::TarHeader::Type::File, static_cast<std::uint64_t>(info.st_size), ""});
    } else if (S_ISLNK(info.st_mode)) {
      if (ignore.ignored(path, false)) continue;
      std::string target(static_cast<size_t>(info.st_size > 0 ? info.st_size : 4096) + 1, '\0');
      const ssize_t length = ::readlink((root / path).c_str(), target.data(), target.size());
      if (length <= 0 || static_cast<size_t>(length) >= target.size()) continue;
      target.resize(static_cast<size_t>(length));
      if (portableSymlink(path, target)) entries.push_back({path, util::TarHeader::Type::Symlink, 0, target});
    }
    // Sockets, pipes and devices: Mutagen does not track them.
  }
}

std::optional<unsigned> octalMode(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  const std::string digits = util::trim(*text);
  if (digits.empty() || digits.size() > 6 || digits.find_first_not_of("01234567") != std::string::npos)
    return std::nullopt;
  return static_cast<unsigned>(std::stoul(digits, nullptr, 8));
}

// Mutagen marks an executable file executable for whoever may read it.
unsigned executableForReaders(unsigned mode) {
  if (mode & 0400) mode |= 0100;
  if (mode & 0040) mode |= 0010;
  if (mode & 0004) mode |= 0001;
  return mode;
}

}  // namespace

bool initialCopyWanted() { return util::environmentSwitchOn("GARDENSYNC_INITIAL_COPY"); }

bool copiesIntoContainer(const sync::PlannedSession& session) { return !session.containerIsAlpha; }

std::string containerFolder(const sync::PlannedSession& session) {
  std::string path = session.containerPath;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

bool portableSymlink(const std::string& path, const std::string& target) {
  if (target.empty() || target.size() > 247 || target.front() == '/') return false;
  if (target.find(':') != std::string::npos || target.find('\\') != std::string::npos) return false;
  long depth = static_cast<long>(std::count(path.begin(), path.end(), '/'));
  std::stringstream parts(target);
  std::string part;
  while (std::getline(parts, part, '/')) {
    if (part == "..") --depth;
    else if (part != ".") ++depth;
    if (depth < 0) return false;
  }
  return true;
}

std::vector<LocalEntry> scanLocalTree(const fs::path& root, const sync::IgnoreMatcher& ignore) {
  std::vector<LocalEntry> entries;
  struct stat info {};
  if (::stat(root.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) return entries;
  scanFolder(root, "", info.st_dev, ignore, entries);
  return entries;
}

std::string targetProbeScript(const std::vector<TargetQuestion>& questions) {
  // Only what Mutagen's agent itself needs is assumed there: sh, id, cat.
  std::string script =
      "uid=$(id -u) gid=$(id -g)\n"
      "probe() {\n"
      "  p=$1 u=$uid g=$gid\n"
      "  if [ -L \"$p\" ] || { [ -e \"$p\" ] && [ ! -d \"$p\" ]; }; then echo busy; return; fi\n"
      "  if [ -d \"$p\" ]; then\n"
      "    for f in \"$p\"/* \"$p\"/.[!.]* \"$p\"/..?*; do\n"
      "      if [ -e \"$f\" ] || [ -L \"$f\" ]; then echo busy; return; fi\n"
      "    done\n"
      "    s=empty\n"
      "  elif [ -d \"${p%/*}/\" ]; then s=absent\n"
      "  else echo noparent; return; fi\n"
      "  case $2 in '') ;; id:*) u=${2#id:} ;; *) u=$(id -u \"$2\" 2>/dev/null) || u= ;; esac\n"
      "  case $3 in '') ;; id:*) g=${3#id:} ;; *) g=\n"
      "    while IFS=: read -r n x i r; do if [ \"$n\" = \"$3\" ]; then g=$i; break; fi; done < /etc/group ;;\n"
      "  esac\n"
      "  echo \"$s ${u:--} ${g:--} $uid\"\n"
      "}\n";
  for (const auto& question : questions)
    script += "probe " + util::shellQuote(question.path) + " " + util::shellQuote(question.owner) + " " +
              util::shellQuote(question.group) + "\n";
  return script;
}

TargetQuestion targetQuestion(const sync::PlannedSession& session) {
  return {containerFolder(session), session.defaultOwner.value_or(""), session.defaultGroup.value_or("")};
}

std::vector<TargetAnswer> readTargetProbe(const std::string& output, size_t questions) {
  std::vector<TargetAnswer> answers(questions);
  std::stringstream lines(output);
  std::string line;
  for (size_t i = 0; i < questions && std::getline(lines, line); ++i) {
    std::stringstream words(line);
    std::string state, uid, gid, selfUid;
    words >> state >> uid >> gid >> selfUid;
    TargetAnswer& answer = answers[i];
    answer.state = state == "absent"     ? TargetState::Absent
                   : state == "empty"    ? TargetState::Empty
                   : state == "busy"     ? TargetState::NotEmpty
                   : state == "noparent" ? TargetState::NoParent
                                         : TargetState::Unknown;
    answer.runsAsRoot = selfUid == "0";
    auto number = [](const std::string& text) -> std::optional<std::uint64_t> {
      if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
      return std::stoull(text);
    };
    if (auto u = number(uid), g = number(gid); u && g) answer.ownership = CopyOwnership{*u, *g, 0600, 0700};
  }
  return answers;
}

std::optional<CopyOwnership> withSessionModes(CopyOwnership ownership, const sync::PlannedSession& session) {
  if (session.defaultFileMode) {
    auto mode = octalMode(session.defaultFileMode);
    if (!mode) return std::nullopt;
    ownership.fileMode = *mode;
  }
  if (session.defaultDirectoryMode) {
    auto mode = octalMode(session.defaultDirectoryMode);
    if (!mode) return std::nullopt;
    ownership.directoryMode = *mode;
  }
  return ownership;
}

std::optional<FileStamp> stampOf(const fs::path& file) {
  struct stat info {};
  if (::lstat(file.c_str(), &info) != 0) return std::nullopt;
  return stampFrom(info);
}

TarStream::TarStream(fs::path root, std::vector<LocalEntry> entries, CopyOwnership ownership, std::string prefix,
                     bool withRootEntry)
    : root_(std::move(root)),
      entries_(std::move(entries)),
      ownership_(ownership),
      prefix_(std::move(prefix)),
      withRootEntry_(withRootEntry),
      now_(std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count()) {}

bool TarStream::fillFromCurrentFile(std::string& chunk) {
  while (left_ > 0 && chunk.size() < kChunkSize) {
    const size_t want = static_cast<size_t>(std::min<std::uint64_t>(left_, kChunkSize - chunk.size()));
    const size_t at = chunk.size();
    chunk.resize(at + want);
    const ssize_t n = ::read(fd_, chunk.data() + at, want);
    if (n <= 0) {  // shrunk while read: zeros keep the archive whole; Mutagen's cycle sees the difference
      if (n < 0 && errno == EINTR) {
        chunk.resize(at);
        continue;
      }
      std::fill(chunk.begin() + static_cast<long>(at), chunk.end(), '\0');
      currentStamp_.size = ~std::uint64_t{0};  // never equal to the file again
    } else {
      chunk.resize(at + static_cast<size_t>(n));
    }
    left_ -= chunk.size() - at;
    bytesRead_ += chunk.size() - at;
  }
  if (left_ > 0) return false;
  ::close(fd_);
  fd_ = -1;
  chunk.append(util::tarPadding(size_), '\0');
  copied_[currentPath_] = currentStamp_;
  ++filesDone_;
  return true;
}

TarStream::~TarStream() {
  if (fd_ >= 0) ::close(fd_);  // a stream its reader stopped taking
}

std::string TarStream::next() {
  std::string chunk;
  if (ended_) return chunk;
  chunk.reserve(kChunkSize + 2 * util::kTarBlock);
  if (withRootEntry_) {
    withRootEntry_ = false;
    util::appendTarHeader(chunk, {prefix_.substr(0, prefix_.size() - 1), util::TarHeader::Type::Directory, 0,
                                  ownership_.directoryMode, ownership_.uid, ownership_.gid, now_, ""});
  }
  while (chunk.size() < kChunkSize) {
    if (fd_ >= 0 && !fillFromCurrentFile(chunk)) return chunk;
    if (index_ == entries_.size()) {
      util::appendTarEnd(chunk);
      ended_ = true;
      return chunk;
    }
    const LocalEntry& entry = entries_[index_++];
    util::TarHeader header{prefix_ + entry.path, entry.type, 0, 0, ownership_.uid, ownership_.gid, now_, ""};
    if (entry.type == util::TarHeader::Type::Directory) {
      header.mode = ownership_.directoryMode;
    } else if (entry.type == util::TarHeader::Type::Symlink) {
      header.mode = 0777;
      header.linkTarget = entry.target;
    } else {
      const int fd = ::open((root_ / entry.path).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
      if (fd < 0) continue;  // gone or unreadable since the scan: Mutagen deals with it
      struct stat info {};
      if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        ::close(fd);
        continue;
      }
      fd_ = fd;
      size_ = left_ = static_cast<std::uint64_t>(info.st_size);
      currentPath_ = entry.path;
      currentStamp_ = stampFrom(info);
      const bool executable = (info.st_mode & 0111) != 0;
      header.size = size_;
      header.mode = executable ? executableForReaders(ownership_.fileMode) : ownership_.fileMode;
      header.mtime = info.st_mtim.tv_sec;
    }
    util::appendTarHeader(chunk, header);
  }
  return chunk;
}

std::vector<std::string> staleCopiesInConflict(const InitialCopy& copy, const std::vector<std::string>& conflictRoots) {
  std::vector<std::string> stale;
  auto check = [&](const std::string& path, const FileStamp& stamp) {
    if (stampOf(copy.localRoot / path) != stamp && std::find(stale.begin(), stale.end(), path) == stale.end())
      stale.push_back(path);
  };
  for (const std::string& root : conflictRoots) {  // "" is the whole sync root
    if (auto it = copy.files.find(root); it != copy.files.end()) check(it->first, it->second);
    const std::string below = root.empty() ? "" : root + "/";
    for (auto it = copy.files.lower_bound(below); it != copy.files.end() && it->first.starts_with(below); ++it)
      check(it->first, it->second);
  }
  return stale;
}

}  // namespace gardensync::providers
