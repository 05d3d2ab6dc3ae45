#include "gardensync/providers/agent_probe.h"

#include <algorithm>

#include "gardensync/util/text.h"

namespace gardensync::providers {

std::vector<std::string> agentProbeCommand() {
  return {"sh", "-c",
          "for tool in uname id cat chmod; do command -v \"$tool\" >/dev/null 2>&1 || echo \"missing $tool\"; done; "
          "if [ -z \"$HOME\" ]; then echo 'no HOME'; elif [ ! -d \"$HOME\" ]; then echo \"HOME $HOME does not exist\"; "
          "elif [ ! -w \"$HOME\" ]; then echo \"HOME $HOME is not writable\"; fi"};
}

AgentProbeResult readAgentProbe(const util::ProcessResult& result) {
  if (!result.ok()) {
    const std::string reason = util::trimEnd(result.stderrText + result.stdoutText);
    // docker and kubectl exit 126/127 when the command (here `sh`) cannot be started.
    if (result.exitCode == 126 || result.exitCode == 127 || reason.find("executable file not found") != std::string::npos ||
        reason.find("no such file or directory") != std::string::npos)
      return {true, "it has no shell (sh)"};
    return {false, reason};
  }
  std::string problems = util::trimEnd(result.stdoutText);
  std::replace(problems.begin(), problems.end(), '\n', ',');
  return {true, problems};
}

std::string agentHostHint() {
  return "Mutagen's agent needs a shell, uname, id, cat, chmod and a writable HOME in the container; use an image "
         "with a shell (busybox, alpine, debian), not scratch or distroless, and give a non-root user a home folder";
}

}  // namespace gardensync::providers
