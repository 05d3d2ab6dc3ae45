// Whether a container can host Mutagen's agent, checked before a sync starts so the user gets a
// plain answer instead of Mutagen's install error. Mutagen's docker and ssh transports both copy
// the agent into `$HOME/.mutagen` and run it through `sh`, probing with `uname` first
// (mutagen-io/mutagen pkg/agent/install.go, probe.go); the ssh transport as gardensync drives it
// for Kubernetes also needs `cat` and `chmod` to receive the file. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gardensync/util/process.h"

namespace gardensync::providers {

// The command to run in the container (through docker exec or kubectl exec).
std::vector<std::string> agentProbeCommand();

struct AgentProbeResult {
  bool probeRan = true;  // false: the probe itself failed (the output is in `problem`)
  std::string problem;   // empty: the container can host the agent
};

// Reads the probe's result: "it has no shell (sh)", "missing uname", "HOME /root is not writable".
AgentProbeResult readAgentProbe(const util::ProcessResult& result);

// What to do about a container that cannot host the agent.
std::string agentHostHint();

}  // namespace gardensync::providers
