// The per-project Mutagen data directory. The real folder is short (Unix socket paths are limited
// to ~108 bytes and the daemon's socket lives inside it, mutagen-io/mutagen#433), private (0700)
// and keyed by the project; the project gets readable links to it under .garden/mutagen/.
#pragma once

#include <filesystem>
#include <string>

namespace gardensync::mutagen {

// Longest socket path we accept: sun_path is 108 bytes including the terminating NUL.
inline constexpr size_t kMaxSocketPath = 104;

// `<home>/.gardensync/m/<first 9 hex of sha256(<projectRoot>/.garden)>`. Pure.
std::filesystem::path dataDirFor(const std::filesystem::path& projectRoot, const std::filesystem::path& home);

// `<dataDir>/daemon/daemon.sock`, where Mutagen's daemon listens.
std::filesystem::path daemonSocketPath(const std::filesystem::path& dataDir);

// Throws Error when the daemon socket path would be too long. Pure.
void checkSocketPathLength(const std::filesystem::path& dataDir);

// The text of `mutagen.sh`: runs `binary` with MUTAGEN_DATA_DIRECTORY set to `dataDir`. Pure.
std::string helperScript(const std::filesystem::path& binary, const std::filesystem::path& dataDir);

struct PreparedDataDir {
  std::filesystem::path path;     // the real, short folder
  std::filesystem::path runLink;  // <project>/.garden/mutagen/<run id>
};

// Creates the data dir (0700; refuses one owned by another user or writable by others), writes
// mutagen.sh into it, and points `<project>/.garden/mutagen/<run id>` and `.../latest` at it.
// Keeps the 10 newest run links. `home` is normally $HOME.
PreparedDataDir prepareDataDir(const std::filesystem::path& projectRoot, const std::filesystem::path& home,
                               const std::filesystem::path& mutagenBinary);

// How many sync sessions the data directory stores (Mutagen keeps one file per session in
// `sessions/`, whether or not its daemon runs).
size_t storedSessionCount(const std::filesystem::path& dataDir);

}  // namespace gardensync::mutagen
