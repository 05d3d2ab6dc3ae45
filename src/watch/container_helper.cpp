#include "gardensync/watch/container_helper.h"

#include <sys/utsname.h>

#include <fmt/format.h>

#include "gardensync/providers/kube_endpoint.h"
#include "gardensync/providers/kube_transport_state.h"
#include "gardensync/util/process.h"

namespace gardensync::watch {

namespace {

const std::string kHelperName = std::string("gardensync-container-watch-") + GARDENSYNC_VERSION;
// Named by version, so that an older helper is never run.
const std::string kDockerPath = "/." + kHelperName;
// Relative to the pod user's home folder, like Mutagen's `.mutagen/agents/<version>/`.
const std::string kPodPath = ".gardensync/" + kHelperName;

std::vector<std::string> helperArgs(const std::string& program, const ContainerSide& side,
                                    const std::vector<std::string>& ignores) {
  std::vector<std::string> args{program, side.path};
  for (const auto& pattern : ignores) args.insert(args.end(), {"--ignore", pattern});
  return args;
}

std::string podDescription(const std::string& host) {
  const auto endpoint = providers::parseHost(host);
  if (!endpoint) return "pod " + host;
  const std::string container = endpoint->container.empty() ? "" : fmt::format(" (container {})", endpoint->container);
  if (endpoint->kind == "selector")
    return fmt::format("pod of {} in namespace {}{}", endpoint->session, endpoint->ns, container);
  return fmt::format("pod of {}/{} in namespace {}{}", endpoint->kind, endpoint->name, endpoint->ns, container);
}

}  // namespace

HelperLaunch helperLaunch(const ContainerSide& side, const std::vector<std::string>& ignores,
                          const std::filesystem::path& program, const std::filesystem::path& dataDir,
                          const std::string& machine) {
  HelperLaunch launch;
  if (side.kind == ContainerSide::Kind::Docker) {
    launch.where = "container " + side.container;
    launch.install = {"docker", "cp", program.string(), side.container + ":" + kDockerPath};
    launch.run = {"docker", "exec", "-i", side.container};
    for (auto& arg : helperArgs(kDockerPath, side, ignores)) launch.run.push_back(std::move(arg));
    return launch;
  }
  const auto bin = providers::KubeTransportState(dataDir).binDir();
  launch.where = podDescription(side.container);
  // The stand-in's ssh runs one command line through `sh` in the home folder, as sshd would.
  launch.check = {(bin / "ssh").string(), side.container,
                  fmt::format("m=$(uname -m); if [ \"$m\" != {} ]; then echo \"$m\"; exit {}; fi; "
                              "test -x {} || exit {}",
                              util::shellQuote(machine), kOtherArchitecture, util::shellQuote(kPodPath), kHelperMissing)};
  launch.install = {(bin / "scp").string(), program.string(), side.container + ":" + kPodPath};
  std::string line = "exec";
  for (const auto& arg : helperArgs(kPodPath, side, ignores)) line += " " + util::shellQuote(arg);
  launch.run = {(bin / "ssh").string(), side.container, line};
  return launch;
}

std::string helperMachine() {
  utsname name{};
  return ::uname(&name) == 0 ? name.machine : "";
}

}  // namespace gardensync::watch
