#include "gardensync/config/module_conversion.h"

#include <map>
#include <set>

#include <fmt/format.h>

#include "gardensync/config/yaml_text.h"

namespace gardensync::config {

namespace fs = std::filesystem;

namespace {

using Node = YAML::Node;

Node child(const Node& map, const char* key) { return YamlReader::child(map, key); }

std::string scalarOf(const Node& map, const char* key) {
  const Node node = child(map, key);
  return node.IsScalar() ? node.Scalar() : std::string();
}

bool present(const Node& node) { return node.IsDefined() && !node.IsNull(); }

// Module types with a conversion, and those whose actions gardensync skips (by the action kind
// and type Garden gives them).
const std::set<std::string> kConverted{"container", "kubernetes", "helm", "exec"};
const std::map<std::string, std::pair<const char*, const char*>> kSkippedTypes{
    {"terraform", {"Deploy", "terraform"}},
    {"pulumi", {"Deploy", "pulumi"}},
    {"persistentvolumeclaim", {"Deploy", "persistentvolumeclaim"}},
    {"configmap", {"Deploy", "configmap"}},
    {"jib-container", {"Build", "jib-container"}},
};

// The names a Module gives its services and tasks: what `dependencies: [name]` of another module
// refers to.
struct RuntimeNames {
  std::set<std::string> deploys;
  std::set<std::string> runs;
};

void collectNames(const Node& module, RuntimeNames& names) {
  const std::string type = scalarOf(module, "type");
  const Node spec = module;  // a Module's spec keys are at its top level
  const std::string name = scalarOf(module, "name");
  if (type == "container" || type == "exec") {
    const Node services = child(spec, "services");
    if (services.IsSequence())
      for (const auto& service : services)
        if (!scalarOf(service, "name").empty()) names.deploys.insert(scalarOf(service, "name"));
  } else if (!name.empty() && !(type == "helm" && scalarOf(module, "skipDeploy") == "true")) {
    names.deploys.insert(name);
  }
  const Node tasks = child(spec, "tasks");
  if (tasks.IsSequence())
    for (const auto& task : tasks)
      if (!scalarOf(task, "name").empty()) names.runs.insert(scalarOf(task, "name"));
}

// Builds the action documents of one Module from fresh copies of its nodes.
class ModuleConverter {
public:
  ModuleConverter(const SourceDocument& source, const RuntimeNames& names, std::vector<SourceDocument>& out)
      : source_(source), names_(names), out_(out) {}

  void convert() {
    const std::string type = scalarOf(source_.document, "type");
    name_ = scalarOf(source_.document, "name");
    if (type == "container") convertContainer();
    else if (type == "exec") convertExec();
    else if (type == "kubernetes" || type == "helm") convertKubernetes(type);
    else convertSkipped(type);
  }

private:
  // The Module, parsed again: every action gets its own nodes, since rendering changes them in
  // place, and parsing keeps their positions.
  Node fresh() const {
    const auto documents = loadYamlDocuments(source_.file);
    return source_.index < documents.size() ? documents[source_.index] : Node(YAML::NodeType::Map);
  }

  // A new action document with the module-wide keys Garden copies onto each action.
  Node action(const Node& module, const char* kind, const std::string& type, const std::string& name,
              SourceDocument& into) {
    Node doc(YAML::NodeType::Map);
    doc["kind"] = kind;
    doc["type"] = type;
    doc["name"] = name;
    into.origins.emplace_back(doc, module);
    into.origins.emplace_back(doc["kind"], child(module, "kind"));
    into.origins.emplace_back(doc["type"], child(module, "type"));
    into.origins.emplace_back(doc["name"], child(module, "name"));
    for (const char* key : {"disabled", "variables", "description"})
      if (present(child(module, key))) doc[key] = child(module, key);
    if (present(child(module, "varfile"))) {
      Node varfiles(YAML::NodeType::Sequence);
      varfiles.push_back(child(module, "varfile"));
      doc["varfiles"] = varfiles;
      into.origins.emplace_back(varfiles, child(module, "varfile"));
    }
    return doc;
  }

  SourceDocument document() const {
    SourceDocument doc;
    doc.file = source_.file;
    doc.display = source_.display;
    doc.index = source_.index;
    return doc;
  }

