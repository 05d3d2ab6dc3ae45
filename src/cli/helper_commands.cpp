#include "gardensync/cli/helper_commands.h"

#include <fstream>
#include <iostream>
#include <iterator>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "gardensync/mutagen/mutagen_cli.h"
#include "gardensync/mutagen/sessions.h"
#include "gardensync/providers/helm_post_render.h"
#include "gardensync/providers/kube_transport.h"
#include "gardensync/sync/plan.h"
#include "gardensync/ui/output.h"
#include "gardensync/util/error.h"
#include "gardensync/util/termination.h"

namespace gardensync::cli {

namespace fs = std::filesystem;

namespace {

// Resets the history of the sessions synced through `host`, then records `uid` as their pod. A
// one-way-replica-reverse session keeps its history: its local side mirrors the container, so
// after a reset an empty new pod would empty the local folder, while with its history Mutagen's
// safety check halts the session instead (root emptied) and `sync status` says what to do.
//
// `mutagen sync reset` reconnects the session as part of the reset, and the ssh stand-in refuses
// connections to the new pod until the reset is done. So the sessions are paused first (no
// connection attempt is left that could still use the old history), the new pod is accepted,
// and only then are they reset and resumed.
int resetSessions(const providers::KubeTransport& transport, const fs::path& mutagenBinary, const std::string& host,
                  const std::string& uid) {
  const mutagen::MutagenCli cli(mutagenBinary, transport.state().dataDir());
  const mutagen::SessionClient client(cli);
  std::vector<std::string> ids;
  for (const auto& session : client.list()) {
    if (session.alpha.host != host && session.beta.host != host) continue;
    auto mode = session.labels.find(sync::kGardenModeLabel);
    if (mode != session.labels.end() && mode->second == "one-way-replica-reverse") {
      spdlog::warn("sync {}: its pod was replaced; keeping its history (one-way-replica-reverse)", session.name);
      continue;
    }
    spdlog::info("sync {}: its pod was replaced; resetting its history", session.name);
    ids.push_back(session.identifier);
  }
  client.pause(ids);
  transport.state().writePod(host, uid, false);
  client.reset(ids);
  client.resume(ids);
  return 0;
}

int kubeTransport(const std::vector<std::string>& args) {
  fs::path stateDir, mutagenBinary;
  size_t i = 1;
  for (; i + 1 < args.size() && args[i].starts_with("--"); i += 2) {
    if (args[i] == "--state") stateDir = args[i + 1];
    else if (args[i] == "--mutagen") mutagenBinary = args[i + 1];
    else throw UsageError(fmt::format("__kube-transport: unknown option {}", args[i]));
  }
  if (stateDir.empty() || mutagenBinary.empty() || i >= args.size())
    throw UsageError("__kube-transport --state <dir> --mutagen <binary> ssh|scp|reset <arguments>",
                     "this command is run by Mutagen through gardensync's ssh stand-in, not by hand");
  const providers::KubeTransport transport(providers::KubeTransportState(stateDir.parent_path()), mutagenBinary);
  const std::string mode = args[i];
  const std::vector<std::string> rest(args.begin() + static_cast<long>(i) + 1, args.end());
  if (mode == "ssh") return transport.ssh(rest);
  if (mode == "scp") return transport.scp(rest);
  if (mode == "reset" && rest.size() == 2) return resetSessions(transport, mutagenBinary, rest[0], rest[1]);
  throw UsageError(fmt::format("__kube-transport: unknown mode {}", mode));
}

int helmPostRender(const std::vector<std::string>& args) {
  if (args.size() != 2) throw UsageError("__helm-post-render <spec file>", "helm runs this as its post-renderer");
  std::ifstream in(args[1]);
  auto spec = nlohmann::json::parse(std::string(std::istreambuf_iterator<char>(in), {}), nullptr, false);
  if (!spec.is_object()) throw Error(fmt::format("the post-renderer spec {} is missing or damaged", args[1]));
  const std::string rendered(std::istreambuf_iterator<char>(std::cin), {});
  ui::printLine(providers::postRender(rendered, spec));
  return 0;
}

}  // namespace

std::optional<int> runHelperCommand(const std::vector<std::string>& args) {
  if (args.empty() || (args[0] != "__kube-transport" && args[0] != "__helm-post-render")) return std::nullopt;
  // stdout belongs to the caller (Mutagen's agent stream, helm's objects): messages go to stderr.
  ui::initLogging("info");
  const util::TerminationSignals signals;  // a SIGTERM reaches kubectl too
  try {
    return args[0] == "__kube-transport" ? kubeTransport(args) : helmPostRender(args);
  } catch (const ToolError& e) {
    ui::printError(fmt::format("{}\n  command: {}\n  stderr: {}", e.what(), e.command(), e.stderrText()), e.hint());
  } catch (const Error& e) {
    ui::printError(e.what(), e.hint());
  } catch (const std::exception& e) {
    ui::printError(e.what());
  }
  return 1;
}

}  // namespace gardensync::cli
