#include "gardensync/cli/services.h"

namespace gardensync::cli {

const Services& systemServices() {
  static const Services services{
      [](const config::ProjectConfig& config) { return providers::makeProvider(config); },
      [](Context& context, bool startDaemon, bool reviveWatcher) {
        return openEngine(context, startDaemon, reviveWatcher);
      },
  };
  return services;
}

}  // namespace gardensync::cli
