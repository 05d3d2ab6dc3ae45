// Which side of a session the project's watcher (`gardensync __watch`) watches. It serves the
// sessions labelled gardensync.io/watcher=on: their local folder when that is the source side
// (alpha), and their container folder when changes there flow to the local side (two-way and
// reverse modes), where a static helper runs beside Mutagen's agent (container_watch.h): in a
// local Docker container (docker://CONTAINER/PATH) or in a pod that gardensync's Kubernetes
// transport reaches (kube_<...>:PATH, providers/kube_endpoint.h).
#pragma once

#include <optional>
#include <string>

#include "gardensync/mutagen/session_status.h"

namespace gardensync::watch {

struct ContainerSide {
  enum class Kind { Docker, Kubernetes };
  Kind kind = Kind::Docker;
  std::string container;  // Docker: the container's name; Kubernetes: the endpoint's host
  std::string path;
};

bool watchesLocalSide(const mutagen::SessionStatus& session);
std::optional<ContainerSide> watchedContainerSide(const mutagen::SessionStatus& session);
// Either of the two: the watcher must run while such a session exists.
bool servedByWatcher(const mutagen::SessionStatus& session);

}  // namespace gardensync::watch
