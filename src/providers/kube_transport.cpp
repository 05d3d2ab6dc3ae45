#include "gardensync/providers/kube_transport.h"

#include <fstream>
#include <memory>

#include <fmt/format.h>

#include "gardensync/providers/kube_endpoint.h"
#include "gardensync/providers/kube_targets.h"
#include "gardensync/util/error.h"
#include "gardensync/util/process.h"

namespace gardensync::providers {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// OpenSSH options that take a value (`-p 22`, `-o Opt=v`); every other `-x` is a flag. `-oOpt=v`
// carries its value in the same word.
bool takesValue(char option, bool scp) {
  const std::string_view withValue = scp ? "cFiJloPS" : "BbcDEeFIiJLlmOoPpQRSWw";
  return withValue.find(option) != std::string_view::npos;
}

// The positional arguments after the options.
std::vector<std::string> positionals(const std::vector<std::string>& args, bool scp, const char* tool) {
  size_t i = 0;
  while (i < args.size() && args[i].size() > 1 && args[i][0] == '-') {
    if (args[i] == "--") {
      ++i;
      break;
    }
    const char option = args[i][1];
    if (takesValue(option, scp) && args[i].size() == 2) {
      if (i + 1 >= args.size()) throw UsageError(fmt::format("{}: option {} needs a value", tool, args[i]));
      ++i;
    }
    ++i;
  }
  return {args.begin() + static_cast<long>(i), args.end()};
}

std::string withoutUser(const std::string& target) {
  const size_t at = target.find('@');
  return at == std::string::npos ? target : target.substr(at + 1);
}

std::optional<std::string> readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

SshCall parseSshArgs(const std::vector<std::string>& args) {
  const auto rest = positionals(args, false, "ssh");
  if (rest.size() < 2) throw UsageError("ssh: expected a host and a command (gardensync runs commands, not shells)");
  SshCall call{withoutUser(rest[0]), ""};
  for (size_t i = 1; i < rest.size(); ++i) call.command += (i > 1 ? " " : "") + rest[i];  // as ssh joins them
  return call;
}

ScpCall parseScpArgs(const std::vector<std::string>& args) {
  const auto rest = positionals(args, true, "scp");
  if (rest.size() != 2) throw UsageError("scp: expected one local file and one <host>:<path> destination");
  const std::string target = withoutUser(rest[1]);
  const size_t colon = target.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == target.size())
    throw UsageError(fmt::format("scp: the destination {} is not <host>:<path>", rest[1]));
  return {rest[0], target.substr(0, colon), target.substr(colon + 1)};
}

std::vector<std::string> sshRemoteCommand(const std::string& command) {
  // What an ssh server does: the user's shell runs the line in the home folder. The line is
  // Mutagen's own (`uname -s -m`, `.mutagen/agents/<version>/mutagen-agent synchronizer ...`).
  return {"sh", "-c", "cd \"${HOME:-/}\" || exit 1; exec sh -c \"$1\"", "gardensync-ssh", command};
}

std::vector<std::string> scpRemoteCommand(const std::string& destination, size_t size) {
  // No tar or scp needed in the image: the file arrives on stdin. kubectl exec can lose stdin
  // that ends early, so the received size is checked: a short agent is removed and the copy
  // fails, rather than leaving a truncated binary Mutagen would try to run.
  return {"sh", "-c",
          "cd \"${HOME:-/}\" || exit 1; case \"$1\" in */*) mkdir -p \"${1%/*}\" || exit 1;; esac; "
          "cat > \"$1\" || exit 1; n=$(wc -c < \"$1\"); "
          "if [ \"$n\" -ne \"$2\" ]; then rm -f \"$1\"; echo \"received $n of $2 bytes\" >&2; exit 1; fi; "
          "chmod +x \"$1\"",
          "gardensync-scp", destination, std::to_string(size)};
}

struct KubeTransport::Target {
  KubeEndpoint endpoint;
  KubeWorkload workload;
  std::unique_ptr<KubectlCli> kubectl;
  PodChoice pod;
};