  void emit(SourceDocument&& doc, const Node& action) {
    doc.document = action;
    out_.push_back(std::move(doc));
  }

  // Copies `from[key]` to `to[as]` when written.
  static void copy(const Node& from, const char* key, Node to, const char* as = nullptr) {
    const Node value = child(from, key);
    if (present(value)) to[as ? as : key] = value;
  }

  // `dependencies: [name]` of a service or task: `deploy.<name>` or `run.<name>`.
  Node runtimeDependencies(const Node& written, const std::vector<std::string>& extra, SourceDocument& into,
                           const Node& origin) const {
    Node list(YAML::NodeType::Sequence);
    into.origins.emplace_back(list, present(written) ? written : origin);
    for (const auto& key : extra) {
      list.push_back(key);
      into.origins.emplace_back(list[list.size() - 1], origin);
    }
    if (written.IsSequence())
      for (const auto& item : written) {
        if (!item.IsScalar()) continue;
        const std::string name = item.Scalar();
        const bool run = !names_.deploys.count(name) && names_.runs.count(name);
        list.push_back((run ? "run." : "deploy.") + name);
        into.origins.emplace_back(list[list.size() - 1], item);
      }
    return list;
  }

  // `build.dependencies` of the module: names or {name, copy}.
  std::vector<std::string> buildDependencies(const Node& module) const {
    std::vector<std::string> keys;
    const Node deps = child(child(module, "build"), "dependencies");
    if (deps.IsSequence())
      for (const auto& dep : deps) {
        const std::string name = dep.IsScalar() ? dep.Scalar() : scalarOf(dep, "name");
        if (!name.empty()) keys.push_back("build." + name);
      }
    return keys;
  }

  // A `devMode` / `sync` of Garden 0.12 ({command, args, sync: [paths]}) or 0.13 ({command, args,
  // paths}) as a container Deploy's `spec.sync`.
  Node containerSync(const Node& service, SourceDocument& into) const {
    const Node written = present(child(service, "sync")) ? child(service, "sync") : child(service, "devMode");
    if (!written.IsMap()) return Node(YAML::NodeType::Undefined);
    Node sync(YAML::NodeType::Map);
    into.origins.emplace_back(sync, written);
    copy(written, "command", sync);
    copy(written, "args", sync);
    copy(written, "paths", sync);
    copy(written, "sync", sync, "paths");
    return sync;
  }

  // Sync paths of a kubernetes or helm module ({source, target, mode, ...}) in the form of a
  // kubernetes Deploy ({sourcePath, containerPath, ...}); the target is the defaultTarget.
  Node kubernetesSync(const Node& module, SourceDocument& into) const {
    const Node written = present(child(module, "sync")) ? child(module, "sync") : child(module, "devMode");
    if (!written.IsMap()) return Node(YAML::NodeType::Undefined);
    Node sync(YAML::NodeType::Map);
    into.origins.emplace_back(sync, written);
    Node paths(YAML::NodeType::Sequence);
    const Node writtenPaths = present(child(written, "paths")) ? child(written, "paths") : child(written, "sync");
    into.origins.emplace_back(paths, present(writtenPaths) ? writtenPaths : written);
    if (writtenPaths.IsSequence())
      for (const auto& path : writtenPaths) {
        if (!path.IsMap()) {
          paths.push_back(path);
          continue;
        }
        Node converted(YAML::NodeType::Map);
        into.origins.emplace_back(converted, path);
        for (const auto& entry : path) {
          const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string();
          converted[key == "source" ? "sourcePath" : key == "target" ? "containerPath" : key] = entry.second;
        }
        paths.push_back(converted);
      }
    sync["paths"] = paths;
    if (present(child(written, "command")) || present(child(written, "args"))) {
      Node override_(YAML::NodeType::Map);
      into.origins.emplace_back(override_, written);
      copy(written, "command", override_);
      copy(written, "args", override_);
      Node overrides(YAML::NodeType::Sequence);
      overrides.push_back(override_);
      into.origins.emplace_back(overrides, written);
      sync["overrides"] = overrides;
    }
    return sync;
  }

