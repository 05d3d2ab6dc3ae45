// Removing the Mutagen data directories of projects that no longer exist. Each project gets its
// own folder under ~/.gardensync/m/ (data_dir.h); a project folder that is deleted, like the
// throw-away checkouts of a day's work, would otherwise leave its folder there for good.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace gardensync::mutagen {

// Under `<home>/.gardensync/m/`, removes the data directory of every project whose folder is gone,
// and returns the removed paths. Never `keep` (the current project's), nor a folder whose daemon
// answers on its socket or whose writer lock another gardensync holds, nor anything that is not a
// gardensync data directory (a name of 9 hex digits, a real folder owned by this user). A folder
// without the `project-root` record (made by an older gardensync) goes only when it stores no
// sync session and has not changed for an hour.
std::vector<std::filesystem::path> pruneVanishedProjects(const std::filesystem::path& home,
                                                         const std::filesystem::path& keep);

}  // namespace gardensync::mutagen