KubeTransport::KubeTransport(KubeTransportState state, fs::path mutagenBinary, const util::CommandRunner& runner)
    : state_(std::move(state)), mutagenBinary_(std::move(mutagenBinary)), runner_(runner) {}

KubeTransport::Target KubeTransport::resolve(const std::string& host) const {
  auto endpoint = parseHost(host);
  if (!endpoint)
    throw UsageError(fmt::format("{} is not a host gardensync's Kubernetes transport wrote", host),
                     "only sessions that gardensync created use this ssh stand-in");
  Target target;
  target.endpoint = *endpoint;
  if (endpoint->kind == "selector") target.workload.podSelector = state_.readSelector(endpoint->name);
  else target.workload = {workloadKind(endpoint->kind), endpoint->name, {}};
  target.kubectl = std::make_unique<KubectlCli>(state_.readConnection(endpoint->connection), runner_);
  // A connection right after a pod died waits for its replacement rather than fail at once.
  target.pod = KubeTargets(*target.kubectl).await(endpoint->ns, target.workload, endpoint->container, 20s);
  return target;
}

void KubeTransport::startReset(const std::string& host, const std::string& uid) const {
  const std::vector<std::string> argv{util::selfExecutable().string(), "__kube-transport", "--state", state_.dir().string(),
                                      "--mutagen", mutagenBinary_.string(), "reset", host, uid};
  util::spawnDetached(argv, {}, state_.dir() / "transport.log");
}

void KubeTransport::checkPodHistory(const std::string& host, const std::string& uid, const std::string& pod) const {
  const auto record = state_.readPod(host);
  if (!record) {
    state_.writePod(host, uid, false);
    return;
  }
  if (record->uid == uid && !record->resetPending) return;
  const std::string hint = "nothing to do: the sync connects again on its own once its history is reset";
  if (record->uid == uid) {
    // A worker that died leaves the reset pending forever: start another after a while.
    if (fs::file_time_type::clock::now() - record->written > 60s) {
      state_.writePod(host, uid, true);
      startReset(host, uid);
    }
    throw Error(fmt::format("pod {} replaced the pod this sync used; waiting for the sync's history to be reset", pod),
                hint);
  }
  state_.writePod(host, uid, true);
  startReset(host, uid);
  throw Error(fmt::format("pod {} replaced the pod this sync used; resetting the sync's history so that files missing "
                          "in the new pod are not taken as deleted",
                          pod),
              hint);
}

int KubeTransport::ssh(const std::vector<std::string>& args) const {
  const SshCall call = parseSshArgs(args);
  Target target = resolve(call.host);
  checkPodHistory(call.host, target.pod.uid, target.pod.name);
  const auto argv = target.kubectl->execArgv(target.endpoint.ns, target.pod.name, target.pod.container,
                                             sshRemoteCommand(call.command), true);
  // kubectl exec gets our stdin and stdout: the agent's stream to Mutagen.
  return util::runInteractive(argv, {});
}

int KubeTransport::scp(const std::vector<std::string>& args) const {
  const ScpCall call = parseScpArgs(args);
  auto content = readFile(call.source);
  if (!content) throw Error(fmt::format("scp: cannot read {}", call.source));
  Target target = resolve(call.host);
  // The container runtime's exec stream can drop stdin that arrives before the command reads it
  // (seen with containerd: a few percent of short copies arrive empty); the remote side notices
  // the short file, so a copy is tried a few times before it counts as failed.
  constexpr int kAttempts = 3;
  util::ProcessResult result;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    result = target.kubectl->exec(target.endpoint.ns, target.pod.name, target.pod.container,
                                  scpRemoteCommand(call.destination, content->size()), 5min, *content);
    if (result.ok()) return 0;
    if (result.stderrText.find("received ") == std::string::npos) break;  // not a short copy
  }
  throw ToolError(fmt::format("copying {} to pod {} (container {}) in {} failed", call.source, target.pod.name,
                              target.pod.container, target.kubectl->where(target.endpoint.ns)),
                  "kubectl exec --stdin ... sh -c 'cat > " + call.destination + "'", result.stderrText,
                  "the container needs sh, cat, chmod and a writable home folder for Mutagen's agent");
}

}  // namespace gardensync::providers
