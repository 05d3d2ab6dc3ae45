// The last check of a sync path before it becomes a Mutagen endpoint: the config layer checks
// paths as written, this checks them as they will be used, after every normalisation, so a value
// that slipped past (a NUL that cuts "/\0x" down to "/", a "..", a control character) never
// reaches Mutagen. Pure: no file system access.
#pragma once

#include <filesystem>

#include "gardensync/config/model.h"

namespace gardensync::sync {

// Throws ConfigError (positioned at `spec.sync.paths[index]`) unless the local path is absolute, normal and
// plain text, inside `projectRoot` when the source was written relative, and the container path
// is an absolute, normal, plain-text path other than "/".
void checkSyncPathSafety(const config::SyncPath& path, size_t index, const std::filesystem::path& projectRoot);

}  // namespace gardensync::sync
