#include "gardensync/config/template/config_render.h"

#include <regex>

#include <fmt/format.h>

#include "gardensync/config/template/actions.h"
#include "gardensync/config/template/contexts.h"
#include "gardensync/config/template/varfile.h"

namespace gardensync::config {

namespace fs = std::filesystem;

namespace {

// Garden's identifier rule for namespaces (joiIdentifier): lowercase letters, digits and dashes.
bool isIdentifier(const std::string& name) {
  static const std::regex kIdentifier("^[a-z0-9]+(-[a-z0-9]+)*$");
  return !name.empty() && name.size() <= 63 && std::regex_match(name, kIdentifier);
}

std::string display(const fs::path& file, const fs::path& root) {
  const fs::path relative = file.lexically_relative(root);
  if (relative.empty() || *relative.begin() == "..") return file.string();
  return relative.generic_string();
}

// A string of the config resolved in the templates' context, or nullopt after an error.
std::optional<std::string> resolvedText(YamlReader& reader, const YAML::Node& node, const std::string& keyPath,
                                        const TemplateContext& templates) {
  if (!node.IsScalar()) {
    reader.error(node, keyPath, "expected a path");
    return std::nullopt;
  }
  try {
    return resolveLoadTime(node.Scalar(), templates);
  } catch (const TemplateError& e) {
    reader.error(node, keyPath, e.what());
    return std::nullopt;
  }
}

// The variables of one varfile; a missing file is an error unless `optional`.
std::vector<VariableDefinition> loadVarfileDefinitions(YamlReader& reader, const YAML::Node& at,
                                                       const std::string& keyPath, const fs::path& file, bool optional,
                                                       const TemplateContext& templates) {
  std::error_code ec;
  const std::string shown = display(file, templates.projectRoot);
  if (!fs::exists(file, ec)) {
    if (!optional)
      reader.error(at, keyPath, fmt::format("could not find varfile {} (absolute path {})", shown, file.string()));
    return {};
  }
  try {
    return definitionsFrom(tmpl::loadVarfile(file), {shown, 0, 0}, "");
  } catch (const tmpl::VarfileError& e) {
    reader.error(at, keyPath, fmt::format("varfile {} {}", shown, e.what()));
    return {};
  }
}

// The Project's or an environment's `varfile`: an error when it is named and missing; the
// default name is read only when it exists.
std::vector<VariableDefinition> varfileOf(YamlReader& reader, const YAML::Node& map, const std::string& path,
                                          const std::string& defaultName, const TemplateContext& templates) {
  const YAML::Node varfile = YamlReader::child(map, "varfile");
  const std::string keyPath = YamlReader::join(path, "varfile");
  if (!varfile.IsDefined() || varfile.IsNull())
    return loadVarfileDefinitions(reader, map, keyPath, templates.projectRoot / defaultName, true, templates);
  auto name = resolvedText(reader, varfile, keyPath, templates);
  if (!name) return {};
  return loadVarfileDefinitions(reader, varfile, keyPath, templates.projectRoot / *name, *name == defaultName,
                                templates);
}

// An action's `varfiles`: paths relative to its folder, or `{path, optional}`.
std::vector<VariableDefinition> actionVarfiles(YamlReader& reader, const tmpl::TemplateAction& action,
                                               const TemplateContext& templates) {
  std::vector<VariableDefinition> definitions;
  const YAML::Node varfiles = YamlReader::child(action.document, "varfiles");
  if (!varfiles.IsDefined() || varfiles.IsNull()) return definitions;
  if (!varfiles.IsSequence()) {
    reader.error(varfiles, "varfiles", "expected a list of paths");
    return definitions;
  }
  for (size_t i = 0; i < varfiles.size(); ++i) {
    const YAML::Node entry = varfiles[i];
    const std::string keyPath = YamlReader::index("varfiles", i);
    const YAML::Node pathNode = entry.IsMap() ? YamlReader::child(entry, "path") : entry;
    const YAML::Node flag = YamlReader::child(entry, "optional");
    const bool optional = flag.IsScalar() && flag.Scalar() == "true";
    auto name = resolvedText(reader, pathNode, keyPath, templates);
    if (!name) continue;
    const fs::path file = fs::path(*name).is_absolute() ? fs::path(*name) : action.configFile.parent_path() / *name;
    for (auto& definition : loadVarfileDefinitions(reader, pathNode, keyPath, file.lexically_normal(), optional, templates))
      definitions.push_back(std::move(definition));
  }
  return definitions;
}

// The node of environment `name` in the Project document.
YAML::Node environmentNode(const YAML::Node& projectDoc, const std::string& name) {
  const YAML::Node environments = YamlReader::child(projectDoc, "environments");
  if (environments.IsSequence())
    for (const auto& environment : environments) {
      const YAML::Node environmentName = YamlReader::child(environment, "name");
      if (environmentName.IsScalar() && environmentName.Scalar() == name) return environment;
    }
  return YAML::Node(YAML::NodeType::Undefined);
}

std::string environmentPath(const YAML::Node& projectDoc, const std::string& name) {
  const YAML::Node environments = YamlReader::child(projectDoc, "environments");
  if (environments.IsSequence())
    for (size_t i = 0; i < environments.size(); ++i) {
      const YAML::Node environmentName = YamlReader::child(environments[i], "name");
      if (environmentName.IsScalar() && environmentName.Scalar() == name) return YamlReader::index("environments", i);
    }
  return "environments";
}

// Garden's getNamespace: the one given, else the environment's defaultNamespace ("default" when it
// is not set; null means one must be given).
std::string chooseNamespace(YamlReader& reader, const YAML::Node& environment, const std::string& path,
                            const std::string& environmentName, const std::string& given,
                            const TemplateContext& templates) {
  if (!given.empty()) return given;
  const YAML::Node defaultNamespace = YamlReader::child(environment, "defaultNamespace");
  if (!defaultNamespace.IsDefined()) return "default";
  const std::string keyPath = YamlReader::join(path, "defaultNamespace");
  if (defaultNamespace.IsNull() || (defaultNamespace.IsScalar() && defaultNamespace.Tag() == "?" &&
                                    (defaultNamespace.Scalar() == "null" || defaultNamespace.Scalar() == "~")))
    throw UsageError(
        fmt::format("environment {} has defaultNamespace set to null in the project configuration, and no namespace "
                    "was given",
                    environmentName),
        fmt::format("set a defaultNamespace, or give a namespace with --env, e.g. --env=some-namespace.{}",
                    environmentName));
  auto ns = resolvedText(reader, defaultNamespace, keyPath, templates);
  if (!ns) return "default";
  if (!isIdentifier(*ns)) {
    reader.error(defaultNamespace, keyPath,
                 fmt::format("\"{}\" is not a valid namespace (lowercase letters, digits and dashes)", *ns));
    return "default";
  }
  return *ns;
}

void resolveInto(YamlReader& reader, const std::vector<VariableDefinition>& definitions, TemplateContext& templates) {
  std::vector<ConfigIssue> errors;
  resolveVariables(definitions, templates, errors);
  for (auto& issue : errors) reader.report(std::move(issue));
}

// The variables `${var}` sees in an action: the project's, then its own, then its varfiles'.
void resolveActionVariables(tmpl::TemplateAction& action, const TemplateContext& templates) {
  Diagnostics diagnostics;
  YamlReader reader(action.displayFile, diagnostics, &templates);
  TemplateContext scope = templates;
  scope.rendered = action.rendered;
  resolveInto(reader, parseVariableDefinitions(reader, action.document, ""), scope);
  resolveInto(reader, actionVarfiles(reader, action, scope), scope);
  action.variables = tmpl::Value::object();
  for (auto& [name, value] : scope.variables) tmpl::appendEntry(action.variables, name, std::move(value));
  action.errors = std::move(diagnostics.errors);
}

}  // namespace

EnvironmentFlag parseEnvironmentFlag(std::string_view text) {
  const size_t dot = text.find('.');
  if (dot == std::string_view::npos) return {std::string(text), {}};
  return {std::string(text.substr(dot + 1)), std::string(text.substr(0, dot))};
}

void resolveProjectVariables(YamlReader& reader, const YAML::Node& projectDoc,
                             const std::vector<VariableDefinition>& projectVariables,
                             const std::vector<VariableDefinition>* environmentVariables,
                             const std::string& environment, const std::string& ns, TemplateContext& templates) {
  // Garden's precedence, lowest first: project variables, project varfile, environment
  // variables, environment varfile; `--var` over all of them.
  applyVariableOverrides(templates);
  resolveInto(reader, projectVariables, templates);
  resolveInto(reader, varfileOf(reader, projectDoc, "", "garden.env", templates), templates);
  const YAML::Node environmentDoc = environmentNode(projectDoc, environment);
  const std::string path = environmentPath(projectDoc, environment);
  templates.environmentNamespace = chooseNamespace(reader, environmentDoc, path, environment, ns, templates);
  if (environmentVariables) resolveInto(reader, *environmentVariables, templates);
  resolveInto(reader, varfileOf(reader, environmentDoc, path, fmt::format("garden.{}.env", environment), templates),
              templates);
}

void renderProviders(YamlReader& reader, YAML::Node projectDoc, const std::string& environment,
                     const TemplateContext& templates) {
  YAML::Node providers = YamlReader::child(projectDoc, "providers");
  if (!providers.IsSequence()) return;
  const tmpl::ContextScope scope(templates);
  for (size_t i = 0; i < providers.size(); ++i) {
    YAML::Node provider = providers[i];
    if (!provider.IsMap()) continue;
    // Garden resolves only the providers of the environment: another one's settings may refer to
    // variables this environment lacks.
    const YAML::Node environments = YamlReader::child(provider, "environments");
    if (environments.IsSequence()) {
      bool applies = false;
      for (const auto& name : environments) applies = applies || (name.IsScalar() && name.Scalar() == environment);
      if (!applies) {
        reader.skipTemplates(provider);
        continue;
      }
    }
    reader.render(provider, YamlReader::index("providers", i), scope);
  }
}

void registerTemplateAction(TemplateContext& templates, const YAML::Node& document, const fs::path& file,
                            const std::string& displayFile, const tmpl::Value& rendered) {
  if (!templates.actions) {
    templates.actions = std::make_shared<tmpl::ActionRegistry>();
    templates.actions->projectRoot = templates.projectRoot;
    templates.actions->resolveVariables = [&templates](tmpl::TemplateAction& action) {
      resolveActionVariables(action, templates);
    };
  }
  templates.actions->add(document, file, displayFile, rendered);
}

namespace {

// The action registered for `document`, with its variables resolved and their errors reported.
struct ActionScopeParts {
  tmpl::TemplateAction* action = nullptr;
  const tmpl::Value* variables = nullptr;
  tmpl::Value self;
  const tmpl::Value* rendered = nullptr;
};

ActionScopeParts actionScopeParts(YamlReader& reader, const YAML::Node& document, TemplateContext& templates) {
  ActionScopeParts parts;
  const YAML::Node kind = YamlReader::child(document, "kind");
  const YAML::Node name = YamlReader::child(document, "name");
  if (templates.actions && kind.IsScalar() && name.IsScalar()) {
    std::string lowerKind = kind.Scalar();
    for (char& c : lowerKind) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    parts.action = templates.actions->find(lowerKind, name.Scalar());
  }
  parts.variables = parts.action ? templates.actions->variablesOf(*parts.action) : nullptr;
  if (parts.action) {
    for (auto& issue : parts.action->errors) reader.report(std::move(issue));
    parts.action->errors.clear();
  }
  parts.rendered = parts.action ? &parts.action->rendered : nullptr;
  parts.self = parts.action && parts.variables
                   ? tmpl::describeAction(*parts.action, templates.command, *parts.variables)
                   : tmpl::Value(nullptr);
  return parts;
}

}  // namespace

bool renderDisabled(YamlReader& reader, YAML::Node document, TemplateContext& templates) {
  if (!document.IsMap()) return false;
  bool written = false;
  for (const auto& entry : document)
    written = written || (entry.first.IsScalar() && entry.first.Scalar() == "disabled");
  if (!written) return false;
  const ActionScopeParts parts = actionScopeParts(reader, document, templates);
  const tmpl::ContextScope scope(templates, parts.variables, parts.self, parts.rendered);
  bool disabled = false;
  for (const auto& entry : document) {
    if (!entry.first.IsScalar() || entry.first.Scalar() != "disabled") continue;
    YAML::Node value = entry.second;
    reader.render(value, "disabled", scope);
    disabled = value.IsScalar() && value.Scalar() == "true";
  }
  return disabled;
}

void renderAction(YamlReader& reader, YAML::Node document, TemplateContext& templates) {
  if (!document.IsMap()) return;
  const ActionScopeParts parts = actionScopeParts(reader, document, templates);
  const tmpl::ContextScope scope(templates, parts.variables, parts.self, parts.rendered);
  // Garden does not template an action's kind, type and name; variables were resolved above, and
  // `disabled` by renderDisabled.
  static const std::set<std::string> kNotRendered{"kind", "type", "name", "disabled", "variables", "varfiles"};
  for (const auto& entry : document) {
    if (!entry.first.IsScalar() || kNotRendered.count(entry.first.Scalar())) continue;
    YAML::Node value = entry.second;
    reader.render(value, entry.first.Scalar(), scope);
  }
}

}  // namespace gardensync::config
