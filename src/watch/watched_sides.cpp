#include "gardensync/watch/watched_sides.h"

#include "gardensync/config/sync_mode.h"
#include "gardensync/providers/kube_endpoint.h"
#include "gardensync/sync/mode_mapping.h"
#include "gardensync/sync/plan.h"

namespace gardensync::watch {

namespace {

bool labelled(const mutagen::SessionStatus& session) { return session.label(sync::kWatcherLabel) == "on"; }

}  // namespace

bool watchesLocalSide(const mutagen::SessionStatus& session) {
  return labelled(session) && session.alpha.protocol == "local" && !session.alpha.path.empty();
}

std::optional<ContainerSide> watchedContainerSide(const mutagen::SessionStatus& session) {
  if (!labelled(session)) return std::nullopt;
  const auto parsed = config::parseSyncMode(session.label(sync::kGardenModeLabel));
  if (!parsed || !sync::localSideReceives(*parsed)) return std::nullopt;
  const auto& container = sync::toMutagen(*parsed).containerIsAlpha ? session.alpha : session.beta;
  if (container.host.empty() || container.path.empty()) return std::nullopt;
  if (container.protocol == "docker") return ContainerSide{ContainerSide::Kind::Docker, container.host, container.path};
  if (container.protocol == "ssh" && providers::parseHost(container.host))
    return ContainerSide{ContainerSide::Kind::Kubernetes, container.host, container.path};
  return std::nullopt;
}

bool servedByWatcher(const mutagen::SessionStatus& session) {
  return watchesLocalSide(session) || watchedContainerSide(session).has_value();
}

}  // namespace gardensync::watch
