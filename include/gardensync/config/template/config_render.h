// Template resolution of the parts of a project before they are read: the variables of the
// project, its environment and its actions (with varfiles and `--var`), the environment's
// namespace, the providers of the environment, and each Build and Deploy document, in the
// contexts Garden gives them (docs/reference/template-strings/).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "gardensync/config/template.h"
#include "gardensync/config/variables.h"
#include "gardensync/config/yaml_reader.h"

namespace gardensync::config {

// `--env` as Garden reads it: "<environment>" or "<namespace>.<environment>".
struct EnvironmentFlag {
  std::string environment;
  std::string ns;  // empty when not given
};
EnvironmentFlag parseEnvironmentFlag(std::string_view text);

// Resolves into `templates` what the templates of a load see before any action: `--var`
// (templates.variableOverrides), the Project's variables and varfile (`varfile`, default
// garden.env), the namespace (`ns`, else the environment's `defaultNamespace`, else "default"),
// then the environment's variables and varfile (`environments[].varfile`, default
// garden.<environment>.env). `environment` may be null (a project without environments).
// Errors go to the reader's diagnostics; throws UsageError when the environment's
// defaultNamespace is null and no namespace was given.
void resolveProjectVariables(YamlReader& reader, const YAML::Node& projectDoc,
                             const std::vector<VariableDefinition>& projectVariables,
                             const std::vector<VariableDefinition>* environmentVariables,
                             const std::string& environment, const std::string& ns, TemplateContext& templates);

// Renders the providers of `projectDoc` that apply to `environment` (no `environments`, or one
// naming it), so their settings may be whole values, `$merge`, `$forEach`, ...
void renderProviders(YamlReader& reader, YAML::Node projectDoc, const std::string& environment,
                     const TemplateContext& templates);

// Registers an action document for `${actions.<kind>.<name>.*}`; creates templates.actions on
// first use. Call for every document before rendering any.
// `rendered` is the {inputs, parent, template} of a config rendered from a ConfigTemplate.
void registerTemplateAction(TemplateContext& templates, const YAML::Node& document, const std::filesystem::path& file,
                            const std::string& displayFile, const tmpl::Value& rendered = nullptr);

// Renders the `disabled` key of an action document in place, in the action's context, and returns
// whether the action is disabled. Call it first: a disabled action other than a Build is not
// rendered further, as Garden does not use it.
bool renderDisabled(YamlReader& reader, YAML::Node document, TemplateContext& templates);

// Renders a Build, Deploy, Run or Test document in place with the action's context: its variables
// and varfiles over the project's, `${this.*}`. Everything but kind, type, name, disabled,
// variables and varfiles.
void renderAction(YamlReader& reader, YAML::Node document, TemplateContext& templates);

}  // namespace gardensync::config
