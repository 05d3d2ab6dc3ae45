#include "gardensync/config/sync_schema.h"

#include <algorithm>
#include <regex>

#include <fmt/format.h>

#include "gardensync/config/template/suggest.h"
#include "gardensync/util/text.h"

namespace gardensync::config {

namespace fs = std::filesystem;

namespace {

const std::set<std::string> kWorkloadKinds{"Deployment", "StatefulSet", "DaemonSet", "Pod"};

// Kubernetes' rules for object names (DNS-1123 subdomains) and container names (DNS-1123
// labels); a name breaking them could never match, and the sync transport writes names into the
// endpoint it gives Mutagen.
bool isObjectName(const std::string& name) {
  static const std::regex kName("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  return name.size() <= 253 && std::regex_match(name, kName);
}

bool isContainerName(const std::string& name) {
  static const std::regex kLabel("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
  return name.size() <= 63 && std::regex_match(name, kLabel);
}

// Mutagen's `--ignore` flag splits its value on commas, so such a pattern would silently turn
// into two different ones.
void checkExcludes(YamlReader& reader, const YAML::Node& list, const std::string& keyPath,
                   const std::vector<std::string>& patterns) {
  for (size_t i = 0; i < patterns.size(); ++i) {
    if (patterns[i].empty())
      reader.error(list[i], YamlReader::index(keyPath, i), "an exclude pattern must not be empty");
    else if (patterns[i].find(',') != std::string::npos)
      reader.error(list[i], YamlReader::index(keyPath, i),
                   fmt::format("\"{}\" contains a comma, which Mutagen's --ignore treats as a "
                               "separator; write one pattern per list entry",
                               patterns[i]));
  }
}

// `exclude` of a sync path or of provider defaults: a list of non-empty, comma-free patterns.
std::vector<std::string> readExcludes(YamlReader& reader, const YAML::Node& map, const std::string& path) {
  auto exclude = reader.plainStringList(map, "exclude", path);
  if (!exclude) return {};
  checkExcludes(reader, YamlReader::child(map, "exclude"), YamlReader::join(path, "exclude"), *exclude);
  return *exclude;
}

bool escapesRoot(const fs::path& path, const fs::path& root) {
  auto rel = path.lexically_relative(root);
  return rel.empty() || *rel.begin() == "..";
}

// Reads a value that Garden accepts under two names (`source`/`sourcePath`, `target`/`containerPath`).
std::optional<std::string> eitherSpelling(YamlReader& reader, const YAML::Node& entry,
                                          const std::string& path, const char* first,
                                          const char* second) {
  YAML::Node a = YamlReader::child(entry, first);
  YAML::Node b = YamlReader::child(entry, second);
  if (a.IsDefined() && b.IsDefined()) {
    reader.error(b, YamlReader::join(path, second),
                 fmt::format("give either \"{}\" or \"{}\", not both", first, second));
    return std::nullopt;
  }
  return reader.plainString(entry, a.IsDefined() ? first : second, path);
}

bool sendsNothingToContainer(SyncMode mode) {
  return mode == SyncMode::OneWayReverse || mode == SyncMode::OneWayReplicaReverse;
}

// `afterSync` of a sync path (gardensync's own key): `run: [argv]` or `restart: true`.
std::optional<AfterSync> parseAfterSync(YamlReader& reader, const YAML::Node& node, const std::string& path,
                                        SyncMode mode) {
  if (!reader.isMap(node, path)) return std::nullopt;
  reader.rejectUnknownKeys(node, path, {"run", "restart"});
  if (sendsNothingToContainer(mode)) {
    reader.error(node, path,
                 fmt::format("after-sync actions run once changes have reached the container, and in mode {} "
                             "nothing goes to the container (it syncs container to local); remove afterSync or "
                             "choose a mode that syncs to the container",
                             canonicalName(mode)));
    return std::nullopt;
  }
  AfterSync after;
  after.position = reader.position(node);
  const YAML::Node runNode = YamlReader::child(node, "run");
  const YAML::Node restartNode = YamlReader::child(node, "restart");
  if (runNode.IsDefined() && runNode.IsScalar()) {
    // A shell line would need a shell the container may lack, and quoting gardensync would guess.
    reader.error(runNode, YamlReader::join(path, "run"),
                 fmt::format("expected the command as a list of arguments, got \"{}\" (write [sh, -c, \"...\"] for a "
                             "shell command)",
                             runNode.Scalar()));
    return std::nullopt;
  }
  auto run = reader.plainStringList(node, "run", path);
  auto restart = reader.boolean(node, "restart", path);
  if (runNode.IsDefined() && !run) return std::nullopt;
  if (restartNode.IsDefined() && !restart) return std::nullopt;
  if (run && restartNode.IsDefined()) {
    reader.error(restartNode, YamlReader::join(path, "restart"),
                 "give either run or restart, not both (a restart would interrupt the command)");
    return std::nullopt;
  }
  if (run) {
    if (run->empty() || run->front().empty()) {
      reader.error(runNode, YamlReader::join(path, "run"),
                   run->empty() ? "must name a command: [program, arguments...]" : "the program must not be empty");
      return std::nullopt;
    }
    after.run = std::move(*run);
    return after;
  }
  if (!restart) {
    // A misspelt key was reported already, with the name it was probably meant to be.
    if (node.size() == 0) reader.error(node, path, "needs run (a command to run in the container) or restart: true");
    return std::nullopt;
  }
  after.restart = *restart;
  return after;
}

// `rebuildOn` patterns: relative globs below the Build's folder.
void checkRebuildOn(YamlReader& reader, const YAML::Node& list, const std::string& keyPath,
                    const std::vector<std::string>& patterns) {
  for (size_t i = 0; i < patterns.size(); ++i) {
    const std::string& pattern = patterns[i];
    const std::string at = YamlReader::index(keyPath, i);
    const fs::path asPath(pattern);
    std::string problem;
    if (pattern.empty()) problem = "a pattern must not be empty";
    else if (asPath.is_absolute() || pattern.front() == '/')
      problem = fmt::format("\"{}\" must be relative to the Build's source folder", pattern);
    else if (std::any_of(asPath.begin(), asPath.end(), [](const fs::path& part) { return part == ".."; }))
      problem = fmt::format("\"{}\" must stay inside the Build's source folder (no \"..\")", pattern);
    else if (pattern.find('\\') != std::string::npos)
      problem = fmt::format("\"{}\" contains a backslash; separate folders with \"/\"", pattern);
    else if (std::count(pattern.begin(), pattern.end(), '[') != std::count(pattern.begin(), pattern.end(), ']'))
      problem = fmt::format("\"{}\" has an unbalanced \"[\" or \"]\"", pattern);
    if (!problem.empty()) reader.error(list[i], at, problem);
  }
}

std::optional<SyncPath> parseSyncPath(YamlReader& reader, const YAML::Node& entry,
                                      const std::string& path, const SyncSchemaContext& context) {
  if (!reader.isMap(entry, path)) return std::nullopt;
  const bool container = context.deployType == "container";
  // Garden's kubernetes/helm sync paths know only `sourcePath`, and their `target` is a workload.
  std::set<std::string> allowed{"sourcePath", "containerPath",   "mode",
                                "exclude",    "defaultOwner",    "defaultGroup",
                                "target",     "defaultFileMode", "defaultDirectoryMode",
                                "afterSync"};
  if (container) allowed.insert("source");
  reader.rejectUnknownKeys(entry, path, allowed, {{"source", "sourcePath"}});

  SyncPath sync;
  sync.position = reader.position(entry);

  // `target` is the container path for container Deploys and a workload for kubernetes/helm.
  std::optional<std::string> containerPath;
  if (container) {
    containerPath = eitherSpelling(reader, entry, path, "target", "containerPath");
  } else {
    containerPath = reader.plainString(entry, "containerPath", path);
    YAML::Node target = YamlReader::child(entry, "target");
    if (target.IsScalar())
      reader.error(target, YamlReader::join(path, "target"),
                   fmt::format("expected a workload {{kind, name, containerName}}, got \"{}\" (the path in the "
                               "container is containerPath)",
                               target.Scalar()));
    else if (target.IsDefined())
      sync.target = parseWorkloadTarget(reader, target, YamlReader::join(path, "target"));
  }
  // Where a missing or bad container path is reported: the spelling used, else the main one.
  const char* targetKey =
      container && !YamlReader::child(entry, "containerPath").IsDefined() ? "target" : "containerPath";
  YAML::Node targetNode = YamlReader::child(entry, targetKey);
  if (!containerPath) {
    if (!targetNode.IsDefined())
      reader.error(entry, YamlReader::join(path, targetKey),
                   container ? "is required (the absolute path in the container; also spelled containerPath)"
                             : "is required (the absolute path in the container)");
  } else if (containerPath->empty() || containerPath->front() != '/') {
    reader.error(targetNode, YamlReader::join(path, targetKey),
                 fmt::format("\"{}\" must be an absolute path in the container", *containerPath));
  } else if (fs::path(*containerPath).lexically_normal() == "/") {
    reader.error(targetNode, YamlReader::join(path, targetKey),
                 "must not be \"/\": syncing the container's root would overwrite its system files");
  } else if (auto problem = util::pathLengthProblem(*containerPath)) {
    reader.error(targetNode, YamlReader::join(path, targetKey), *problem);
  } else {
    std::string normalized = fs::path(*containerPath).lexically_normal().generic_string();
    if (normalized.size() > 1 && normalized.back() == '/') normalized.pop_back();
    sync.containerPath = normalized;
  }

  const char* sourceKey = container && YamlReader::child(entry, "source").IsDefined() ? "source" : "sourcePath";
  auto source = container ? eitherSpelling(reader, entry, path, "source", "sourcePath")
                          : reader.plainString(entry, "sourcePath", path);
  // Garden's schema default: the action's own folder.
  sync.source = source.value_or(".");
  if (sync.source.empty()) sync.source = ".";
  fs::path local = fs::path(sync.source).is_absolute() ? fs::path(sync.source)
                                                        : context.actionDir / sync.source;
  sync.localPath = local.lexically_normal();
  if (sync.localPath.has_filename() == false && sync.localPath != sync.localPath.root_path())
    sync.localPath = sync.localPath.parent_path();
  YAML::Node sourceNode = YamlReader::child(entry, sourceKey);
  std::error_code missing;
  bool sourceMissing = false;
  if (auto problem = util::pathLengthProblem(sync.localPath.string())) {
    reader.error(sourceNode.IsDefined() ? sourceNode : entry, YamlReader::join(path, sourceKey), *problem);
  } else if (!fs::path(sync.source).is_absolute() && escapesRoot(sync.localPath, context.projectRoot)) {
    reader.error(sourceNode.IsDefined() ? sourceNode : entry, YamlReader::join(path, sourceKey),
                 fmt::format("\"{}\" resolves to {}, outside the project root {}; reverse and replica "
                             "modes would write there (use an absolute path if that is intended)",
                             sync.source, sync.localPath.string(), context.projectRoot.string()));
  } else {
    sourceMissing = !fs::exists(sync.localPath, missing);
  }

  if (auto mode = reader.string(entry, "mode", path)) {
    if (auto parsed = parseSyncMode(*mode)) {
      sync.mode = *parsed;
    } else {
      std::vector<std::string> names;
      const std::string all = acceptedSyncModeNames();  // "one-way, one-way-safe, ..."
      for (size_t start = 0; start < all.size();) {
        const size_t end = std::min(all.find(", ", start), all.size());
        names.push_back(all.substr(start, end - start));
        start = end + 2;
      }
      const auto close = closestName(*mode, names);
      reader.error(YamlReader::child(entry, "mode"), YamlReader::join(path, "mode"),
                   fmt::format("\"{}\" is not a sync mode ({}expected one of: {})", *mode,
                               close ? fmt::format("did you mean \"{}\"? ", *close) : "", acceptedSyncModeNames()));
    }
  } else {
    sync.mode = kDefaultSyncMode;
  }
  // The reverse modes fill the local folder from the container: deploy creates it.
  if (sourceMissing && !sendsNothingToContainer(sync.mode))
    reader.warning(sourceNode.IsDefined() ? sourceNode : entry, YamlReader::join(path, sourceKey),
                   fmt::format("{} does not exist; deploy will refuse to sync it", sync.localPath.string()));

  sync.exclude = readExcludes(reader, entry, path);
  sync.defaultOwner = reader.ownerOrGroup(entry, "defaultOwner", path);
  sync.defaultGroup = reader.ownerOrGroup(entry, "defaultGroup", path);
  sync.defaultFileMode = reader.permissionBits(entry, "defaultFileMode", path);
  sync.defaultDirectoryMode = reader.permissionBits(entry, "defaultDirectoryMode", path);
  YAML::Node afterSync = YamlReader::child(entry, "afterSync");
  if (afterSync.IsDefined() && !afterSync.IsNull())
    sync.afterSync = parseAfterSync(reader, afterSync, YamlReader::join(path, "afterSync"), sync.mode);
  return sync;
}

std::optional<SyncOverride> parseOverride(YamlReader& reader, const YAML::Node& entry,
                                          const std::string& path) {
  if (!reader.isMap(entry, path)) return std::nullopt;
  reader.rejectUnknownKeys(entry, path, {"command", "args", "target"});
  SyncOverride override;
  override.command = reader.stringList(entry, "command", path);
  override.args = reader.stringList(entry, "args", path);
  YAML::Node target = YamlReader::child(entry, "target");
  if (target.IsDefined()) override.target = parseWorkloadTarget(reader, target, YamlReader::join(path, "target"));
  return override;
}

}  // namespace

std::optional<WorkloadTarget> parseWorkloadTarget(YamlReader& reader, const YAML::Node& node,
                                                  const std::string& keyPath) {
  if (!reader.isMap(node, keyPath)) return std::nullopt;
  reader.rejectUnknownKeys(node, keyPath, {"kind", "name", "containerName", "podSelector"});
  WorkloadTarget target;
  target.containerName = reader.plainString(node, "containerName", keyPath).value_or("");
  if (!target.containerName.empty() && !isContainerName(target.containerName)) {
    reader.error(YamlReader::child(node, "containerName"), YamlReader::join(keyPath, "containerName"),
                 fmt::format("\"{}\" is not a valid container name (lowercase letters, digits and dashes, at most 63 "
                             "characters)",
                             target.containerName));
    return std::nullopt;
  }
  // Garden's two forms: a workload by kind and name, or the pods matching a label selector.
  const YAML::Node selector = YamlReader::child(node, "podSelector");
  if (selector.IsDefined()) {
    for (const char* key : {"kind", "name"})
      if (YamlReader::child(node, key).IsDefined()) {
        reader.error(YamlReader::child(node, key), YamlReader::join(keyPath, key),
                     "give either kind and name, or podSelector, not both");
        return std::nullopt;
      }
    auto labels = reader.stringMap(node, "podSelector", keyPath);
    if (!labels) return std::nullopt;
    if (labels->empty()) {
      reader.error(selector, YamlReader::join(keyPath, "podSelector"), "must name at least one label");
      return std::nullopt;
    }
    for (const auto& [key, value] : *labels) {
      const std::string path = YamlReader::join(YamlReader::join(keyPath, "podSelector"), key);
      if (!reader.checkPlainText(selector, path, key) || !reader.checkPlainText(selector, path, value)) return std::nullopt;
      target.podSelector[key] = value;
    }
    return target;
  }
  auto kind = reader.plainString(node, "kind", keyPath, true);
  auto name = reader.plainString(node, "name", keyPath, true);
  if (!kind || !name) return std::nullopt;
  if (!kWorkloadKinds.count(*kind)) {
    reader.error(YamlReader::child(node, "kind"), YamlReader::join(keyPath, "kind"),
                 fmt::format("\"{}\" is not a workload kind (expected one of: Deployment, StatefulSet, "
                             "DaemonSet, Pod)",
                             *kind));
    return std::nullopt;
  }
  if (!isObjectName(*name)) {
    reader.error(YamlReader::child(node, "name"), YamlReader::join(keyPath, "name"),
                 fmt::format("\"{}\" is not a valid Kubernetes name (lowercase letters, digits, dashes and dots)", *name));
    return std::nullopt;
  }
  target.kind = *kind;
  target.name = *name;
  return target;
}

std::optional<SyncConfig> parseSyncConfig(YamlReader& reader, const YAML::Node& node,
                                          const std::string& keyPath, const SyncSchemaContext& context) {
  if (!node.IsDefined() || node.IsNull()) return std::nullopt;
  if (node.IsSequence()) {
    reader.error(node, keyPath,
                 fmt::format("expected a mapping, got a list: write the sync paths under {}.paths", keyPath));
    return std::nullopt;
  }
  if (!reader.isMap(node, keyPath)) return std::nullopt;
  const bool container = context.deployType == "container";
  if (container) reader.rejectUnknownKeys(node, keyPath, {"paths", "command", "args", "rebuildOn"});
  else reader.rejectUnknownKeys(node, keyPath, {"paths", "overrides", "rebuildOn"});

  SyncConfig sync;
  YAML::Node paths = YamlReader::child(node, "paths");
  const std::string pathsKey = YamlReader::join(keyPath, "paths");
  if (paths.IsDefined() && !paths.IsNull()) {
    if (!paths.IsSequence()) {
      reader.error(paths, pathsKey, "expected a list of sync paths");
    } else {
      for (size_t i = 0; i < paths.size(); ++i)
        if (auto path = parseSyncPath(reader, paths[i], YamlReader::index(pathsKey, i), context))
          sync.paths.push_back(std::move(*path));
    }
  }
  if (auto rebuildOn = reader.plainStringList(node, "rebuildOn", keyPath)) {
    const YAML::Node list = YamlReader::child(node, "rebuildOn");
    checkRebuildOn(reader, list, YamlReader::join(keyPath, "rebuildOn"), *rebuildOn);
    sync.rebuildOn = std::move(*rebuildOn);
    sync.rebuildOnPosition = reader.position(list);
  }
  if (container) {
    // Resolved again after the builds have run (resolveBuildOutputs), which unescapes `$${`.
    YamlReader::KeepEscapes keep(reader);
    sync.command = reader.stringList(node, "command", keyPath);
    sync.args = reader.stringList(node, "args", keyPath);
  } else {
    YAML::Node overrides = YamlReader::child(node, "overrides");
    const std::string overridesKey = YamlReader::join(keyPath, "overrides");
    if (overrides.IsDefined() && !overrides.IsNull()) {
      if (!overrides.IsSequence()) {
        reader.error(overrides, overridesKey, "expected a list of overrides");
      } else {
        for (size_t i = 0; i < overrides.size(); ++i)
          if (auto o = parseOverride(reader, overrides[i], YamlReader::index(overridesKey, i)))
            sync.overrides.push_back(std::move(*o));
      }
    }
  }
  return sync;
}

SyncDefaults parseSyncDefaults(YamlReader& reader, const YAML::Node& node, const std::string& keyPath) {
  SyncDefaults defaults;
  if (!node.IsDefined() || node.IsNull() || !reader.isMap(node, keyPath)) return defaults;
  reader.rejectUnknownKeys(node, keyPath, {"exclude", "owner", "group", "fileMode", "directoryMode"});
  defaults.exclude = readExcludes(reader, node, keyPath);
  defaults.owner = reader.ownerOrGroup(node, "owner", keyPath);
  defaults.group = reader.ownerOrGroup(node, "group", keyPath);
  defaults.fileMode = reader.permissionBits(node, "fileMode", keyPath);
  defaults.directoryMode = reader.permissionBits(node, "directoryMode", keyPath);
  return defaults;
}

}  // namespace gardensync::config
