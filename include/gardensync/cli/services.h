// What the commands reach Docker, a cluster and Mutagen through: the provider of the project's
// environment, and the project's Mutagen made ready. The real ones unless a caller gives others;
// the unit tests of the commands' orchestration give ones whose processes answer from a script
// (tests/unit/cli/), the way ninja's tests give a fake command runner.
#pragma once

#include <functional>
#include <memory>

#include "gardensync/cli/engine.h"
#include "gardensync/providers/provider.h"

namespace gardensync::cli {

struct Services {
  std::function<std::unique_ptr<providers::Provider>(const config::ProjectConfig&)> provider;
  // As openEngine(context, startDaemon, reviveWatcher).
  std::function<Engine(Context&, bool startDaemon, bool reviveWatcher)> engine;
};

// providers::makeProvider with the system's processes, and openEngine.
const Services& systemServices();

}  // namespace gardensync::cli
