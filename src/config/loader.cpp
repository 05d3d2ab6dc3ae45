#include "gardensync/config/loader.h"

#include <algorithm>
#include <cstdlib>
#include <regex>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "gardensync/config/action_graph.h"
#include "gardensync/config/action_parser.h"
#include "gardensync/config/config_templates.h"
#include "gardensync/config/file_scan.h"
#include "gardensync/config/module_conversion.h"
#include "gardensync/config/sync_schema.h"
#include "gardensync/config/template/config_render.h"
#include "gardensync/config/variables.h"
#include "gardensync/config/yaml_reader.h"
#include "gardensync/config/yaml_text.h"
#include "gardensync/util/error.h"
#include "gardensync/util/text.h"

namespace gardensync::config {

namespace fs = std::filesystem;

namespace {

// Kinds Garden knows that gardensync reads past, in the order error messages list them.
const std::vector<std::string> kSkippedKinds{"Workflow", "Module", "Command"};

// The kinds read as actions.
const char* const kActionKinds[] = {"Build", "Deploy", "Run", "Test"};

bool isSkippedKind(const std::string& kind) {
  return std::find(kSkippedKinds.begin(), kSkippedKinds.end(), kind) != kSkippedKinds.end();
}

// "Project, Build, Deploy, Run, ... or RenderTemplate"
std::string knownKinds() {
  std::string list = "Project";
  for (const char* kind : kActionKinds) list += std::string(", ") + kind;
  for (const auto& kind : kSkippedKinds) list += ", " + kind;
  list += ", ConfigTemplate or RenderTemplate";  // rendered before this (config_templates.h)
  return list;
}

const std::set<std::string> kDeployProviders{"local-docker", "kubernetes", "local-kubernetes"};

struct ParsedFile {
  fs::path path;
  std::string display;
  std::vector<YAML::Node> documents;
};

// A YAML syntax error becomes a positioned issue and the file contributes no documents.
ParsedFile parseFile(const fs::path& path, const fs::path& root, Diagnostics& diagnostics) {
  ParsedFile parsed{path, util::displayPath(path, root), {}};
  try {
    parsed.documents = loadYamlDocuments(path);
  } catch (const YAML::ParserException& e) {
    diagnostics.errors.push_back({parsed.display, e.mark.line + 1, e.mark.column + 1, "",
                                  fmt::format("YAML syntax error: {}", e.msg)});
  } catch (const YAML::BadFile&) {
    diagnostics.errors.push_back({parsed.display, 0, 0, "", "cannot be read"});
  }
  return parsed;
}

std::string kindOf(const YAML::Node& doc) {
  YAML::Node kind = YamlReader::child(doc, "kind");
  return kind.IsScalar() ? kind.Scalar() : std::string();
}

bool hasProjectDocument(const fs::path& file) {
  try {
    for (const auto& doc : loadYamlDocuments(file))
      if (doc.IsMap() && kindOf(doc) == "Project") return true;
  } catch (const YAML::Exception&) {
    return file.filename() == "project.garden.yml" || file.filename() == "project.garden.yaml";
  }
  return false;
}

std::optional<fs::path> projectFileIn(const fs::path& dir) {
  for (const char* name : kProjectFileNames) {
    fs::path candidate = dir / name;
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec) && hasProjectDocument(candidate)) return candidate;
  }
  return std::nullopt;
}

// The variables of a Project or an environment, as written (variables.h).
std::vector<VariableDefinition> parseVariables(YamlReader& reader, const YAML::Node& map, const std::string& path) {
  return parseVariableDefinitions(reader, map, path);
}

std::map<std::string, std::string> asMap(const std::vector<VariableDefinition>& definitions) {
  std::map<std::string, std::string> variables;
  for (const auto& definition : definitions)
    variables[definition.name] = definition.value.is_string() ? definition.value.get<std::string>()
                                                              : tmpl::toJson(definition.value);
  return variables;
}

