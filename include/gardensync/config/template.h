// Garden-style template strings, the subset gardensync supports (docs/templates.md):
// `${var.x}`, `${project.name}`, `${environment.name}`, `${local.env.NAME}` and
// `${actions.build.<name>.outputs.deploymentImageId|version}`. `$${` writes a literal `${`.
// Resolution happens in two steps: at load time everything but build outputs; after the builds
// have run (or in a dry run, with placeholders) the build outputs. A string that takes the second
// step keeps its `$${` escapes through the first, so that an escaped `$${actions.build...}` is
// never mistaken for a reference; resolveBuildOutputs removes them.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace gardensync::config {

// A reference that cannot be resolved; `offset` is its position inside the template text.
class TemplateError : public std::runtime_error {
public:
  TemplateError(const std::string& message, size_t offset)
      : std::runtime_error(message), offset(offset) {}
  size_t offset;
};

// A template can repeat a value (`v1: ${var.v0}${var.v0}`, and so on), so a few lines can ask
// for gigabytes, as in YAML's "billion laughs". Load-time resolution therefore limits each string
// it produces, and every string of one load together.
constexpr size_t kMaxResolvedBytes = size_t{1} << 20;          // one string: 1 MiB
constexpr size_t kMaxResolvedBytesPerLoad = size_t{64} << 20;  // all strings of one load: 64 MiB

// What one load may still resolve, shared by all its strings.
struct ResolveBudget {
  size_t remaining = kMaxResolvedBytesPerLoad;
  bool spent = false;  // a string was refused for want of budget
};

struct TemplateContext {
  std::string projectName;
  std::string environmentName;
  std::map<std::string, std::string> variables;
  std::function<std::optional<std::string>(const std::string&)> localEnv;  // getenv by default
  std::set<std::string> buildNames;  // builds that `${actions.build.<name>...}` may name
  ResolveBudget* budget = nullptr;   // the load's; null: only the per-string limit applies
};

// A build output reference found in a template string.
struct BuildOutputRef {
  std::string build;
  std::string output;  // deploymentImageId or version
};

// What load-time resolution does with `$${`.
enum class Escapes {
  Unescape,  // `$${` becomes `${`: the string is final
  // `$${` stays, and a `${` in a substituted value (a variable, an environment variable) becomes
  // `$${`: for strings that go through resolveBuildOutputs later, which unescapes them.
  Keep,
};

// Resolves everything but build outputs, which are checked (the build must exist) and kept as
// written. Throws TemplateError, also when the result would pass kMaxResolvedBytes or what is
// left of `context.budget` (which it then marks spent); a result is charged to the budget.
std::string resolveLoadTime(std::string_view text, const TemplateContext& context,
                            Escapes escapes = Escapes::Unescape);

// The message of the TemplateError for a spent budget. Every later string of the load fails the
// same way, so a loader reports it once.
std::string budgetSpentMessage();

// The build outputs a (load-time resolved) string refers to, in order; escaped ones (`$${`) are
// not references. Never throws: an unterminated `${` refers to nothing.
std::vector<BuildOutputRef> findBuildOutputRefs(std::string_view text);

// The variable names a string refers to with `${var.<name>}`, in order, as findBuildOutputRefs.
std::vector<std::string> findVariableRefs(std::string_view text);

// Replaces build output references with values from `outputs` ("<build>.<output>" → value) and
// turns `$${` into `${`; references missing from `outputs` become
// `<pending:actions.build.x.outputs.y>`. Throws TemplateError on an unterminated `${`.
std::string resolveBuildOutputs(std::string_view text,
                                const std::map<std::string, std::string>& outputs);

}  // namespace gardensync::config
