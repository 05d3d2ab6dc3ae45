// What `docker run` gets for a container Deploy on local-docker: pure, so the mapping from
// config to flags is unit-tested and its hash decides whether a redeploy replaces the container.
#pragma once

#include <string>
#include <vector>

#include "gardensync/config/model.h"

namespace gardensync::providers {

inline constexpr const char* kContainerSpecLabel = "gardensync.io/container-spec";

// The local-docker container that runs a Deploy: predictable, so sessions can name it up front.
std::string containerName(const std::string& project, const std::string& deploy);

struct ContainerSpec {
  std::string name;
  std::string image;
  std::vector<std::string> runArgs;  // after `docker run -d`
  std::string specHash;              // also set as a label
};

// `withSync`: `spec.sync.command`/`args` replace the Deploy's own, as Garden does in sync mode.
ContainerSpec containerSpec(const config::ProjectConfig& config, const config::Action& deploy,
                            const std::string& image, bool withSync);

}  // namespace gardensync::providers
