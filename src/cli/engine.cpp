#include "gardensync/cli/engine.h"

#include "gardensync/cli/watcher_control.h"

#include <optional>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "gardensync/mutagen/data_dir_pruning.h"
#include "gardensync/ui/progress.h"
#include "gardensync/util/error.h"
#include "gardensync/util/home_dir.h"
#include "gardensync/util/process.h"

namespace gardensync::cli {

std::filesystem::path requireHome() {
  if (auto dir = util::homeDirectory()) return *dir;
  throw Error("cannot find the home directory", "set HOME");
}

Engine openEngine(Context& context, bool startDaemon, bool revive) {
  const config::ProjectIdentity project = context.identity();
  mutagen::InstallOptions install = mutagen::installOptionsFromEnvironment();
  std::optional<ui::ByteProgress> progress;
  install.onStatus = [&progress](const std::string& message) {
    if (progress) {  // end the bar's line before the next message
      progress->finish();
      progress.reset();
    }
    spdlog::info("{}", message);
  };
  install.download.onProgress = [&progress](const mutagen::DownloadProgress& p) {
    if (!progress) progress.emplace("downloading Mutagen");
    progress->update(p.received, p.total);
  };
  install.download.onRetry = [](const std::string& message) { spdlog::warn("{}", message); };

  Engine engine;
  engine.tool = mutagen::ensureMutagen(install);
  if (progress) progress->finish();
  engine.dataDir = mutagen::prepareDataDir(project.root, requireHome(), engine.tool.binary);
  for (const auto& removed : mutagen::pruneVanishedProjects(requireHome(), engine.dataDir.path))
    spdlog::info("removed {}: the Mutagen data of a project whose folder no longer exists", removed.string());
  engine.mutagen = std::make_unique<mutagen::MutagenCli>(engine.tool.binary, engine.dataDir.path);
  spdlog::debug("Mutagen {} with data directory {}", engine.tool.binary.string(), engine.dataDir.path.string());
  engine.transport = {engine.dataDir.path, engine.tool.binary, util::selfExecutable()};
  std::optional<std::map<std::string, std::string>> environment;
  if (context.configLoaded())
    environment = providers::makeProvider(context.project())->prepareTransport(engine.transport);
  if (startDaemon) {
    engine.mutagen->ensureDaemon(environment);
    if (revive) reviveWatcher(engine, project.name);
  }
  return engine;
}

}  // namespace gardensync::cli
