// Building a container Build with the local Docker Engine, shared by both providers: the build's
// content version, and `docker build` of it under a tag that names that version. local-docker
// keeps the image locally; kubernetes pushes it to the deployment registry.
#pragma once

#include <string>

#include "gardensync/config/model.h"
#include "gardensync/providers/docker_cli.h"
#include "gardensync/providers/provider.h"

namespace gardensync::providers {

// Content hash of a build: every file below the action's folder that `docker build` would send
// (so not .git, .garden or what .dockerignore excludes), the Dockerfile name, build args and
// target stage.
std::string buildVersion(const config::Action& build);

// Builds `build` as `<repository>:<version>` unless the engine has that image already, passing
// each line of Docker's output to `onOutput`. A failed build is an Error naming the failed step
// and showing its output.
BuildResult buildImage(const DockerCli& docker, const config::ProjectConfig& config, const config::Action& build,
                       const std::string& repository, const OutputFunction& onOutput);

}  // namespace gardensync::providers
