#include "gardensync/sync/plan.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gardensync/config/action_graph.h"
#include "gardensync/config/template/suggest.h"
#include "gardensync/sync/mode_mapping.h"
#include "gardensync/sync/path_safety.h"
#include "gardensync/util/error.h"
#include "gardensync/util/hash.h"

namespace gardensync::sync {

using config::Action;
using config::ProjectConfig;

namespace {

std::string octal(unsigned bits) { return fmt::format("{:04o}", bits); }

// Mutagen reads a bare number as a user name; numeric ids are written `id:<n>`.
std::string mutagenOwner(const std::string& value) {
  const bool numeric = std::all_of(value.begin(), value.end(), ::isdigit);
  return numeric ? "id:" + value : value;
}

std::vector<std::string> mergedIgnores(const std::vector<std::string>& defaults,
                                       const std::vector<std::string>& own) {
  std::vector<std::string> merged;
  for (const auto* list : {&defaults, &own})
    for (const auto& pattern : *list)
      if (std::find(merged.begin(), merged.end(), pattern) == merged.end()) merged.push_back(pattern);
  return merged;
}

std::string specHash(const PlannedSession& session) {
  nlohmann::json spec = toJson(session);
  spec.erase("labels");
  spec.erase("name");
  // Whether the watcher serves the session is part of it: turning the watcher on or off replaces
  // the sessions it concerns, the reverse ones included.
  if (auto watcher = session.labels.find(kWatcherLabel); watcher != session.labels.end())
    spec["watcher"] = watcher->second;
  return util::sha256Hex(spec.dump()).substr(0, 16);
}

}  // namespace

std::vector<PlannedSession> planSessions(const ProjectConfig& config, const std::vector<const Action*>& deploys,
                                         const EndpointFunction& endpoint, const PlanOptions& options) {
  const config::SyncDefaults& defaults = config.provider.syncDefaults;
  std::vector<PlannedSession> sessions;
  for (const Action* deploy : deploys) {
    if (!deploy->sync) continue;
    for (size_t i = 0; i < deploy->sync->paths.size(); ++i) {
      const config::SyncPath& path = deploy->sync->paths[i];
      checkSyncPathSafety(path, i, config.project.root);
      const MutagenMode mapped = toMutagen(path.mode);
      const std::string local = path.localPath.string();

      PlannedSession session;
      session.deploy = deploy->name;
      session.name = fmt::format("{}-{}", deploy->name, i);
      const std::string remote = endpoint(*deploy, path, session.name);
      session.gardenMode = std::string(config::canonicalName(path.mode));
      session.mode = std::string(mapped.mode);
      session.alpha = mapped.containerIsAlpha ? remote : local;
      session.beta = mapped.containerIsAlpha ? local : remote;
      session.ignore = mergedIgnores(defaults.exclude, path.exclude);
      // Per-path settings win over the provider's defaults.
      if (auto owner = path.defaultOwner ? path.defaultOwner : defaults.owner) session.defaultOwner = mutagenOwner(*owner);
      if (auto group = path.defaultGroup ? path.defaultGroup : defaults.group) session.defaultGroup = mutagenOwner(*group);
      if (auto bits = path.defaultFileMode ? path.defaultFileMode : defaults.fileMode) session.defaultFileMode = octal(*bits);
      if (auto bits = path.defaultDirectoryMode ? path.defaultDirectoryMode : defaults.directoryMode)
        session.defaultDirectoryMode = octal(*bits);
      session.syncMode = path.mode;
      session.containerIsAlpha = mapped.containerIsAlpha;
      session.localPath = path.localPath;
      session.localPathIsExplicit = std::filesystem::path(path.source).is_absolute();
      session.containerPath = path.containerPath;
      session.pathIndex = i;
      session.localWatcher = options.watcher && !mapped.containerIsAlpha;
      if (options.umask && localSideReceives(path.mode)) {
        // Mutagen refuses zero modes (and executable bits in file modes: 0666 has none).
        if (unsigned bits = 0666u & ~*options.umask) session.localFileMode = octal(bits);
        if (unsigned bits = 0777u & ~*options.umask) session.localDirectoryMode = octal(bits);
      }
      session.labels = {{kProjectLabel, config.project.name},
                        {kDeployLabel, deploy->name},
                        {kGardenModeLabel, session.gardenMode},
                        {kWatcherLabel, session.localWatcher || (options.watcher && localSideReceives(path.mode)) ? "on" : "off"}};
      session.labels[kSpecHashLabel] = specHash(session);
      sessions.push_back(std::move(session));
    }
  }
  return sessions;
}

std::vector<const Action*> selectSyncDeploys(const ProjectConfig& config, const std::vector<std::string>& names) {
  const bool all = names.empty() || std::find(names.begin(), names.end(), "*") != names.end();
  std::vector<const Action*> selected;
  if (all) {
    for (const Action* deploy : config.deploys())
      if (deploy->sync && !deploy->sync->paths.empty()) selected.push_back(deploy);
    return selected;
  }
  for (const auto& name : names) {
    const Action* deploy = config.find(config::ActionKind::Deploy, name);
    if (!deploy) {
      std::string known;
      std::vector<std::string> candidates;
      for (const Action* d : config.deploys()) {
        known += (known.empty() ? "" : ", ") + d->name;
        candidates.push_back(d->name);
      }
      const auto close = config::closestName(name, candidates);
      throw UsageError(fmt::format("no Deploy named \"{}\"{}", name,
                                   close ? fmt::format(" (did you mean \"{}\"?)", *close) : ""),
                       known.empty() ? "this project has no Deploy actions" : "Deploys: " + known);
    }
    // An exec Deploy has no paths to sync, but Garden's sync mode changes what it runs
    // (`${this.mode}`): naming it deploys it in sync mode.
    if (deploy->type != "exec" && (!deploy->sync || deploy->sync->paths.empty()))
      throw UsageError(fmt::format("Deploy \"{}\" has no spec.sync.paths", name),
                       fmt::format("add spec.sync.paths to {} or leave it out of --sync", deploy->configFile.filename().string()));
    if (std::find(selected.begin(), selected.end(), deploy) == selected.end()) selected.push_back(deploy);
  }
  return selected;
}

nlohmann::json toJson(const PlannedSession& session) {
  auto optional = [](const std::optional<std::string>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
  };
  return {
      {"deploy", session.deploy},
      {"name", session.name},
      {"labels", session.labels},
      {"gardenMode", session.gardenMode},
      {"mode", session.mode},
      {"alpha", session.alpha},
      {"beta", session.beta},
      {"ignore", session.ignore},
      {"defaultOwner", optional(session.defaultOwner)},
      {"defaultGroup", optional(session.defaultGroup)},
      {"defaultFileMode", optional(session.defaultFileMode)},
      {"defaultDirectoryMode", optional(session.defaultDirectoryMode)},
      {"localFileMode", optional(session.localFileMode)},
      {"localDirectoryMode", optional(session.localDirectoryMode)},
      {"localWatcher", session.localWatcher},
  };
}

nlohmann::json afterSyncJson(const ProjectConfig& config, const std::vector<PlannedSession>& sessions) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& session : sessions) {
    const Action* deploy = config.find(config::ActionKind::Deploy, session.deploy);
    if (!deploy || !deploy->sync || session.pathIndex >= deploy->sync->paths.size()) continue;
    const auto& after = deploy->sync->paths[session.pathIndex].afterSync;
    if (!after) continue;
    list.push_back({{"deploy", session.deploy},
                    {"session", session.name},
                    {"run", after->run.empty() ? nlohmann::json(nullptr) : nlohmann::json(after->run)},
                    {"restart", after->restart}});
  }
  return list;
}

nlohmann::json rebuildOnJson(const ProjectConfig& config, const std::vector<PlannedSession>& sessions) {
  nlohmann::json list = nlohmann::json::array();
  std::vector<std::string> seen;
  for (const auto& session : sessions) {
    if (std::find(seen.begin(), seen.end(), session.deploy) != seen.end()) continue;
    seen.push_back(session.deploy);
    const Action* deploy = config.find(config::ActionKind::Deploy, session.deploy);
    if (!deploy || !deploy->sync || deploy->sync->rebuildOn.empty()) continue;
    const Action* build = config::rebuildBuildOf(*deploy, config.actions);
    if (!build) continue;
    list.push_back({{"deploy", deploy->name},
                    {"build", build->name},
                    {"folder", build->dir.string()},
                    {"patterns", deploy->sync->rebuildOn}});
  }
  return list;
}

}  // namespace gardensync::sync
