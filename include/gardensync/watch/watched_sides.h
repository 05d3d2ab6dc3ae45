// Which side of a session the project's watcher (`gardensync __watch`) watches. It serves the
// sessions labelled gardensync.io/watcher=on: their local folder when that is the source side
// (alpha), and their container folder when changes there flow to the local side (two-way and
// reverse modes) and the container is a local Docker one (docker://CONTAINER/PATH), where a
// static helper runs beside Mutagen's agent (container_watch.h).
#pragma once

#include <optional>
#include <string>

#include "gardensync/mutagen/session_status.h"

namespace gardensync::watch {

struct ContainerSide {
  std::string container;
  std::string path;
};

bool watchesLocalSide(const mutagen::SessionStatus& session);
std::optional<ContainerSide> watchedContainerSide(const mutagen::SessionStatus& session);
// Either of the two: the watcher must run while such a session exists.
bool servedByWatcher(const mutagen::SessionStatus& session);

}  // namespace gardensync::watch
