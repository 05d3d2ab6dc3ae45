#include "gardensync/cli/helper_commands.h"

#include <unistd.h>

#include <cstdlib>
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
#include "gardensync/util/file_lock.h"
#include "gardensync/util/process_info.h"
#include "gardensync/util/termination.h"
#include "gardensync/watch/watch_loop.h"
#include "gardensync/watch/watcher_process.h"
#include "gardensync/watch/watcher_record.h"

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

// The project's watcher process (watch/watch_loop.h), started detached by watcher_control.
int watchFiles(const std::vector<std::string>& args) {
  fs::path dataDir, mutagenBinary;
  std::string project;
  for (size_t i = 1; i < args.size(); i += 2) {
    if (i + 1 >= args.size()) throw UsageError(fmt::format("{}: {} needs a value", watch::kWatchCommand, args[i]));
    if (args[i] == "--data-dir") dataDir = args[i + 1];
    else if (args[i] == "--mutagen") mutagenBinary = args[i + 1];
    else if (args[i] == "--project") project = args[i + 1];
    else throw UsageError(fmt::format("{}: unknown option {}", watch::kWatchCommand, args[i]));
  }
  if (dataDir.empty() || mutagenBinary.empty() || project.empty())
    throw UsageError("__watch --data-dir <dir> --mutagen <binary> --project <name>",
                     "gardensync starts this itself (deploy --sync, sync start); it is not run by hand");
  const util::InterruptWatch stop;  // SIGTERM from `sync stop` ends the loop, not the process
  auto lock = util::FileLock::tryLock(watch::watcherLockPath(dataDir));
  if (!lock) {
    spdlog::info("another watcher runs for this project; exiting");
    return 0;
  }
  spdlog::default_logger()->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$: %v");
  const int self = ::getpid();
  const mutagen::MutagenCli cli(mutagenBinary, dataDir);
  const mutagen::SessionClient client(cli);
  watch::WatchOptions options;
  options.project = project;
  options.dataDir = dataDir;
  // GARDENSYNC_WATCHER_SAFETY_FLUSH: seconds between flushes of idle sessions, 0 for none.
  if (const char* value = std::getenv("GARDENSYNC_WATCHER_SAFETY_FLUSH"); value && *value) {
    char* end = nullptr;
    const long seconds = std::strtol(value, &end, 10);
    if (*end || seconds < 0) throw UsageError(fmt::format("GARDENSYNC_WATCHER_SAFETY_FLUSH is not a number of seconds: {}", value));
    options.debounce.safetyInterval = std::chrono::seconds(seconds);
  }
  options.stopRequested = [&stop] { return stop.requested(); };
  options.note = [](const std::string& text) { spdlog::info("{}", text); };
  options.onWatching = [&] {
    auto info = util::readProcessInfo(self);
    watch::writeRecord(dataDir, {self, info ? info->startTime : 0, info && !info->argv.empty() ? info->argv[0] : "",
                                 dataDir.string()});
  };
  spdlog::info("watcher {} started for project {}", self, project);
  try {
    watch::runWatchLoop(client, options);
  } catch (...) {
    if (auto record = watch::readRecord(dataDir); record && record->pid == self) watch::removeRecord(dataDir);
    throw;
  }
  if (auto record = watch::readRecord(dataDir); record && record->pid == self) watch::removeRecord(dataDir);
  spdlog::info("watcher {} stopped", self);
  return 0;
}

}  // namespace

std::optional<int> runHelperCommand(const std::vector<std::string>& args) {
  if (args.empty() || (args[0] != "__kube-transport" && args[0] != "__helm-post-render" && args[0] != watch::kWatchCommand))
    return std::nullopt;
  // stdout belongs to the caller (Mutagen's agent stream, helm's objects): messages go to stderr.
  ui::initLogging("info");
  const util::TerminationSignals signals;  // a SIGTERM reaches kubectl too
  try {
    if (args[0] == watch::kWatchCommand) return watchFiles(args);
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
