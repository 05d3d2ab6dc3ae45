// Recursive file watching of sync roots with Linux inotify: one watch per folder, folders that
// appear later are watched as they appear, ignored folders are never watched, and what happens
// is reduced to "this session's folder had a write / a removal" at a path. The watcher needs only
// the session (a Mutagen flush rescans the whole root); the event stream also reports the path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "gardensync/watch/debouncer.h"
#include "gardensync/sync/ignore_matcher.h"

namespace gardensync::watch {

struct TreeEvent {
  size_t session = 0;
  Change change = Change::Write;
  std::string path;        // relative to the root, '/'-separated; "" for the root or an overflow
  // Something was renamed to `path` from outside the watched folders (or from a Mutagen
  // temporary file): how Mutagen places the files it receives.
  bool byMutagen = false;
};

class InotifyTree {
public:
  // Throws Error when inotify is not available.
  InotifyTree();
  ~InotifyTree();
  InotifyTree(const InotifyTree&) = delete;
  InotifyTree& operator=(const InotifyTree&) = delete;

  // The descriptor to poll for readability.
  int fd() const { return fd_; }

  // Watches `root` and every folder below it that `matcher` does not ignore. A root that cannot
  // be watched (missing, unreadable) is remembered and tried again by rewatch().
  void addRoot(size_t session, const std::filesystem::path& root, sync::IgnoreMatcher matcher);
  // Walks every root again and watches the folders that are not (after a queue overflow, whose
  // lost events may have created folders).
  void rewatch();

  // Reads what is pending without blocking. A queue overflow is reported as a removal in every
  // session (anything may have happened) and rewatches.
  std::vector<TreeEvent> read();

  size_t watchedFolders() const { return watches_.size(); }
  // Folders that could not be watched, most often because fs.inotify.max_user_watches is reached.
  size_t failedFolders() const { return failed_; }
  const std::string& lastFailure() const { return lastFailure_; }

private:
  struct Root {
    size_t session;
    std::filesystem::path path;
    sync::IgnoreMatcher matcher;
  };
  struct Place {
    size_t root;           // index into roots_
    std::string relative;  // "" for the root itself
  };
  // Watches the folder and those below it; with `found`, also lists every entry below it.
  void watchTree(size_t root, const std::string& relative, std::vector<std::string>* found = nullptr);
  bool watchFolder(size_t root, const std::string& relative);

  int fd_ = -1;
  std::vector<Root> roots_;
  std::unordered_map<int, std::vector<Place>> watches_;  // one folder may be in several roots
  size_t failed_ = 0;
  std::string lastFailure_;
  std::unordered_set<uint32_t> movedWithin_;  // cookies of renames whose source is in a watched folder
};

}  // namespace gardensync::watch
