#include "gardensync/config/action_parser.h"

#include <map>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "gardensync/config/action_types.h"
#include "gardensync/config/kubernetes_spec.h"
#include "gardensync/config/sync_schema.h"
#include "gardensync/config/template/suggest.h"

namespace gardensync::config {

namespace fs = std::filesystem;

bool isValidIdentifier(std::string_view name) {
  static const std::regex kIdentifier("^[a-z][a-z0-9]*(-[a-z0-9]+)*$");
  return !name.empty() && name.size() <= 63 && std::regex_match(name.begin(), name.end(), kIdentifier);
}

namespace {

// Garden's forms: "<kind>.<name>" and {kind, name}; an empty value (null, "") is ignored, so that
// a template can leave a dependency out.
std::optional<ActionRef> parseDependency(YamlReader& reader, const YAML::Node& node,
                                         const std::string& path) {
  ActionRef ref;
  ref.position = reader.position(node);
  ref.keyPath = path;
  std::string kind;
  if (node.IsNull() || (node.IsScalar() && node.Scalar().empty())) return std::nullopt;
  if (node.IsScalar()) {
    const std::string& text = node.Scalar();
    size_t dot = text.find('.');
    if (dot == std::string::npos) {
      reader.error(node, path, fmt::format("\"{}\" must be written <kind>.<name>, e.g. build.api", text));
      return std::nullopt;
    }
    kind = text.substr(0, dot);
    ref.name = text.substr(dot + 1);
  } else if (node.IsMap()) {
    auto k = reader.string(node, "kind", path, true);
    auto n = reader.string(node, "name", path, true);
    if (!k || !n) return std::nullopt;
    kind = *k;
    ref.name = *n;
  } else {
    reader.error(node, path, "expected <kind>.<name> or {kind, name}");
    return std::nullopt;
  }
  const auto parsed = actionKindFrom(kind);
  if (!parsed) {
    reader.error(node, path, fmt::format("\"{}\" is not an action kind (expected build, deploy, run or test)", kind));
    return std::nullopt;
  }
  ref.kind = *parsed;
  return ref;
}

// A command of an exec action; `spec.shell` (true, or the shell to use) runs it through a shell
// with `-c`, its items joined with spaces, as Garden does.
std::optional<ExecCommand> parseExecCommand(YamlReader& reader, const YAML::Node& spec, const char* key,
                                            const std::optional<std::string>& shell) {
  auto argv = reader.stringList(spec, key, "spec");
  if (!argv) return std::nullopt;
  ExecCommand command;
  command.position = reader.position(YamlReader::child(spec, key));
  if (argv->empty()) return command;
  if (!shell) {
    command.argv = std::move(*argv);
    return command;
  }
  std::string line;
  for (const auto& item : *argv) line += (line.empty() ? "" : " ") + item;
  command.argv = {*shell, "-c", line};
  return command;
}

std::optional<std::string> parseShell(YamlReader& reader, const YAML::Node& spec) {
  const YAML::Node shell = YamlReader::child(spec, "shell");
  if (!shell.IsDefined() || shell.IsNull()) return std::nullopt;
  if (shell.IsScalar() && (shell.Scalar() == "true" || shell.Scalar() == "false")) {
    if (shell.Scalar() == "false") return std::nullopt;
    return std::string("/bin/sh");
  }
  auto path = reader.plainString(spec, "shell", "spec");
  if (path && path->empty()) return std::nullopt;
  return path;
}

void parseExecBuild(YamlReader& reader, const YAML::Node& doc, const YAML::Node& spec, Action& action) {
  action.buildAtSource = reader.boolean(doc, "buildAtSource", "").value_or(false);
  action.timeoutSeconds = 600;  // Garden's default for Builds
  if (auto timeout = reader.integer(doc, "timeout", "")) {
    if (*timeout <= 0) reader.error(YamlReader::child(doc, "timeout"), "timeout", "must be a positive number of seconds");
    else action.timeoutSeconds = *timeout;
  }
  if (!spec.IsDefined() || spec.IsNull() || !reader.isMap(spec, "spec")) return;
  const auto shell = parseShell(reader, spec);
  // Like a container Deploy's command, these may use build outputs, resolved once the builds ran.
  YamlReader::KeepEscapes keep(reader);
  action.execCommand = parseExecCommand(reader, spec, "command", shell);
  if (auto env = reader.stringMap(spec, "env", "spec")) action.env = *env;
}

void parseExecDeploy(YamlReader& reader, const YAML::Node& doc, const YAML::Node& spec, Action& action) {
  if (!spec.IsDefined() || spec.IsNull()) {
    reader.error(doc, "spec.deployCommand", "is required (the command that deploys)");
    return;
  }
  if (!reader.isMap(spec, "spec")) return;
  const auto shell = parseShell(reader, spec);
  YamlReader::KeepEscapes keep(reader);
  action.execCommand = parseExecCommand(reader, spec, "deployCommand", shell);
  if (!YamlReader::child(spec, "deployCommand").IsDefined())
    reader.error(spec, "spec.deployCommand", "is required (the command that deploys)");
  else if (action.execCommand && action.execCommand->argv.empty())
    reader.error(YamlReader::child(spec, "deployCommand"), "spec.deployCommand", "must not be empty");
  action.statusCommand = parseExecCommand(reader, spec, "statusCommand", shell);
  action.cleanupCommand = parseExecCommand(reader, spec, "cleanupCommand", shell);
  if (action.statusCommand && action.statusCommand->argv.empty()) action.statusCommand.reset();
  if (action.cleanupCommand && action.cleanupCommand->argv.empty()) action.cleanupCommand.reset();
  action.persistent = reader.boolean(spec, "persistent", "spec").value_or(false);
  if (auto timeout = reader.integer(spec, "statusTimeout", "spec")) {
    if (*timeout <= 0)
      reader.error(YamlReader::child(spec, "statusTimeout"), "spec.statusTimeout", "must be a positive number of seconds");
    else action.statusTimeoutSeconds = *timeout;
  }
  if (auto env = reader.stringMap(spec, "env", "spec")) action.env = *env;
}

void parseContainerBuild(YamlReader& reader, const YAML::Node& spec, Action& action) {
  if (!spec.IsDefined() || spec.IsNull() || !reader.isMap(spec, "spec")) return;
  if (auto dockerfile = reader.plainString(spec, "dockerfile", "spec")) action.dockerfile = *dockerfile;
  if (auto args = reader.stringMap(spec, "buildArgs", "spec")) action.buildArgs = *args;
  action.targetStage = reader.plainString(spec, "targetStage", "spec");
}

void parsePorts(YamlReader& reader, const YAML::Node& spec, Action& action) {
  YAML::Node ports = YamlReader::child(spec, "ports");
  if (!ports.IsDefined() || ports.IsNull()) return;
  if (!ports.IsSequence()) {
    reader.error(ports, "spec.ports", "expected a list of ports");
    return;
  }
  for (size_t i = 0; i < ports.size(); ++i) {
    const std::string path = YamlReader::index("spec.ports", i);
    if (!reader.isMap(ports[i], path)) continue;
    PortSpec port;
    port.name = reader.plainString(ports[i], "name", path).value_or("");
    auto containerPort = reader.integer(ports[i], "containerPort", path, true);
    if (!containerPort) continue;
    port.containerPort = *containerPort;
    port.hostPort = reader.integer(ports[i], "hostPort", path);
    if (!port.hostPort) port.hostPort = reader.integer(ports[i], "localPort", path);
    port.protocol = reader.plainString(ports[i], "protocol", path).value_or("TCP");
    if (port.protocol != "TCP" && port.protocol != "UDP")
      reader.error(YamlReader::child(ports[i], "protocol"), YamlReader::join(path, "protocol"),
                   fmt::format("\"{}\" is not a protocol (expected TCP or UDP)", port.protocol));
    action.ports.push_back(port);
  }
}

void parseVolumes(YamlReader& reader, const YAML::Node& spec, Action& action) {
  YAML::Node volumes = YamlReader::child(spec, "volumes");
  if (!volumes.IsDefined() || volumes.IsNull()) return;
  if (!volumes.IsSequence()) {
    reader.error(volumes, "spec.volumes", "expected a list of volumes");
    return;
  }
  for (size_t i = 0; i < volumes.size(); ++i) {
    const std::string path = YamlReader::index("spec.volumes", i);
    if (!reader.isMap(volumes[i], path)) continue;
    VolumeSpec volume;
    volume.name = reader.plainString(volumes[i], "name", path).value_or("");
    auto containerPath = reader.plainString(volumes[i], "containerPath", path, true);
    if (!containerPath) continue;
    volume.containerPath = *containerPath;
    if (auto hostPath = reader.plainString(volumes[i], "hostPath", path)) {
      fs::path host = fs::path(*hostPath).is_absolute() ? fs::path(*hostPath) : action.dir / *hostPath;
      volume.hostPath = host.lexically_normal().string();
    }
    action.volumes.push_back(volume);
  }
}

void parseContainerDeploy(YamlReader& reader, const YAML::Node& doc, const YAML::Node& spec,
                          Action& action) {
  // A Deploy may name its Build with `build: <name>`; its image then defaults to that build's.
  const std::optional<std::string> build =
      action.build.empty() ? std::nullopt : std::optional<std::string>(action.build);
  if (!spec.IsDefined() || spec.IsNull()) {
    if (!build) reader.error(doc, "spec.image", "is required (or name a Build with `build:`)");
    else action.image = fmt::format("${{actions.build.{}.outputs.deploymentImageId}}", *build);
    return;
  }
  if (!reader.isMap(spec, "spec")) return;
  {
    // These go through resolveBuildOutputs after the builds have run, which unescapes `$${`.
    YamlReader::KeepEscapes keep(reader);
    if (auto image = reader.plainString(spec, "image", "spec")) action.image = *image;
    else if (build) action.image = fmt::format("${{actions.build.{}.outputs.deploymentImageId}}", *build);
    else if (!YamlReader::child(spec, "image").IsDefined()) reader.error(spec, "spec.image", "is required (or name a Build with `build:`)");
    action.command = reader.stringList(spec, "command", "spec");
    action.args = reader.stringList(spec, "args", "spec");
    if (auto env = reader.stringMap(spec, "env", "spec")) action.env = *env;
  }
  parsePorts(reader, spec, action);
  parseVolumes(reader, spec, action);
}

// A string that may refer to build outputs, with where it is written.
struct TemplatedValue {
  std::string_view text;
  YAML::Node node;
  std::string keyPath;
};

void addListValues(std::vector<TemplatedValue>& values, const std::optional<std::vector<std::string>>& list,
                   const YAML::Node& map, const char* key, const std::string& path) {
  if (!list) return;
  const YAML::Node node = YamlReader::child(map, key);
  const std::string keyPath = YamlReader::join(path, key);
  for (size_t i = 0; i < list->size(); ++i)
    values.push_back({(*list)[i], node.IsSequence() ? node[i] : node, YamlReader::index(keyPath, i)});
}

// The value node of each key of `map`, the first one where a key is written twice (as
// YamlReader::child finds it): one pass, where a child() per key would take quadratic time (a
// Deploy with 40,000 env keys took 56 s to validate).
std::map<std::string, YAML::Node> valueNodesByKey(const YAML::Node& map) {
  std::map<std::string, YAML::Node> values;
  if (!map.IsMap()) return values;
  for (const auto& entry : map)
    if (entry.first.IsScalar()) values.emplace(entry.first.Scalar(), entry.second);
  return values;
}

// Every string of a manifest or of Helm values, with where the document is written.
void addJsonValues(std::vector<TemplatedValue>& values, const nlohmann::json& json, const YAML::Node& node,
                   const std::string& keyPath) {
  if (json.is_string()) {
    values.push_back({json.get_ref<const std::string&>(), node, keyPath});
  } else if (json.is_structured()) {
    for (const auto& item : json) addJsonValues(values, item, node, keyPath);
  }
}

// Builds referenced through `${actions.build.x.outputs.*}` are dependencies, as in Garden.
void addImplicitDependencies(const YamlReader& reader, const YAML::Node& spec, Action& action) {
  std::vector<TemplatedValue> values;
  const YAML::Node manifests = YamlReader::child(spec, "manifests");
  for (size_t i = 0; i < action.manifests.size(); ++i) {
    const bool inline_ = manifests.IsSequence() && i < manifests.size();
    addJsonValues(values, action.manifests[i].body, inline_ ? manifests[i] : YamlReader::child(spec, "files"),
                  inline_ ? YamlReader::index("spec.manifests", i) : "spec.files");
  }
  if (action.helm) addJsonValues(values, action.helm->values, YamlReader::child(spec, "values"), "spec.values");
  values.push_back({action.image, YamlReader::child(spec, "image"), "spec.image"});
  addListValues(values, action.command, spec, "command", "spec");
  addListValues(values, action.args, spec, "args", "spec");
  const auto envNodes = valueNodesByKey(YamlReader::child(spec, "env"));
  for (const auto& [name, value] : action.env) {
    auto node = envNodes.find(name);
    values.push_back({value, node != envNodes.end() ? node->second : YAML::Node(YAML::NodeType::Undefined),
                      YamlReader::join("spec.env", name)});
  }
  if (action.sync) {
    YAML::Node sync = YamlReader::child(spec, "sync");
    addListValues(values, action.sync->command, sync, "command", "spec.sync");
    addListValues(values, action.sync->args, sync, "args", "spec.sync");
  }
  // exec: the written commands (with a shell, the joined line)
  for (const auto* command : {&action.execCommand, &action.statusCommand, &action.cleanupCommand}) {
    if (!*command) continue;
    const char* key = command == &action.execCommand
                          ? (action.kind == ActionKind::Build ? "command" : "deployCommand")
                          : command == &action.statusCommand ? "statusCommand" : "cleanupCommand";
    const YAML::Node node = YamlReader::child(spec, key);
    for (const auto& item : (*command)->argv) values.push_back({item, node, YamlReader::join("spec", key)});
  }
  std::set<std::string> builds;  // already depended on
  for (const auto& dep : action.dependencies)
    if (dep.kind == ActionKind::Build) builds.insert(dep.name);
  for (const auto& value : values) {
    for (const auto& ref : findBuildOutputRefs(value.text)) {
      if (!builds.insert(ref.build).second) continue;
      Position position = value.node.IsDefined() ? reader.position(value.node) : action.position;
      action.dependencies.push_back({ActionKind::Build, ref.build, position, value.keyPath});
    }
  }
}

// The key node of `key` in `map` (for its position), or an undefined node.
YAML::Node keyNode(const YAML::Node& map, std::string_view key) {
  if (map.IsMap())
    for (const auto& entry : map)
      if (entry.first.IsScalar() && entry.first.Scalar() == key) return entry.first;
  return YAML::Node(YAML::NodeType::Undefined);
}

// A `sync:` beside `spec:` or a `paths:` beside `image:` would leave the Deploy without syncs, and
// nothing would say why.
void rejectMisplacedSyncKeys(YamlReader& reader, const YAML::Node& doc, const YAML::Node& spec) {
  if (auto sync = keyNode(doc, "sync"); sync.IsDefined())
    reader.error(sync, "sync", "belongs under spec: write it as spec.sync");
  if (auto paths = keyNode(doc, "paths"); paths.IsDefined())
    reader.error(paths, "paths", "belongs under spec.sync: write it as spec.sync.paths");
  if (auto paths = keyNode(spec, "paths"); paths.IsDefined())
    reader.error(paths, "spec.paths", "belongs under spec.sync: write it as spec.sync.paths");
}

}  // namespace

namespace {

// "container, exec, helm or kubernetes"
std::string typeList(ActionKind kind) {
  const auto types = gardenActionTypes(kind);
  std::string text;
  for (size_t i = 0; i < types.size(); ++i) text += (i == 0 ? "" : i + 1 == types.size() ? " or " : ", ") + types[i];
  return text;
}

void parseStringListKey(YamlReader& reader, const YAML::Node& doc, const char* key,
                        std::optional<std::vector<std::string>>& into) {
  into = reader.stringList(doc, key, "");
}

}  // namespace

std::optional<Action> parseAction(YamlReader& reader, const YAML::Node& doc, const fs::path& file,
                                  const fs::path& projectRoot) {
  Action action;
  action.kind = actionKindFrom(YamlReader::child(doc, "kind").Scalar()).value_or(ActionKind::Build);
  action.configFile = file;
  action.dir = file.parent_path();
  action.position = reader.position(doc);

  auto name = reader.string(doc, "name", "", true);
  auto type = reader.string(doc, "type", "", true);
  if (!name || !type) return std::nullopt;
  action.namePosition = reader.position(YamlReader::child(doc, "name"));
  if (!isValidIdentifier(*name)) {
    reader.error(YamlReader::child(doc, "name"), "name",
                 fmt::format("\"{}\" is not a valid name (lowercase letters, digits and dashes, starting "
                             "with a letter, at most 63 characters)",
                             *name));
    return std::nullopt;
  }
  action.name = *name;
  action.type = *type;
  // Garden's `source.path`: the action's source folder, below the one of its config file.
  const YAML::Node source = YamlReader::child(doc, "source");
  if (source.IsDefined() && !source.IsNull() && reader.isMap(source, "source")) {
    if (auto path = reader.plainString(source, "path", "source"))
      action.dir = (action.dir / *path).lexically_normal();
    if (YamlReader::child(source, "repository").IsDefined())
      reader.warning(YamlReader::child(source, "repository"), "source.repository",
                     "gardensync does not fetch remote sources; the action's folder is used");
  }
  const auto skipReason = skipReasonFor(action.kind, action.type);
  if (!skipReason) {
    const auto types = gardenActionTypes(action.kind);
    const auto closest = closestName(action.type, types);
    reader.error(YamlReader::child(doc, "type"), "type",
                 closest ? fmt::format("{} type \"{}\" is not a Garden action type (did you mean \"{}\"?)",
                                       toString(action.kind), action.type, *closest)
                         : fmt::format("{} type \"{}\" is not a Garden action type (expected {})",
                                       toString(action.kind), action.type, typeList(action.kind)));
    return std::nullopt;
  }
  action.skipReason = *skipReason;

  YAML::Node deps = YamlReader::child(doc, "dependencies");
  if (deps.IsDefined() && !deps.IsNull()) {
    if (!deps.IsSequence()) {
      reader.error(deps, "dependencies", "expected a list such as [build.api]");
    } else {
      for (size_t i = 0; i < deps.size(); ++i)
        if (auto ref = parseDependency(reader, deps[i], YamlReader::index("dependencies", i)))
          action.dependencies.push_back(*ref);
    }
  }
  // Garden's source filters: read and checked (docs/configuration.md says where they apply).
  parseStringListKey(reader, doc, "include", action.include);
  std::optional<std::vector<std::string>> exclude;
  parseStringListKey(reader, doc, "exclude", exclude);
  if (exclude) action.exclude = *exclude;
  // A Deploy, Run or Test may name the Build it uses; it depends on it.
  if (action.kind != ActionKind::Build) {
    if (auto build = reader.string(doc, "build", ""); build && !build->empty()) {
      action.build = *build;
      action.dependencies.push_back(
          {ActionKind::Build, *build, reader.position(YamlReader::child(doc, "build")), "build"});
    }
  }
  if (!action.runs()) return action;  // its spec is for a tool gardensync does not run

  YAML::Node spec = YamlReader::child(doc, "spec");
  if (action.kind == ActionKind::Build) {
    if (action.type == "exec") {
      parseExecBuild(reader, doc, spec, action);
      addImplicitDependencies(reader, spec, action);
    } else {
      parseContainerBuild(reader, spec, action);
    }
    return action;
  }

  if (auto timeout = reader.integer(doc, "timeout", "")) {
    if (*timeout <= 0)
      reader.error(YamlReader::child(doc, "timeout"), "timeout", "must be a positive number of seconds");
    else action.timeoutSeconds = *timeout;
  }
  rejectMisplacedSyncKeys(reader, doc, spec);
  if (action.type == "exec") {
    parseExecDeploy(reader, doc, spec, action);
    addImplicitDependencies(reader, spec, action);
    return action;
  }
  if (action.type == "container") {
    parseContainerDeploy(reader, doc, spec, action);
  } else if (!spec.IsDefined() || spec.IsNull()) {
    if (action.type == "helm") reader.error(doc, "spec.chart.path", "is required (the folder of a local chart)");
  } else if (reader.isMap(spec, "spec")) {
    YAML::Node target = YamlReader::child(spec, "defaultTarget");
    if (target.IsDefined()) action.defaultTarget = parseWorkloadTarget(reader, target, "spec.defaultTarget");
    if (action.type == "kubernetes") parseKubernetesDeploySpec(reader, spec, action, projectRoot);
    else parseHelmDeploySpec(reader, spec, action);
  }
  if (spec.IsMap()) {
    SyncSchemaContext context{action.type, action.dir, projectRoot};
    action.sync = parseSyncConfig(reader, YamlReader::child(spec, "sync"), "spec.sync", context);
  }
  if (action.type != "container" && action.sync && !action.sync->paths.empty() && !action.defaultTarget) {
    for (const auto& path : action.sync->paths) {
      if (path.target) continue;
      reader.error(spec, "spec.defaultTarget",
                   "is required when a sync path names no target (kind and name of the workload to sync with)");
      break;
    }
  }
  addImplicitDependencies(reader, spec, action);
  return action;
}

}  // namespace gardensync::config
