// The actions of a project as templates see them: `${actions.<kind>.<name>.*}` (name, sourcePath,
// mode, var, disabled, buildPath; a Build's version and outputs come after the build). Every
// Build, Deploy, Run and Test document is registered before any is read, so one action may refer
// to another whatever the order of files; an action's variables are resolved the first time
// something asks for them.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "gardensync/config/template/value.h"
#include "gardensync/util/error.h"

namespace gardensync::config {
struct CommandInfo;
}

namespace gardensync::config::tmpl {

struct TemplateAction {
  std::string kind;  // build, deploy, run, test
  std::string name;
  std::filesystem::path configFile;
  std::string displayFile;           // as errors show it
  std::filesystem::path sourcePath;  // the config file's folder, or its `source.path`
  std::filesystem::path buildPath;   // where it is built: an exec Build's copy, else sourcePath
  bool disabled = false;             // `disabled: true` as written
  YAML::Node document;
  Value rendered = nullptr;  // from a ConfigTemplate: {inputs, parent, template}; else null

  enum class State { Pending, Resolving, Resolved };
  State state = State::Pending;
  Value variables = Value::object();  // every `${var.*}` in the action: the project's and its own
  std::vector<ConfigIssue> errors;     // of its variables and varfiles, reported when it is rendered
};

class ActionRegistry {
public:
  // Registers a Build, Deploy, Run or Test document; others, and documents without a plain name,
  // are ignored.
  void add(const YAML::Node& document, const std::filesystem::path& configFile, const std::string& displayFile,
           const Value& rendered = nullptr);

  TemplateAction* find(std::string_view kind, std::string_view name);
  std::vector<std::string> names(std::string_view kind) const;

  // The action's variables, resolved on first use by `resolveVariables`; while that runs, a
  // request for the same action (a cycle) returns null.
  const Value* variablesOf(TemplateAction& action);
  std::function<void(TemplateAction&)> resolveVariables;
  // The project root, for the build folder of exec Builds (`.garden/build/<name>`).
  std::filesystem::path projectRoot;

private:
  std::map<std::string, TemplateAction> actions_;  // by "<kind>.<name>"
};

// The mode Garden gives an action: "sync" for a Deploy that `deploy --sync` syncs, else "default".
std::string actionMode(const CommandInfo& command, std::string_view kind, std::string_view name);

// `this` for an action: name, kind, mode, sourcePath, buildPath, disabled, var.
Value describeAction(const TemplateAction& action, const CommandInfo& command, const Value& variables);

}  // namespace gardensync::config::tmpl
