// Makes sure the pinned Mutagen (see manifest.h) is available and says where it is. The release
// asset is downloaded from upstream (or a mirror), its SHA-256 checked before anything is
// unpacked, extracted into a temp folder beside the cache, its `version` probed, and only then
// renamed into `<cacheRoot>/mutagen/<version>/` in one step. A file lock lets one process install
// at a time; a crash at any point leaves only `tmp-*` folders, which the next install removes.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "gardensync/mutagen/downloader.h"

namespace gardensync::mutagen {

// The installed tool. Mutagen finds its agent bundle next to its own executable, so both files
// live in `directory`.
struct MutagenTool {
  std::filesystem::path binary;     // <directory>/mutagen
  std::filesystem::path directory;  // holds mutagen and mutagen-agents.tar.gz
};

struct InstallOptions {
  std::filesystem::path cacheRoot;  // <cacheRoot>/mutagen/0.18.1/ is the install
  // GARDENSYNC_MUTAGEN_MIRROR: a base URL laid out like the release page (the asset and a
  // SHA256SUMS listing it). http(s):// or file://.
  std::optional<std::string> mirror;
  // GARDENSYNC_MUTAGEN_PATH: use this binary (with mutagen-agents.tar.gz beside it) instead.
  std::optional<std::filesystem::path> overridePath;
  DownloadOptions download;
  std::function<void(const std::string&)> onStatus;  // "downloading ...", "verifying ...", "installed in ..."
};

// cacheRoot = $XDG_CACHE_HOME/gardensync, else ~/.cache/gardensync; mirror and overridePath from
// GARDENSYNC_MUTAGEN_MIRROR and GARDENSYNC_MUTAGEN_PATH (ignored when empty).
InstallOptions installOptionsFromEnvironment();

// Returns the pinned Mutagen, installing it first when needed. Throws Error (with a hint) when it
// cannot: download failure, checksum mismatch, a broken archive, a binary of another version.
MutagenTool ensureMutagen(const InstallOptions& options);

// Runs `<binary> version` against a fresh, empty data directory (so it can never talk to a running
// daemon) and returns its trimmed stdout. Throws ToolError when it fails.
std::string probeMutagenVersion(const std::filesystem::path& binary);

}  // namespace gardensync::mutagen