  // Everything of a written entry but the keys the action takes elsewhere.
  static Node specFrom(const Node& written, const std::set<std::string>& taken, SourceDocument& into) {
    Node spec(YAML::NodeType::Map);
    into.origins.emplace_back(spec, written);
    if (written.IsMap())
      for (const auto& entry : written)
        if (entry.first.IsScalar() && !taken.count(entry.first.Scalar())) spec[entry.first.Scalar()] = entry.second;
    return spec;
  }

  void convertContainer() {
    const fs::path dir = source_.file.parent_path();
    Node module = fresh();
    const std::string dockerfile = scalarOf(module, "dockerfile");
    std::error_code ec;
    const bool built = !dockerfile.empty() || fs::exists(dir / "Dockerfile", ec);
    if (built) {
      SourceDocument into = document();
      Node build = action(module, "Build", "container", name_, into);
      copy(module, "include", build);
      copy(module, "exclude", build);
      const auto deps = buildDependencies(module);
      if (!deps.empty()) build["dependencies"] = runtimeDependencies(Node(), deps, into, child(module, "build"));
      Node spec(YAML::NodeType::Map);
      into.origins.emplace_back(spec, module);
      copy(module, "dockerfile", spec);
      copy(module, "buildArgs", spec);
      copy(child(module, "build"), "targetImage", spec, "targetStage");
      if (spec.size() > 0) build["spec"] = spec;
      emit(std::move(into), build);
    }
    const std::set<std::string> taken{"name", "dependencies", "disabled", "devMode", "sync", "timeout"};
    runtimeEntries(module, "services", [&](const Node&, size_t i) {
      Node fresh_ = fresh();
      const Node written = child(fresh_, "services")[i];
      SourceDocument into = document();
      Node deploy = action(fresh_, "Deploy", "container", scalarOf(written, "name"), into);
      if (built) setBuild(deploy, fresh_, into);
      deploy["dependencies"] = runtimeDependencies(child(written, "dependencies"), {}, into, written);
      if (present(child(written, "disabled"))) deploy["disabled"] = child(written, "disabled");
      copy(written, "timeout", deploy);
      Node spec = specFrom(written, taken, into);
      if (!built) copy(fresh_, "image", spec);
      if (Node sync = containerSync(written, into); sync.IsDefined()) spec["sync"] = sync;
      deploy["spec"] = spec;
      emit(std::move(into), deploy);
    });
    runtimeActions(module, built ? name_ : std::string(), "container", "container", built ? nullptr : "image");
  }

