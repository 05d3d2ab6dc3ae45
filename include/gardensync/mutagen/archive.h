// Safe extraction of a release archive (tar.gz, via libarchive) into an empty folder.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

namespace gardensync::mutagen {

struct ExtractLimits {
  uint64_t maxEntryBytes = 256ull * 1024 * 1024;  // one entry
  uint64_t maxTotalBytes = 1024ull * 1024 * 1024;
  size_t maxEntries = 10000;
};

// Extracts `archive` into `destination` (must exist and be empty). Refuses, with an Error naming
// the entry: absolute paths, `..` components, symlinks or hard links that point outside
// `destination`, device/fifo/socket entries, and entries above the limits. Returns the relative
// paths written. Partial output is left for the caller to remove (it extracts into a temp dir).
std::vector<std::filesystem::path> extractArchive(const std::filesystem::path& archive,
                                                  const std::filesystem::path& destination,
                                                  const ExtractLimits& limits = {});

}  // namespace gardensync::mutagen
