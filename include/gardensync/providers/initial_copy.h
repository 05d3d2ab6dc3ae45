// The first sync of a new session into an empty container folder, as one tar stream instead of
// Mutagen's file-by-file transfer: the local tree is copied exactly as Mutagen would create it
// (its ignores, its default owner, group and modes, executable bits, symbolic links it accepts,
// no special files), so that Mutagen's first cycle finds both sides equal and copies nothing.
// Only where the local side is the source (the container is beta) and the container folder is
// absent or empty; anything else is left to Mutagen. The providers move the stream; this file
// decides what goes into it.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gardensync/sync/ignore_matcher.h"
#include "gardensync/sync/plan.h"
#include "gardensync/util/tar_writer.h"

namespace gardensync::providers {

// GARDENSYNC_INITIAL_COPY=off leaves every first sync to Mutagen.
bool initialCopyWanted();

// Whether a new session's first cycle copies the local side into the container: not in the
// reverse modes.
bool copiesIntoContainer(const sync::PlannedSession& session);

// One entry of a local sync root, as Mutagen's scan sees it.
struct LocalEntry {
  std::string path;  // relative to the root, `/`-separated
  util::TarHeader::Type type = util::TarHeader::Type::File;
  std::uint64_t size = 0;  // files, when scanned
  std::string target;  // symbolic links
};

// The entries of a local sync root that Mutagen would sync, parents before children. Left out,
// as Mutagen leaves them out: ignored paths (and what is below an ignored folder), Mutagen's
// temporary files, names that are not UTF-8, special files (sockets, pipes, devices), symbolic
// links it rejects in its portable mode, folders on another file system, and what cannot be read.
std::vector<LocalEntry> scanLocalTree(const std::filesystem::path& root, const sync::IgnoreMatcher& ignore);

// Mutagen's portable symbolic link rule: a relative target, no `:` or `\`, at most 247 bytes,
// never leaving the sync root (`path` is the link's own path in the root).
bool portableSymlink(const std::string& path, const std::string& target);

// The session's container folder as the copy names it: no trailing `/`.
std::string containerFolder(const sync::PlannedSession& session);

// What the container side is at a new session's root.
enum class TargetState { Absent, Empty, NotEmpty, NoParent, Unknown };

// Ownership and modes of what Mutagen would create there (its defaults: the agent's user and
// group, 0600 and 0700; executable files get an executable bit wherever they are readable).
struct CopyOwnership {
  std::uint64_t uid = 0;
  std::uint64_t gid = 0;
  unsigned fileMode = 0600;
  unsigned directoryMode = 0700;
};

// Asked in the container with one `sh -c` for a set of sessions: the state of each root and the
// ids its owner and group name resolve to.
struct TargetQuestion {
  std::string path;   // the container folder
  std::string owner;  // Mutagen's owner specification ("", "id:1000" or a name)
  std::string group;
};
struct TargetAnswer {
  TargetState state = TargetState::Unknown;
  std::optional<CopyOwnership> ownership;  // uid and gid; unset when a name did not resolve
  bool runsAsRoot = false;
};
// The sh script that answers `questions`, one line each. After another script's output, a line
// of kTargetProbeMarker sets the answers apart.
inline constexpr std::string_view kTargetProbeMarker = "--- gardensync: sync folders";
std::string targetProbeScript(const std::vector<TargetQuestion>& questions);
// The question about `session`'s container folder.
TargetQuestion targetQuestion(const sync::PlannedSession& session);
std::vector<TargetAnswer> readTargetProbe(const std::string& output, size_t questions);

// The modes of what the session creates: its defaults where set, Mutagen's otherwise. nullopt
// for a mode that is not octal.
std::optional<CopyOwnership> withSessionModes(CopyOwnership ownership, const sync::PlannedSession& session);

// When and how big each copied file was when it was read, to tell later whether it changed.
struct FileStamp {
  std::uint64_t size = 0;
  std::int64_t modifiedNs = 0;
  std::int64_t changedNs = 0;
  bool operator==(const FileStamp&) const = default;
};
std::optional<FileStamp> stampOf(const std::filesystem::path& file);

// The tar stream of one root, produced chunk by chunk (util::ProcessOptions::stdinChunks).
// `prefix` is put before every path ("src/" when the root folder itself is created, with its
// own entry first; "" when the stream goes into the existing empty folder).
class TarStream {
public:
  TarStream(std::filesystem::path root, std::vector<LocalEntry> entries, CopyOwnership ownership, std::string prefix,
            bool withRootEntry);
  ~TarStream();
  TarStream(const TarStream&) = delete;
  TarStream& operator=(const TarStream&) = delete;
  // The next chunk (about a megabyte), empty at the end.
  std::string next();
  std::uint64_t bytesRead() const { return bytesRead_; }
  size_t filesDone() const { return filesDone_; }
  // The files copied, by path relative to the root, as they were when read. A file that could
  // not be opened is left out of the stream (and of this map): Mutagen reports it.
  const std::map<std::string, FileStamp>& copied() const { return copied_; }

private:
  bool fillFromCurrentFile(std::string& chunk);
  std::filesystem::path root_;
  std::vector<LocalEntry> entries_;
  CopyOwnership ownership_;
  std::string prefix_;
  bool withRootEntry_;
  size_t index_ = 0;
  bool ended_ = false;
  int fd_ = -1;  // the file whose data is being streamed
  std::uint64_t left_ = 0;
  std::uint64_t size_ = 0;
  std::string currentPath_;
  FileStamp currentStamp_;
  std::uint64_t bytesRead_ = 0;
  size_t filesDone_ = 0;
  std::map<std::string, FileStamp> copied_;
  std::int64_t now_ = 0;
};

// A new session whose container folder was filled by one stream, kept until its first cycle is
// done: a local file that changed between being read and Mutagen's first scan of it shows as a
// conflict in the safe modes (both sides "created" it, differently). Such a container copy was
// made by gardensync a moment before and is stale, so it is removed and the cycle run again.
struct InitialCopy {
  std::string session;  // the session's name
  std::string where;    // "gs-shop-api:/app/src", for messages
  std::filesystem::path localRoot;
  std::map<std::string, FileStamp> files;
  std::uint64_t bytes = 0;
  std::chrono::milliseconds took{0};
  // Set when the copy failed: what it left was removed, and Mutagen copies everything.
  std::string failure;
  // Removes paths (relative to the container root) in the container; throws Error.
  std::function<void(const std::vector<std::string>&)> removeInContainer;
};

// The files under `conflictRoots` (the roots of a session's conflicts) that `copy` copied from
// local files that have changed since.
std::vector<std::string> staleCopiesInConflict(const InitialCopy& copy, const std::vector<std::string>& conflictRoots);

}  // namespace gardensync::providers
