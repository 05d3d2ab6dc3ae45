// gardensync's side of Mutagen's SSH transport for Kubernetes endpoints. Mutagen runs
// `ssh <flags> <host> <command>` to probe the container (`uname -s -m`), install and start its
// agent, and `scp <flags> <file> <host>:<name>` to copy the agent into the home folder
// (mutagen-io/mutagen pkg/agent/transport/ssh, pkg/agent/dial.go, install.go). The stand-ins in
// the data directory hand those calls to `gardensync __kube-transport`, which reads the host
// (kube_endpoint.h), finds the pod the workload runs now and runs the command there through
// `kubectl exec --stdin`, in the home folder as ssh would, keeping the exit code (127 tells
// Mutagen its agent is missing, so a new pod gets one automatically).
//
// A pod that was replaced starts from its image: Mutagen would read every synced file missing
// there as deleted and, in two-way modes, delete it locally too. So each connection compares the
// pod with the one the session last synced with; when it changed, the call fails, a detached
// worker resets the session's history (`mutagen sync reset`, after which both sides' files are
// kept), and the next connection goes ahead. The worker is `gardensync __kube-transport reset`
// (cli/kube_transport_command.cpp), since resetting is Mutagen's business, not a provider's.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "gardensync/providers/kube_transport_state.h"
#include "gardensync/util/command_runner.h"

namespace gardensync::providers {

struct SshCall {
  std::string host;
  std::string command;  // the remote command line, as ssh joins it
};

struct ScpCall {
  std::string source;  // a local file (relative to the working directory)
  std::string host;
  std::string destination;  // relative to the remote home folder, or absolute
};

// OpenSSH-style argument parsing of what Mutagen passes. Throw UsageError on anything else.
SshCall parseSshArgs(const std::vector<std::string>& args);
ScpCall parseScpArgs(const std::vector<std::string>& args);

// The argv run in the container for an ssh call: the command through `sh` in the home folder.
std::vector<std::string> sshRemoteCommand(const std::string& command);
// The argv that writes stdin to `destination` (creating its folder), checks that all `size` bytes
// arrived and makes it executable.
std::vector<std::string> scpRemoteCommand(const std::string& destination, size_t size);

class KubeTransport {
public:
  KubeTransport(KubeTransportState state, std::filesystem::path mutagenBinary,
                const util::CommandRunner& runner = util::systemRunner());

  // Each returns the exit code for the stand-in to exit with. Problems are thrown (the command
  // prints them on stderr, which Mutagen shows as the session's error); so is a replaced pod,
  // whose connection must wait for the reset.
  int ssh(const std::vector<std::string>& args) const;
  int scp(const std::vector<std::string>& args) const;

  const KubeTransportState& state() const { return state_; }

private:
  struct Target;
  Target resolve(const std::string& host) const;
  // Throws Error when the session must not connect yet (its pod changed; a reset was started).
  void checkPodHistory(const std::string& host, const std::string& uid, const std::string& pod) const;
  void startReset(const std::string& host, const std::string& uid) const;

  KubeTransportState state_;
  std::filesystem::path mutagenBinary_;
  const util::CommandRunner& runner_;
};

}  // namespace gardensync::providers
