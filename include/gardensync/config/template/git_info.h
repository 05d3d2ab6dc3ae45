// `${git.branch}`, `${git.commitHash}` and `${git.originUrl}`, read from the repository's files
// (HEAD, refs, packed-refs, config) rather than by running git, so loading a project starts no
// process. Worktrees and submodules (a `.git` file pointing elsewhere) are followed.
#pragma once

#include <filesystem>

#include "gardensync/config/template.h"

namespace gardensync::config::tmpl {

// The repository holding `dir` (searching upward); empty strings when there is none.
GitInfo readGitInfo(const std::filesystem::path& dir);

}  // namespace gardensync::config::tmpl