  void convertExec() {
    Node module = fresh();
    const Node build = child(module, "build");
    const bool hasEntries = (child(module, "services").IsSequence() && child(module, "services").size() > 0) ||
                            (child(module, "tasks").IsSequence() && child(module, "tasks").size() > 0) ||
                            (child(module, "tests").IsSequence() && child(module, "tests").size() > 0);
    const bool built = present(child(build, "command")) || !hasEntries;
    if (built) {
      SourceDocument into = document();
      Node action_ = action(module, "Build", "exec", name_, into);
      copy(module, "include", action_);
      copy(module, "exclude", action_);
      copy(module, "local", action_, "buildAtSource");
      copy(build, "timeout", action_);
      const auto deps = buildDependencies(module);
      if (!deps.empty()) action_["dependencies"] = runtimeDependencies(Node(), deps, into, build);
      Node spec(YAML::NodeType::Map);
      into.origins.emplace_back(spec, module);
      spec["shell"] = true;  // Garden's conversion keeps the pre-0.13 shell behaviour
      into.origins.emplace_back(spec["shell"], module);
      copy(build, "command", spec);
      copy(module, "env", spec);
      action_["spec"] = spec;
      emit(std::move(into), action_);
    }
    runtimeEntries(module, "services", [&](const Node&, size_t i) {
      Node fresh_ = fresh();
      const Node written = child(fresh_, "services")[i];
      SourceDocument into = document();
      Node deploy = action(fresh_, "Deploy", "exec", scalarOf(written, "name"), into);
      if (built) setBuild(deploy, fresh_, into);
      deploy["dependencies"] = runtimeDependencies(child(written, "dependencies"), built ? std::vector<std::string>{} : buildDependencies(fresh_), into, written);
      if (present(child(written, "disabled"))) deploy["disabled"] = child(written, "disabled");
      copy(written, "timeout", deploy);
      Node spec(YAML::NodeType::Map);
      into.origins.emplace_back(spec, written);
      spec["shell"] = true;
      into.origins.emplace_back(spec["shell"], written);
      copy(written, "deployCommand", spec);
      copy(written, "statusCommand", spec);
      copy(written, "cleanupCommand", spec);
      spec["env"] = mergedEnv(child(fresh_, "env"), child(written, "env"), into, written);
      // Garden: a service with devMode (syncMode) runs persistently in sync mode, with its commands.
      const Node syncMode = present(child(written, "syncMode")) ? child(written, "syncMode") : child(written, "devMode");
      if (syncMode.IsMap()) {
        spec["persistent"] = "${this.mode == 'sync'}";
        into.origins.emplace_back(spec["persistent"], syncMode);
        for (const auto& [key, from] : {std::pair{"deployCommand", "command"}, std::pair{"statusCommand", "statusCommand"}}) {
          if (!present(child(syncMode, from))) continue;
          Node choice(YAML::NodeType::Map);
          into.origins.emplace_back(choice, child(syncMode, from));
          choice["$if"] = "${this.mode == 'sync'}";
          into.origins.emplace_back(choice["$if"], syncMode);
          choice["$then"] = child(syncMode, from);
          if (present(child(written, key))) choice["$else"] = child(written, key);
          spec[key] = choice;
        }
        copy(syncMode, "timeout", spec, "statusTimeout");
      }
      deploy["spec"] = spec;
      emit(std::move(into), deploy);
    });
    runtimeActions(module, built ? name_ : std::string(), "exec", "exec", nullptr);
  }

  void convertKubernetes(const std::string& type) {
    Node module = fresh();
    if (type == "helm" && scalarOf(module, "skipDeploy") == "true") {
      runtimeActions(module, std::string(), "helm-pod", type, nullptr);
      return;
    }
    SourceDocument into = document();
    Node deploy = action(module, "Deploy", type, name_, into);
    const Node resource = child(module, "serviceResource");
    std::vector<std::string> extra = buildDependencies(module);
    if (!scalarOf(resource, "containerModule").empty()) extra.push_back("build." + scalarOf(resource, "containerModule"));
    deploy["dependencies"] = runtimeDependencies(child(module, "dependencies"), extra, into, module);
    copy(module, "timeout", deploy);
    Node spec(YAML::NodeType::Map);
    into.origins.emplace_back(spec, module);
    copy(module, "namespace", spec);
    if (type == "kubernetes") {
      copy(module, "manifests", spec);
      copy(module, "files", spec);
      copy(module, "kustomize", spec);
    } else {
      Node chart(YAML::NodeType::Map);
      into.origins.emplace_back(chart, present(child(module, "chart")) ? child(module, "chart") : module);
      if (present(child(module, "chart"))) {
        copy(module, "chart", chart, "name");
        copy(module, "repo", chart);
        copy(module, "version", chart);
      } else if (present(child(module, "chartPath"))) {
        copy(module, "chartPath", chart, "path");
      } else {
        chart["path"] = ".";
        into.origins.emplace_back(chart["path"], module);
      }
      spec["chart"] = chart;
      copy(module, "values", spec);
      copy(module, "valueFiles", spec);
      copy(module, "releaseName", spec);
    }
    if (resource.IsMap()) {
      Node target(YAML::NodeType::Map);
      into.origins.emplace_back(target, resource);
      for (const char* key : {"kind", "name", "containerName", "podSelector"}) copy(resource, key, target);
      spec["defaultTarget"] = target;
    }
    if (Node sync = kubernetesSync(module, into); sync.IsDefined()) spec["sync"] = sync;
    deploy["spec"] = spec;
    emit(std::move(into), deploy);
    runtimeActions(module, std::string(), type == "helm" ? "helm-pod" : "kubernetes-pod", type, nullptr);
  }