// The variables of the Project and of each environment, with their positions.
struct ProjectVariables {
  std::vector<VariableDefinition> project;
  std::vector<std::pair<std::string, std::vector<VariableDefinition>>> environments;  // by name
};

// Kubernetes' rule for namespace names (DNS-1123 labels).
bool isNamespaceName(const std::string& name) {
  static const std::regex kLabel("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
  return name.size() <= 63 && std::regex_match(name, kLabel);
}

// Garden writes the namespace as a name or as `{name: ...}`.
void parseNamespace(YamlReader& reader, const YAML::Node& node, const std::string& path, Provider& provider) {
  const YAML::Node ns = YamlReader::child(node, "namespace");
  if (!ns.IsDefined() || ns.IsNull()) return;
  const std::string keyPath = ns.IsMap() ? YamlReader::join(path, "namespace.name") : YamlReader::join(path, "namespace");
  auto name = ns.IsMap() ? reader.plainString(ns, "name", YamlReader::join(path, "namespace"), true)
                         : reader.plainString(node, "namespace", path);
  if (!name) return;
  if (!isNamespaceName(*name)) {
    reader.error(ns.IsMap() ? YamlReader::child(ns, "name") : ns, keyPath,
                 fmt::format("\"{}\" is not a valid namespace name (lowercase letters, digits and dashes, at most 63 "
                             "characters)",
                             *name));
    return;
  }
  provider.kubernetesNamespace = *name;
}

// A path in the provider settings: `~/` is the home folder, a relative path is the project's.
std::string providerPath(const std::string& written, const fs::path& projectRoot) {
  if (written.starts_with("~/"))
    if (const char* home = std::getenv("HOME"); home && *home) return (fs::path(home) / written.substr(2)).string();
  const fs::path path = fs::path(written).is_absolute() ? fs::path(written) : projectRoot / written;
  return path.lexically_normal().string();
}

void parseDeploymentRegistry(YamlReader& reader, const YAML::Node& node, const std::string& path, Provider& provider) {
  const YAML::Node registry = YamlReader::child(node, "deploymentRegistry");
  const std::string keyPath = YamlReader::join(path, "deploymentRegistry");
  if (!registry.IsDefined() || registry.IsNull() || !reader.isMap(registry, keyPath)) return;
  reader.rejectUnknownKeys(registry, keyPath, {"hostname", "namespace", "insecure", "port"});
  DeploymentRegistry result;
  auto hostname = reader.plainString(registry, "hostname", keyPath, true);
  if (!hostname) return;
  // Garden's `port` is appended to the hostname, as an image reference has it.
  if (auto port = reader.integer(registry, "port", keyPath)) *hostname += fmt::format(":{}", *port);
  static const std::regex kHost("^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?(:[0-9]+)?$");
  if (!std::regex_match(*hostname, kHost)) {
    reader.error(YamlReader::child(registry, "hostname"), YamlReader::join(keyPath, "hostname"),
                 fmt::format("\"{}\" is not a registry host (a host name or address, optionally with :port, "
                             "without a scheme or path)",
                             *hostname));
    return;
  }
  result.hostname = *hostname;
  result.ns = reader.plainString(registry, "namespace", keyPath).value_or("");
  static const std::regex kPath("^[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$");
  if (!result.ns.empty() && !std::regex_match(result.ns, kPath)) {
    reader.error(YamlReader::child(registry, "namespace"), YamlReader::join(keyPath, "namespace"),
                 fmt::format("\"{}\" cannot be part of an image name (lowercase letters, digits, and . _ - / between "
                             "them)",
                             result.ns));
    return;
  }
  result.insecure = reader.boolean(registry, "insecure", keyPath).value_or(false);
  provider.deploymentRegistry = result;
}

Provider parseProvider(YamlReader& reader, const YAML::Node& node, const std::string& path, const fs::path& projectRoot) {
  Provider provider;
  provider.position = reader.position(node);
  if (!reader.isMap(node, path)) return provider;
  provider.name = reader.plainString(node, "name", path, true).value_or("");
  provider.environments = reader.stringList(node, "environments", path).value_or(std::vector<std::string>{});
  if (provider.name == "kubernetes" || provider.name == "local-kubernetes") {
    parseNamespace(reader, node, path, provider);
    provider.kubernetesContext = reader.plainString(node, "context", path).value_or("");
    if (auto kubeconfig = reader.plainString(node, "kubeconfig", path)) provider.kubeconfig = providerPath(*kubeconfig, projectRoot);
    if (auto kubectl = reader.plainString(node, "kubectlPath", path))
      provider.kubectlPath = kubectl->find('/') == std::string::npos ? *kubectl : providerPath(*kubectl, projectRoot);
    parseDeploymentRegistry(reader, node, path, provider);
  }
  YAML::Node sync = YamlReader::child(node, "sync");
  if (sync.IsDefined() && reader.isMap(sync, YamlReader::join(path, "sync"))) {
    reader.rejectUnknownKeys(sync, YamlReader::join(path, "sync"), {"defaults"});
    provider.syncDefaults =
        parseSyncDefaults(reader, YamlReader::child(sync, "defaults"), YamlReader::join(path, "sync.defaults"));
  }
  return provider;
}

// Without `--env` the default environment is used: it must be one the project defines, else its
// variables would silently be missing.
void checkDefaultEnvironment(YamlReader& reader, const YAML::Node& doc, const Project& project) {
  if (project.defaultEnvironment.empty() || project.environments.empty()) return;
  std::string names;
  for (const auto& env : project.environments) {
    // It may name a namespace too: <namespace>.<environment>.
    if (env.name == parseEnvironmentFlag(project.defaultEnvironment).environment) return;
    names += (names.empty() ? "" : ", ") + env.name;
  }
  reader.error(YamlReader::child(doc, "defaultEnvironment"), "defaultEnvironment",
               fmt::format("\"{}\" is not an environment of this project (defined: {})", project.defaultEnvironment,
                           names));
}

// Reads the Project document but its providers. Variables are read raw: they are resolved once
// the environment is known.
Project parseProject(YamlReader& reader, const YAML::Node& doc, const fs::path& file, ProjectVariables& variables) {
  Project project;
  project.file = file;
  project.root = file.parent_path();
  project.apiVersion = reader.string(doc, "apiVersion", "").value_or("");
  if (project.apiVersion.empty()) {
    reader.warning(doc, "apiVersion", "is missing; assuming garden.io/v2");
  } else if (project.apiVersion != "garden.io/v1" && project.apiVersion != "garden.io/v2") {
    reader.error(YamlReader::child(doc, "apiVersion"), "apiVersion",
                 fmt::format("\"{}\" is not supported (expected garden.io/v1 or garden.io/v2)", project.apiVersion));
  }
  project.name = reader.string(doc, "name", "", true).value_or("");
  if (!project.name.empty() && !isValidIdentifier(project.name))
    reader.error(YamlReader::child(doc, "name"), "name",
                 fmt::format("\"{}\" is not a valid project name (lowercase letters, digits and dashes, "
                             "starting with a letter)",
                             project.name));
  project.defaultEnvironment = reader.plainString(doc, "defaultEnvironment", "").value_or("");
  variables.project = parseVariables(reader, doc, "");
  project.variables = asMap(variables.project);

  YAML::Node environments = YamlReader::child(doc, "environments");
  if (environments.IsDefined() && !environments.IsNull()) {
    if (!environments.IsSequence()) {
      reader.error(environments, "environments", "expected a list of environments");
    } else {
      for (size_t i = 0; i < environments.size(); ++i) {
        const std::string path = YamlReader::index("environments", i);
        if (!reader.isMap(environments[i], path)) continue;
        Environment env;
        env.name = reader.plainString(environments[i], "name", path, true).value_or("");
        auto definitions = parseVariables(reader, environments[i], path);
        env.variables = asMap(definitions);
        if (env.name.empty()) continue;
        project.environments.push_back(env);
        variables.environments.emplace_back(env.name, std::move(definitions));
      }
    }
  }
  checkDefaultEnvironment(reader, doc, project);
  YAML::Node scan = YamlReader::child(doc, "scan");
  if (scan.IsDefined() && reader.isMap(scan, "scan"))
    project.scanExclude = reader.plainStringList(scan, "exclude", "scan").value_or(std::vector<std::string>{});
  return project;
}

std::string chooseEnvironment(const Project& project, const std::optional<std::string>& requested) {
  if (requested) {
    if (project.environments.empty() && *requested == "default") return *requested;
    for (const auto& env : project.environments)
      if (env.name == *requested) return *requested;
    std::string names;
    for (const auto& env : project.environments) names += (names.empty() ? "" : ", ") + env.name;
    throw UsageError(fmt::format("--env {}: the project defines no such environment", *requested),
                     names.empty() ? "this project defines no environments; omit --env"
                                   : "defined environments: " + names);
  }
  if (!project.defaultEnvironment.empty()) return project.defaultEnvironment;
  if (!project.environments.empty()) return project.environments.front().name;
  return "default";
}

// The one provider that runs Deploys in this environment; local-docker when none is named.
Provider chooseProvider(const Project& project, const std::string& environment, Diagnostics& diagnostics) {
  std::optional<Provider> chosen;
  for (const auto& provider : project.providers) {
    if (!kDeployProviders.count(provider.name)) continue;
    if (!provider.environments.empty() &&
        std::find(provider.environments.begin(), provider.environments.end(), environment) ==
            provider.environments.end())
      continue;
    if (chosen) {
      diagnostics.errors.push_back({provider.position.file, provider.position.line, provider.position.column,
                                    "providers",
                                    fmt::format("both \"{}\" and \"{}\" would run Deploys in environment \"{}\"; "
                                                "limit one with `environments:`",
                                                chosen->name, provider.name, environment)});
      continue;
    }
    chosen = provider;
  }
  if (!chosen) {
    chosen = Provider{};
    chosen->name = "local-docker";
  }
  if (chosen->kubernetesNamespace.empty()) chosen->kubernetesNamespace = project.name;
  if (chosen->deploymentRegistry && chosen->deploymentRegistry->ns.empty())
    chosen->deploymentRegistry->ns = project.name;
  return *chosen;
}

// Providers are read once variables are known, so their settings may use `${var.x}`.
void parseProviders(YamlReader& reader, const YAML::Node& doc, Project& project) {
  YAML::Node providers = YamlReader::child(doc, "providers");
  if (!providers.IsDefined() || providers.IsNull()) return;
  if (!providers.IsSequence()) {
    reader.error(providers, "providers", "expected a list of providers");
    return;
  }
  for (size_t i = 0; i < providers.size(); ++i)
    project.providers.push_back(parseProvider(reader, providers[i], YamlReader::index("providers", i), project.root));
}

// Once the load's resolve budget is spent every later string fails the same way: stop reading
// there and report the budget once, where it ran out, with the errors found before it.
void stopIfBudgetSpent(const ResolveBudget& budget, Diagnostics& diagnostics) {
  if (!budget.spent) return;
  const std::string spent = budgetSpentMessage();
  bool first = true;
  std::erase_if(diagnostics.errors, [&](const ConfigIssue& issue) {
    if (issue.message != spent) return false;
    const bool repeat = !first;
    first = false;
    return repeat;
  });
  throw ConfigError(diagnostics.errors);
}

// A disabled Build, read aside: Garden builds one only when an enabled action depends on it, and
// only then are its errors errors.
struct DisabledBuild {
  Action action;
  std::vector<ConfigIssue> errors;
};

// Moves the disabled Builds that an enabled action depends on (directly, or through another such
// Build) into `actions`, and their errors into `errors`.
void addDisabledBuildsInUse(std::vector<Action>& actions, std::vector<DisabledBuild>& disabled,
                            std::vector<ConfigIssue>& errors) {
  std::set<std::string> needed;
  auto need = [&needed](const Action& action) {
    for (const auto& dep : action.dependencies)
      if (dep.kind == ActionKind::Build) needed.insert(dep.name);
  };
  for (const auto& action : actions) need(action);
  std::vector<bool> used(disabled.size(), false);
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < disabled.size(); ++i) {
      if (used[i] || !needed.count(disabled[i].action.name)) continue;
      used[i] = changed = true;
      need(disabled[i].action);
    }
  }
  for (size_t i = 0; i < disabled.size(); ++i) {
    if (!used[i]) continue;
    actions.push_back(std::move(disabled[i].action));
    for (auto& issue : disabled[i].errors) errors.push_back(std::move(issue));
  }
}

}  // namespace

