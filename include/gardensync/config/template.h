// Garden's template language (docs/templates.md): `${...}` expressions with Garden's operators,
// helper functions and template contexts (var, local, project, environment, git, command,
// actions, ...), `${if}` blocks, whole-value substitution, and the structural operators `$merge`,
// `$concat`, `$if` and `$forEach`. `$${` writes a literal `${`.
//
// Resolution happens in two steps: at load time everything but build outputs; after the builds
// have run (or in a dry run, with placeholders) the build outputs. A string that takes the second
// step keeps its `$${` escapes through the first, so that an escaped `$${actions.build...}` is
// never mistaken for a reference; resolveBuildOutputs removes them.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "gardensync/config/template/error.h"
#include "gardensync/config/template/escapes.h"
#include "gardensync/config/template/limits.h"
#include "gardensync/config/template/value.h"

namespace gardensync::config {

namespace tmpl {
class ActionRegistry;
}

// `${local.*}` besides the environment variables; TemplateContext::describeMachine fills it.
struct LocalMachine {
  std::string username;  // as Garden's `username` package finds it
  std::string platform;  // Node's process.platform: linux, darwin, win32
  std::string arch;      // Node's process.arch: x64, arm64, ...
};

// `${git.*}` of the repository holding the project; empty strings outside one.
struct GitInfo {
  std::string branch;      // empty with a detached HEAD
  std::string commitHash;  // empty before the first commit
  std::string originUrl;
};

// `${command.*}`: the running command ("deploy", "sync stop") and its parameters by name.
struct CommandInfo {
  std::string name;
  tmpl::Value params = tmpl::Value::object();
};

struct TemplateContext {
  std::string projectName;
  std::string environmentName;
  std::string environmentNamespace;  // `${environment.namespace}`; fullName is "<namespace>.<name>"
  // `${var.*}`: resolved values (strings, numbers, booleans, null, lists, mappings).
  std::map<std::string, tmpl::Value> variables;
  std::function<std::optional<std::string>(const std::string&)> localEnv;  // getenv by default
  std::set<std::string> buildNames;  // builds that `${actions.build.<name>...}` may name
  ResolveBudget* budget = nullptr;   // the load's; null: only the per-string limit applies

  std::filesystem::path projectRoot;  // `${local.projectPath}`
  LocalMachine local;
  GitInfo git;
  CommandInfo command;
  // `--var key=value`: the highest precedence, over every variable of the project, its
  // environments and its actions. Keys with dots (`a.b=c`) are nested.
  tmpl::Value variableOverrides = tmpl::Value::object();
  // Every action of the project, for `${actions.<kind>.<name>.*}`; without it, only the builds in
  // buildNames are known, for their outputs.
  std::shared_ptr<tmpl::ActionRegistry> actions;
  // In a config rendered from a ConfigTemplate: `{inputs, parent: {name}, template: {name}}` for
  // `${inputs.*}`, `${parent.name}` and `${template.name}`; null elsewhere.
  tmpl::Value rendered = nullptr;

  // Fills `local` for the machine gardensync runs on, `projectRoot`, and `git` from the repository
  // holding `projectRoot`.
  void describeMachine(const std::filesystem::path& root);
};

// A build output reference found in a template string.
struct BuildOutputRef {
  std::string build;
  std::string output;  // deploymentImageId or version
};

// Resolves everything but build outputs, which are checked (the build must exist) and kept as
// `${actions.build.<name>.outputs.<output>}`. A value that is not a string (`${var.port}` is a
// number) is written as Garden writes it into a string; a list or a mapping where the whole string
// is one `${...}` is an error, since the caller wants text. Throws TemplateError, also when the
// result would pass kMaxResolvedBytes or what is left of `context.budget` (which it then marks
// spent); a result is charged to the budget.
std::string resolveLoadTime(std::string_view text, const TemplateContext& context,
                            Escapes escapes = Escapes::Unescape);

// The build outputs a (load-time resolved) string refers to, in order; escaped ones (`$${`) are
// not references. Never throws: an unterminated `${` refers to nothing.
std::vector<BuildOutputRef> findBuildOutputRefs(std::string_view text);

// The variable names a string refers to (`${var.name}`, `${variables.name}`, `${var["name"]}`, also
// inside expressions), in order, as findBuildOutputRefs.
std::vector<std::string> findVariableRefs(std::string_view text);

// Replaces build output references with values from `outputs` ("<build>.<output>" → value) and
// turns `$${` into `${`; references missing from `outputs` become
// `<pending:actions.build.x.outputs.y>`. Throws TemplateError on an unterminated `${`.
std::string resolveBuildOutputs(std::string_view text,
                                const std::map<std::string, std::string>& outputs);

}  // namespace gardensync::config
