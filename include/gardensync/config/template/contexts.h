// Garden's template contexts as one Scope (docs/reference/template-strings/): local.* (env,
// username, usernameLowerCase, platform, arch, projectPath, artifactsPath), project.name,
// environment.{name,namespace,fullName}, var.* and variables.*, git.*, command.*, datetime.*,
// actions.<kind>.<name>.* (with Garden's `runtime.*` and `action.*` aliases), and in an action
// `this.*`, and in configs rendered from a ConfigTemplate `inputs.*`, `parent.name` and
// `template.name`. secrets.* is known but has no values: they live in Garden Cloud. A missing key names
// the closest keys there are.
#pragma once

#include <map>
#include <string>

#include "gardensync/config/template.h"
#include "gardensync/config/template/scope.h"

namespace gardensync::config::tmpl {

class ContextScope : public Scope {
public:
  explicit ContextScope(const TemplateContext& context);
  // An action's scope: `variables` (its own over the project's) and `thisAction` (describeAction);
  // `rendered` ({inputs, parent, template}) for a config rendered from a ConfigTemplate, else
  // context.rendered.
  ContextScope(const TemplateContext& context, const Value* variables, Value thisAction,
               const Value* rendered = nullptr);

  Lookup lookup(const std::vector<Value>& keys) const override;

private:
  Lookup lookupVariable(const std::vector<Value>& keys) const;
  Lookup lookupLocal(const std::vector<Value>& keys) const;
  Lookup lookupAction(const std::vector<Value>& keys, size_t kindIndex) const;

  const TemplateContext& context_;
  const Value* variables_ = nullptr;  // an action's; null: context_.variables
  Value this_;                        // null outside an action
  const Value* rendered_ = nullptr;   // inputs, parent and template: null outside rendered configs
  Value datetime_;
};

}  // namespace gardensync::config::tmpl