fs::path findProjectRoot(const LoadOptions& options) {
  if (options.root) {
    fs::path root = fs::absolute(*options.root).lexically_normal();
    if (root.has_filename() == false) root = root.parent_path();
    if (!projectFileIn(root))
      throw UsageError(fmt::format("--root {}: no project.garden.yml (with kind: Project) there", root.string()),
                       "point --root at the folder that holds the project file");
    return root;
  }
  fs::path dir = fs::absolute(options.cwd).lexically_normal();
  while (true) {
    if (projectFileIn(dir)) return dir;
    if (dir == dir.root_path() || dir.parent_path() == dir) break;
    dir = dir.parent_path();
  }
  throw UsageError(fmt::format("no project.garden.yml found in {} or any folder above it",
                               fs::absolute(options.cwd).string()),
                   "run gardensync inside a project, or pass --root <dir>");
}

ProjectConfig loadProject(const LoadOptions& options) {
  const fs::path root = findProjectRoot(options);
  const fs::path projectFile = *projectFileIn(root);
  Diagnostics diagnostics;

  ParsedFile parsedProject = parseFile(projectFile, root, diagnostics);
  YamlReader projectReader(parsedProject.display, diagnostics, nullptr);
  Project project;
  ProjectVariables variables;
  YAML::Node projectDoc;
  for (const auto& doc : parsedProject.documents) {
    if (doc.IsMap() && kindOf(doc) == "Project") {
      projectDoc = doc;
      project = parseProject(projectReader, doc, projectFile, variables);
      break;
    }
  }
  if (!diagnostics.errors.empty()) throw ConfigError(diagnostics.errors);

  ProjectConfig config;
  // `--env` (or defaultEnvironment) may name a namespace too: <namespace>.<environment>.
  const std::string written = options.environment.value_or(project.defaultEnvironment);
  const EnvironmentFlag requested = parseEnvironmentFlag(written);
  config.environment =
      chooseEnvironment(project, written.empty() ? std::nullopt : std::optional(requested.environment));

  // Variables: the project's, then the environment's, which override them; `--var` over both.
  TemplateContext templates;
  templates.projectName = project.name;
  templates.environmentName = config.environment;
  templates.localEnv = options.localEnv;
  templates.describeMachine(root);
  templates.command = options.command;
  templates.variableOverrides = options.variables;
  ResolveBudget budget;
  templates.budget = &budget;
  const std::vector<VariableDefinition>* environmentVariables = nullptr;
  for (const auto& [name, definitions] : variables.environments)
    if (name == config.environment) environmentVariables = &definitions;
  resolveProjectVariables(projectReader, projectDoc, variables.project, environmentVariables, config.environment,
                          requested.ns, templates);
  stopIfBudgetSpent(budget, diagnostics);

  YamlReader providerReader(parsedProject.display, diagnostics, &templates);
  renderProviders(providerReader, projectDoc, config.environment, templates);
  parseProviders(providerReader, projectDoc, project);
  config.provider = chooseProvider(project, config.environment, diagnostics);
  stopIfBudgetSpent(budget, diagnostics);

  // First pass: read every file, render the ConfigTemplates, and learn the actions (and the Build
  // names) templates may refer to.
  std::vector<SourceDocument> sources;
  for (const auto& path : findConfigFiles(root, project.scanExclude)) {
    const ParsedFile file = path == projectFile ? parsedProject : parseFile(path, root, diagnostics);
    for (size_t i = 0; i < file.documents.size(); ++i)
      sources.push_back({file.documents[i], path, file.display, i, nullptr});
  }
  sources = convertModules(sources, diagnostics);
  sources = expandConfigTemplates(sources, templates, diagnostics);
  stopIfBudgetSpent(budget, diagnostics);
  for (const auto& source : sources) {
    const YAML::Node& doc = source.document;
    if (doc.IsMap() && kindOf(doc) == "Build" && YamlReader::child(doc, "name").IsScalar())
      templates.buildNames.insert(YamlReader::child(doc, "name").Scalar());
    registerTemplateAction(templates, doc, source.file, source.display, source.rendered);
  }

  // Keys of disabled actions: depending on one is no error (Garden ignores the dependency).
  std::vector<std::string> ignoredKeys;
  std::vector<DisabledBuild> disabledBuilds;
  for (const auto& source : sources) {
    YamlReader reader(source.display, diagnostics, &templates);
    for (const auto& [node, origin] : source.origins) reader.place(node, origin);
    const YAML::Node& doc = source.document;
    if (doc.IsNull()) continue;  // an empty document between `---` separators
    if (!doc.IsMap()) {
      reader.error(doc, "", "expected a mapping with a `kind` key");
      continue;
    }
    const std::string kind = kindOf(doc);
    if (kind == "Project") {
      if (source.file != projectFile)
        reader.error(doc, "kind", fmt::format("a second Project; the project is defined in {}",
                                               parsedProject.display));
      continue;
    }
    if (isSkippedKind(kind)) {
      YAML::Node name = YamlReader::child(doc, "name");
      config.notes.push_back(fmt::format("{}:{}: skipping {} {} (gardensync does not read this kind)",
                                         source.display, reader.position(doc).line, kind,
                                         name.IsScalar() ? name.Scalar() : std::string("(unnamed)")));
      continue;
    }
    if (std::find(std::begin(kActionKinds), std::end(kActionKinds), kind) == std::end(kActionKinds)) {
      reader.error(YamlReader::child(doc, "kind").IsDefined() ? YamlReader::child(doc, "kind") : doc, "kind",
                   kind.empty() ? "is required (Project, Build, Deploy, Run, Test, ...)"
                                : fmt::format("\"{}\" is not a known kind (expected {})", kind, knownKinds()));
      continue;
    }
    const YAML::Node name = YamlReader::child(doc, "name");
    if (renderDisabled(reader, doc, templates)) {
      if (name.IsScalar()) ignoredKeys.push_back(std::string(lowercaseKind(*actionKindFrom(kind))) + "." + name.Scalar());
      config.notes.push_back(fmt::format("{}:{}: disabled {} {}", source.display, reader.position(doc).line, kind,
                                         name.IsScalar() ? name.Scalar() : std::string("(unnamed)")));
      if (kind != "Build") continue;
      Diagnostics aside;
      YamlReader asideReader(source.display, aside, &templates);
      for (const auto& [node, origin] : source.origins) asideReader.place(node, origin);
      renderAction(asideReader, doc, templates);
      if (auto action = parseAction(asideReader, doc, source.file, root)) {
        action->disabled = true;
        disabledBuilds.push_back({std::move(*action), std::move(aside.errors)});
      }
      stopIfBudgetSpent(budget, diagnostics);
      continue;
    }
    renderAction(reader, doc, templates);
    if (auto action = parseAction(reader, doc, source.file, root)) config.actions.push_back(std::move(*action));
    stopIfBudgetSpent(budget, diagnostics);
  }
  addDisabledBuildsInUse(config.actions, disabledBuilds, diagnostics.errors);
  checkActionGraph(config.actions, ignoredKeys, diagnostics.errors);
  if (!diagnostics.errors.empty()) throw ConfigError(diagnostics.errors);

  for (const auto& warning : diagnostics.warnings) config.warnings.push_back(warning.format());
  config.project = std::move(project);
  return config;
}

}  // namespace gardensync::config