  void convertSkipped(const std::string& type) {
    const auto it = kSkippedTypes.find(type);
    if (it == kSkippedTypes.end()) return;
    Node module = fresh();
    SourceDocument into = document();
    Node doc = action(module, it->second.first, it->second.second, name_, into);
    if (std::string(it->second.first) == "Deploy")
      doc["dependencies"] = runtimeDependencies(child(module, "dependencies"), buildDependencies(module), into, module);
    emit(std::move(into), doc);
  }

  // `build:` the Build made of this module.
  void setBuild(Node action_, const Node& module, SourceDocument& into) const {
    action_["build"] = name_;
    into.origins.emplace_back(action_["build"], child(module, "name"));
  }

  // `env` of the module with a service's over it, as Garden folds them.
  static Node mergedEnv(const Node& moduleEnv, const Node& ownEnv, SourceDocument& into, const Node& origin) {
    Node env(YAML::NodeType::Map);
    into.origins.emplace_back(env, present(ownEnv) ? ownEnv : present(moduleEnv) ? moduleEnv : origin);
    for (const Node& from : {moduleEnv, ownEnv})
      if (from.IsMap())
        for (const auto& entry : from)
          if (entry.first.IsScalar()) env[entry.first.Scalar()] = entry.second;
    return env;
  }

  template <typename F>
  void runtimeEntries(const Node& module, const char* key, F each) {
    const Node entries = child(module, key);
    if (!entries.IsSequence()) return;
    for (size_t i = 0; i < entries.size(); ++i)
      if (entries[i].IsMap()) each(entries[i], i);
  }

  // Runs (from `tasks`) and Tests (`<module>-<test>`, from `tests`) of a module, which gardensync
  // loads and skips. `imageKey`: the module key that gives their image when nothing is built.
  void runtimeActions(const Node& module, const std::string& build, const std::string& type,
                      const std::string& moduleType, const char* imageKey) {
    for (const auto& [key, kind] : {std::pair{"tasks", "Run"}, std::pair{"tests", "Test"}}) {
      runtimeEntries(module, key, [&, key = key, kind = kind](const Node&, size_t i) {
        Node fresh_ = fresh();
        const Node written = child(fresh_, key)[i];
        SourceDocument into = document();
        const std::string entryName = scalarOf(written, "name");
        const std::string name = std::string(kind) == "Test" ? name_ + "-" + entryName : entryName;
        Node doc = action(fresh_, kind, type, name, into);
        if (!build.empty()) setBuild(doc, fresh_, into);
        doc["dependencies"] = runtimeDependencies(child(written, "dependencies"), {}, into, written);
        if (present(child(written, "disabled"))) doc["disabled"] = child(written, "disabled");
        Node spec = specFrom(written, {"name", "dependencies", "disabled", "timeout"}, into);
        if (imageKey) copy(fresh_, imageKey, spec);
        if (moduleType == "exec") spec["env"] = mergedEnv(child(fresh_, "env"), child(written, "env"), into, written);
        doc["spec"] = spec;
        emit(std::move(into), doc);
      });
    }
  }

  const SourceDocument& source_;
  const RuntimeNames& names_;
  std::vector<SourceDocument>& out_;
  std::string name_;
};

bool isModule(const SourceDocument& source) {
  return source.document.IsMap() && scalarOf(source.document, "kind") == "Module";
}

}  // namespace

std::vector<SourceDocument> convertModules(const std::vector<SourceDocument>& documents, Diagnostics& diagnostics) {
  RuntimeNames names;
  for (const auto& source : documents)
    if (isModule(source)) collectNames(source.document, names);
  std::vector<SourceDocument> result;
  for (const auto& source : documents) {
    const std::string type = isModule(source) ? scalarOf(source.document, "type") : std::string();
    if (!isModule(source) || !(kConverted.count(type) || kSkippedTypes.count(type))) {
      result.push_back(source);
      continue;
    }
    YamlReader reader(source.display, diagnostics, nullptr);
    if (scalarOf(source.document, "name").empty()) {
      reader.error(source.document, "name", "is required");
      continue;
    }
    try {
      ModuleConverter(source, names, result).convert();
    } catch (const YAML::Exception& e) {
      reader.error(source.document, "", fmt::format("cannot read this Module again: {}", e.what()));
    }
  }
  return result;
}

}  // namespace gardensync::config
