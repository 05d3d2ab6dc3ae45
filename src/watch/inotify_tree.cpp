#include "gardensync/watch/inotify_tree.h"

#include "gardensync/util/error.h"

// inotify is Linux's. Elsewhere (macOS) Mutagen watches recursively by itself, gardensync plans
// sessions without its watcher (cli/watcher_control.cpp), and this unit only says so if asked.
#ifdef __linux__

#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace gardensync::watch {

namespace fs = std::filesystem;

namespace {

// Writes, attribute changes (Mutagen syncs the executable bit), and every way an entry can appear
// or go. IN_DONT_FOLLOW and IN_ONLYDIR: Mutagen does not follow symbolic links, so a link to a
// folder is an entry, not a folder to watch.
constexpr uint32_t kMask = IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB | IN_CREATE | IN_DELETE | IN_MOVED_FROM |
                           IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_DONT_FOLLOW | IN_ONLYDIR;

// Mutagen writes into a synced folder through temporary files with this prefix, then renames them
// (pkg/filesystem/temporary.go); the rename is the change that matters.
constexpr std::string_view kMutagenTemporaryPrefix = ".mutagen-temporary-";

std::string join(const std::string& relative, std::string_view name) {
  return relative.empty() ? std::string(name) : relative + "/" + std::string(name);
}

}  // namespace

InotifyTree::InotifyTree() {
  fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd_ < 0) throw Error(fmt::format("cannot start watching files (inotify): {}", std::strerror(errno)));
}

InotifyTree::~InotifyTree() {
  if (fd_ >= 0) ::close(fd_);
}

void InotifyTree::addRoot(size_t session, const fs::path& root, sync::IgnoreMatcher matcher) {
  roots_.push_back({session, root, std::move(matcher)});
  watchTree(roots_.size() - 1, "");
}

void InotifyTree::rewatch() {
  failed_ = 0;
  for (size_t i = 0; i < roots_.size(); ++i) watchTree(i, "");
}

bool InotifyTree::watchFolder(size_t root, const std::string& relative) {
  const fs::path path = relative.empty() ? roots_[root].path : roots_[root].path / relative;
  const int wd = ::inotify_add_watch(fd_, path.c_str(), kMask);
  if (wd < 0) {
    // A folder that went away (or is a link) between listing and watching is not a failure.
    if (errno != ENOENT && errno != ENOTDIR) {
      ++failed_;
      lastFailure_ = fmt::format("{}: {}", path.string(), std::strerror(errno));
    }
    return false;
  }
  // A folder moved inside the tree keeps its watch (the same inode): only its path changes.
  auto& places = watches_[wd];
  auto known = std::find_if(places.begin(), places.end(), [&](const Place& p) { return p.root == root; });
  if (known != places.end()) known->relative = relative;
  else places.push_back({root, relative});
  return true;
}

void InotifyTree::watchTree(size_t root, const std::string& relative, std::vector<std::string>* found) {
  // Iterative, so a deep tree cannot exhaust the stack.
  std::vector<std::string> pending{relative};
  while (!pending.empty()) {
    const std::string folder = std::move(pending.back());
    pending.pop_back();
    if (!watchFolder(root, folder)) continue;
    std::error_code ec;
    const fs::path path = folder.empty() ? roots_[root].path : roots_[root].path / folder;
    for (auto it = fs::directory_iterator(path, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
      std::error_code typeError;
      const bool isFolder = it->is_directory(typeError) && !it->is_symlink(typeError);
      if (!isFolder && !found) continue;
      const std::string name = it->path().filename().string();
      if (std::string_view(name).starts_with(kMutagenTemporaryPrefix)) continue;
      const std::string child = join(folder, name);
      if (roots_[root].matcher.ignored(child, isFolder)) continue;
      if (found) found->push_back(child);
      if (isFolder) pending.push_back(child);
    }
  }
}

std::vector<TreeEvent> InotifyTree::read() {
  std::vector<TreeEvent> events;
  alignas(struct inotify_event) char buffer[64 * 1024];
  while (true) {
    const ssize_t length = ::read(fd_, buffer, sizeof buffer);
    if (length < 0 && errno == EINTR) continue;
    if (length <= 0) break;  // EAGAIN: nothing more pending
    for (ssize_t offset = 0; offset < length;) {
      const auto* event = reinterpret_cast<const struct inotify_event*>(buffer + offset);
      offset += static_cast<ssize_t>(sizeof(struct inotify_event) + event->len);
      if (event->mask & IN_Q_OVERFLOW) {
        for (const auto& root : roots_) events.push_back({root.session, Change::Removal, {}, false});
        rewatch();
        continue;
      }
      auto it = watches_.find(event->wd);
      if (it == watches_.end()) continue;
      if (event->mask & IN_IGNORED) {  // the folder is gone, or was unmounted
        watches_.erase(it);
        continue;
      }
      const std::string_view name = event->len ? std::string_view(event->name) : std::string_view();
      if (name.starts_with(kMutagenTemporaryPrefix)) continue;
      if (event->mask & IN_MOVED_FROM) movedWithin_.insert(event->cookie);
      // Mutagen places a file it received by renaming it from its staging folder (outside the
      // synced folder) or from a temporary beside it: a rename whose other half was not seen
      // here, or whose source was such a temporary.
      bool byMutagen = false;
      if (event->mask & IN_MOVED_TO) {
        byMutagen = !movedWithin_.erase(event->cookie);
        if (movedWithin_.size() > 1024) movedWithin_.clear();  // halves of renames out of the folder
      }
      const bool isFolder = event->mask & IN_ISDIR;
      const bool removal = event->mask & (IN_DELETE | IN_MOVED_FROM | IN_DELETE_SELF | IN_MOVE_SELF);
      const std::vector<Place> places = it->second;  // watchTree below may rehash watches_
      for (const Place& place : places) {
        const Root& root = roots_[place.root];
        std::string path = place.relative;
        if (!name.empty()) {
          path = join(place.relative, name);
          if (root.matcher.ignored(path, isFolder)) continue;
          if (isFolder && (event->mask & (IN_CREATE | IN_MOVED_TO))) {
            // What was written into the new folder before its watch existed is reported too.
            std::vector<std::string> found;
            watchTree(place.root, path, &found);
            for (auto& entry : found) events.push_back({root.session, Change::Write, std::move(entry), byMutagen});
          }
        }
        events.push_back({root.session, removal ? Change::Removal : Change::Write, std::move(path), byMutagen});
      }
    }
  }
  return events;
}

}  // namespace gardensync::watch

#else  // not Linux

namespace gardensync::watch {

InotifyTree::InotifyTree() {
  throw Error("gardensync's file watcher needs Linux (inotify)", "set GARDENSYNC_WATCHER=off");
}
InotifyTree::~InotifyTree() = default;
void InotifyTree::addRoot(size_t, const std::filesystem::path&, sync::IgnoreMatcher) {}
void InotifyTree::rewatch() {}
std::vector<TreeEvent> InotifyTree::read() { return {}; }

}  // namespace gardensync::watch

#endif
