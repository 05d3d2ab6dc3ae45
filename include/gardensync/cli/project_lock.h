// One writer per project. Commands that change a project's containers or sync sessions (deploy,
// sync start/stop/restart, cleanup) hold this lock while they do, so two of them started at once
// take turns instead of creating duplicate sessions or replacing the same container twice. The
// lock lives in the project's data directory, so it is per project root, not per project name.
#pragma once

#include "gardensync/cli/context.h"
#include "gardensync/util/file_lock.h"

namespace gardensync::cli {

// Blocks until this process is the project's only writer; while it waits, says which process
// holds the lock. Released when the returned lock is destroyed (or the process dies).
util::FileLock lockProject(Context& context);

}  // namespace gardensync::cli
