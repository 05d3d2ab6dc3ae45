// The per-project Mutagen data directory. The real folder is short (Unix socket paths are limited
// to ~108 bytes and the daemon's socket lives inside it, mutagen-io/mutagen#433), private (0700)
// and keyed by the project; the project gets readable links to it under .garden/mutagen/.
#pragma once

#include <filesystem>
#include <string>

namespace gardensync::mutagen {

// Longest socket path we accept: sun_path is 108 bytes including the terminating NUL.
inline constexpr size_t kMaxSocketPath = 104;

// The file in a data directory that names its project's root folder (data_dir_pruning.h).
inline constexpr const char* kProjectRootRecord = "project-root";

// `<home>/.gardensync/m/<first 9 hex of sha256(<projectRoot>/.garden)>`. Pure.
std::filesystem::path dataDirFor(const std::filesystem::path& projectRoot, const std::filesystem::path& home);

// `<dataDir>/daemon/daemon.sock`, where Mutagen's daemon listens.
std::filesystem::path daemonSocketPath(const std::filesystem::path& dataDir);

// Whether something accepts connections on the daemon's socket: far cheaper than asking the daemon
// (`mutagen sync list` is a process of its own). A path too long to try counts as listening.
bool daemonSocketAccepts(const std::filesystem::path& dataDir);

// Throws Error when the daemon socket path would be too long. Pure.
void checkSocketPathLength(const std::filesystem::path& dataDir);

// The text of `mutagen.sh`: runs `binary` with MUTAGEN_DATA_DIRECTORY set to `dataDir`. Pure.
std::string helperScript(const std::filesystem::path& binary, const std::filesystem::path& dataDir);

struct PreparedDataDir {
  std::filesystem::path path;     // the real, short folder
  std::filesystem::path link;  // <project>/.garden/mutagen/<data directory's name>
};

// Creates the data dir (0700; refuses one owned by another user or writable by others), writes
// mutagen.sh and the project-root record into it, and points `<project>/.garden/mutagen/<its
// name>` and `.../latest` at it. Other links there are removed when their folder is gone or
// they are not named after their folder (one link per data directory). `home` is normally $HOME.
PreparedDataDir prepareDataDir(const std::filesystem::path& projectRoot, const std::filesystem::path& home,
                               const std::filesystem::path& mutagenBinary);

// How many sync sessions the data directory stores (Mutagen keeps one file per session in
// `sessions/`, whether or not its daemon runs).
size_t storedSessionCount(const std::filesystem::path& dataDir);

}  // namespace gardensync::mutagen
