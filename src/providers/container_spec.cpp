#include "gardensync/providers/container_spec.h"

#include <fmt/format.h>

#include "gardensync/sync/plan.h"
#include "gardensync/util/hash.h"
#include "gardensync/util/text.h"

namespace gardensync::providers {

std::string containerName(const std::string& project, const std::string& deploy) {
  return fmt::format("gs-{}-{}", project, deploy);
}

ContainerSpec containerSpec(const config::ProjectConfig& config, const config::Action& deploy,
                            const std::string& image, bool withSync) {
  ContainerSpec spec;
  spec.name = containerName(config.project.name, deploy.name);
  spec.image = image;

  std::optional<std::vector<std::string>> command = deploy.command;
  std::optional<std::vector<std::string>> args = deploy.args;
  if (withSync && deploy.sync) {
    if (deploy.sync->command) command = deploy.sync->command;
    if (deploy.sync->args) args = deploy.sync->args;
  }

  std::vector<std::string> flags;
  for (const auto& [key, value] : deploy.env) flags.insert(flags.end(), {"--env", key + "=" + value});
  for (const auto& port : deploy.ports) {
    if (!port.hostPort) continue;  // only published ports need a host side
    // Loopback only: a development server should not be reachable from the network by default.
    flags.insert(flags.end(), {"--publish", fmt::format("127.0.0.1:{}:{}/{}", *port.hostPort, port.containerPort,
                                                        port.protocol == "UDP" ? "udp" : "tcp")});
  }
  for (size_t i = 0; i < deploy.volumes.size(); ++i) {
    const auto& volume = deploy.volumes[i];
    // A named Docker volume per Deploy volume; unnamed ones are told apart by position.
    const std::string source = volume.hostPath ? *volume.hostPath
                               : volume.name.empty() ? fmt::format("{}-volume-{}", spec.name, i)
                                                     : fmt::format("{}-{}", spec.name, volume.name);
    // --mount, not --volume: in "source:target" a target such as "/v1:ro" would become options.
    const std::string type = volume.hostPath ? "bind" : "volume";
    flags.insert(flags.end(), {"--mount", fmt::format("type={},{},{}", type, util::csvField("source=" + source),
                                                      util::csvField("target=" + volume.containerPath))});
  }
  // Garden's `command` is the entrypoint and `args` its arguments (Kubernetes semantics).
  std::vector<std::string> tail{image};
  if (command && !command->empty()) {
    flags.insert(flags.end(), {"--entrypoint", command->front()});
    tail.insert(tail.end(), command->begin() + 1, command->end());
  }
  if (args) tail.insert(tail.end(), args->begin(), args->end());

  std::string canonical;
  for (const auto& part : flags) canonical += part + '\0';
  canonical += '\x01';
  for (const auto& part : tail) canonical += part + '\0';
  spec.specHash = util::sha256Hex(canonical).substr(0, 16);

  spec.runArgs = {"--name", spec.name,
                  "--label", std::string(sync::kProjectLabel) + "=" + config.project.name,
                  "--label", std::string(sync::kDeployLabel) + "=" + deploy.name,
                  "--label", std::string(sync::kProjectRootLabel) + "=" + config.project.root.string(),
                  "--label", std::string(kContainerSpecLabel) + "=" + spec.specHash};
  spec.runArgs.insert(spec.runArgs.end(), flags.begin(), flags.end());
  spec.runArgs.insert(spec.runArgs.end(), tail.begin(), tail.end());
  return spec;
}

}  // namespace gardensync::providers
