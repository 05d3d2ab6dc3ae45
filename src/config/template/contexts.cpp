#include "gardensync/config/template/contexts.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "gardensync/config/template/actions.h"
#include "gardensync/config/template/dates.h"
#include "gardensync/config/template/suggest.h"
#include "gardensync/util/text.h"

extern char** environ;

namespace gardensync::config::tmpl {

namespace {

const std::vector<std::string> kRootKeys{"actions", "command", "datetime", "environment", "git",  "local",
                                         "project", "secrets", "this",     "var",         "variables"};

std::string name(const Value& key) { return key.is_string() ? key.get<std::string>() : toText(key); }

// "x" is not a key of <where> (did you mean "y"?); keys: a, b
Lookup unknownKey(const std::string& key, const std::string& where, const std::vector<std::string>& keys) {
  std::string message = fmt::format("\"{}\" is not a key of {}", key, where);
  if (auto close = closestName(key, keys)) message += fmt::format(" (did you mean \"{}\"?)", *close);
  std::string list;
  for (const auto& k : keys) list += (list.empty() ? "" : ", ") + k;
  message += fmt::format("; its keys: {}", list.empty() ? "none" : list);
  return Lookup::missing(message);
}

// Walks the keys after `from` into a fixed mapping such as `project`, naming unknown keys.
Lookup lookupFixed(const Value& mapping, const std::vector<Value>& keys, const std::string& root) {
  if (keys.size() == 1) return Lookup::found(mapping);
  const std::string key = name(keys[1]);
  if (!mapping.contains(key)) {
    std::vector<std::string> names;
    for (const auto& [k, v] : mapping.items()) names.push_back(k);
    return unknownKey(key, root, names);
  }
  return lookupIn(mapping, keys, 1, root);
}

// Garden's kinds, and the aliases of its older `runtime.*` context.
std::string actionKind(const std::string& kind) {
  if (kind == "services") return "deploy";
  if (kind == "tasks") return "run";
  if (kind == "tests") return "test";
  return kind;
}

std::string kindTitle(const std::string& kind) {
  if (kind.empty()) return kind;
  std::string title = kind;
  title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
  return title;
}

}  // namespace

ContextScope::ContextScope(const TemplateContext& context) : ContextScope(context, nullptr, nullptr) {}

ContextScope::ContextScope(const TemplateContext& context, const Value* variables, Value thisAction,
                           const Value* rendered)
    : context_(context), variables_(variables), this_(std::move(thisAction)),
      rendered_(rendered ? rendered : &context.rendered) {
  const auto now = std::chrono::system_clock::now();
  const int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::string iso = toIsoString(ms);
  datetime_ = {{"now", iso}, {"today", iso.substr(0, 10)}, {"timestamp", numberValue(std::round(ms / 1000.0))}};
}

Lookup ContextScope::lookup(const std::vector<Value>& keys) const {
  const std::string root = name(keys[0]);
  if (root == "var" || root == "variables") return lookupVariable(keys);
  if (root == "local") return lookupLocal(keys);
  if (root == "project") return lookupFixed({{"name", context_.projectName}}, keys, "project");
  if (root == "environment") {
    const std::string& ns = context_.environmentNamespace;
    const Value environment{{"name", context_.environmentName},
                            {"namespace", ns},
                            {"fullName", ns.empty() ? context_.environmentName : ns + "." + context_.environmentName}};
    return lookupFixed(environment, keys, "environment");
  }
  if (root == "git")
    return lookupFixed({{"branch", context_.git.branch},
                        {"commitHash", context_.git.commitHash},
                        {"originUrl", context_.git.originUrl}},
                       keys, "git");
  if (root == "command")
    return lookupFixed({{"name", context_.command.name}, {"params", context_.command.params}}, keys, "command");
  if (root == "datetime") return lookupFixed(datetime_, keys, "datetime");
  if (root == "actions") return lookupAction(keys, 1);
  if (root == "runtime" || root == "action") return lookupAction(keys, 1);
  if (root == "this") {
    if (this_.is_null()) return Lookup::missing("`this` is only known in the config of an action");
    return lookupFixed(this_, keys, "this");
  }
  if (root == "secrets")
    return Lookup::missing(
        "secrets are stored in Garden Cloud, which gardensync does not use; set the value with a variable "
        "instead (`--var`, a varfile, or `${local.env.NAME}`)");
  if (root == "providers")
    return Lookup::unsupported(
        "provider outputs and configs come from Garden's plugins, which gardensync does not run; use a variable "
        "instead");
  if (root == "modules") {
    // Garden 0.13 converts a module into a Build named like it (config/module_conversion.h): its
    // outputs, version and path are that Build's.
    std::vector<Value> asAction{"actions", "build"};
    asAction.insert(asAction.end(), keys.begin() + 1, keys.end());
    if (asAction.size() > 3 && name(asAction[3]) == "path") asAction[3] = "sourcePath";
    return lookupAction(asAction, 1);
  }
  if (root == "inputs" || root == "parent" || root == "template") {
    if (!rendered_->is_object() || !rendered_->contains(root))
      return Lookup::missing(
          fmt::format("`{}` is only known in configs rendered from a ConfigTemplate (kind: RenderTemplate)", root));
    if (root == "inputs") return lookupIn((*rendered_)[root], keys, 1, "inputs");
    return lookupFixed((*rendered_)[root], keys, root);
  }
  if (root == "item") return Lookup::missing("`item` is only known inside $forEach ($return, $filter)");
  return unknownKey(root, "the template context", kRootKeys);
}

Lookup ContextScope::lookupVariable(const std::vector<Value>& keys) const {
  const std::string root = name(keys[0]);
  if (keys.size() == 1) {
    if (variables_) return Lookup::found(*variables_);
    Value all = Value::object();
    for (const auto& [key, value] : context_.variables) appendEntry(all, key, value);
    return Lookup::found(std::move(all));
  }
  const std::string variable = name(keys[1]);
  const Value* value = nullptr;
  if (variables_) {
    auto it = variables_->find(variable);
    if (it != variables_->end()) value = &*it;
  } else {
    auto it = context_.variables.find(variable);
    if (it != context_.variables.end()) value = &it->second;
  }
  if (!value) {
    std::vector<std::string> names;
    if (variables_)
      for (const auto& [key, item] : variables_->items()) names.push_back(key);
    else
      for (const auto& [key, item] : context_.variables) names.push_back(key);
    std::string message = fmt::format("no variable named \"{}\" is defined", variable);
    if (auto close = closestName(variable, names)) message += fmt::format(" (did you mean \"{}\"?)", *close);
    return Lookup::missing(message);
  }
  return lookupIn(*value, keys, 2, keyPathText(keys, 2));
}

Lookup ContextScope::lookupLocal(const std::vector<Value>& keys) const {
  const auto& local = context_.local;
  const Value fixed{{"artifactsPath", (context_.projectRoot / ".garden" / "artifacts").string()},
                    {"arch", local.arch},
                    {"platform", local.platform},
                    {"projectPath", context_.projectRoot.string()},
                    {"username", local.username},
                    {"usernameLowerCase", util::asciiLowercase(local.username)}};
  if (keys.size() >= 2 && name(keys[1]) == "env") {
    if (keys.size() == 2) {
      // All of them, as Node's process.env; with a lookup function there is nothing to list.
      Value all = Value::object();
      if (!context_.localEnv)
        for (char** entry = environ; entry && *entry; ++entry) {
          const std::string text = *entry;
          const size_t equals = text.find('=');
          if (equals != std::string::npos) all[text.substr(0, equals)] = text.substr(equals + 1);
        }
      return Lookup::found(std::move(all));
    }
    const std::string variable = name(keys[2]);
    std::optional<std::string> found;
    if (context_.localEnv) found = context_.localEnv(variable);
    else if (const char* raw = std::getenv(variable.c_str())) found = raw;
    if (!found) return Lookup::missing(fmt::format("environment variable {} is not set", variable));
    return lookupIn(Value(*found), keys, 3, keyPathText(keys, 3));
  }
  if (keys.size() == 1) {
    Value all = fixed;
    all["env"] = lookupLocal({"local", "env"}).value;
    return Lookup::found(std::move(all));
  }
  Value withEnv = fixed;
  withEnv["env"] = Value::object();
  return lookupFixed(withEnv, keys, "local");
}

Lookup ContextScope::lookupAction(const std::vector<Value>& keys, size_t kindIndex) const {
  const std::vector<std::string> kinds{"build", "deploy", "run", "test"};
  if (keys.size() <= kindIndex) return Lookup::missing("name an action: actions.<kind>.<name>");
  const std::string kind = actionKind(util::asciiLowercase(name(keys[kindIndex])));
  if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) return unknownKey(kind, "actions", kinds);
  if (keys.size() <= kindIndex + 1) return Lookup::missing(fmt::format("name an action: actions.{}.<name>", kind));
  const std::string actionName = name(keys[kindIndex + 1]);
  TemplateAction* action = context_.actions ? context_.actions->find(kind, actionName) : nullptr;
  const bool known = action || (kind == "build" && context_.buildNames.count(actionName));
  if (!known) {
    std::vector<std::string> names;
    if (context_.actions) names = context_.actions->names(kind);
    else if (kind == "build") names.assign(context_.buildNames.begin(), context_.buildNames.end());
    std::string message = fmt::format("no {} action named \"{}\"", kindTitle(kind), actionName);
    if (auto close = closestName(actionName, names)) message += fmt::format(" (did you mean \"{}\"?)", *close);
    return Lookup::missing(message);
  }
  const size_t fieldIndex = kindIndex + 2;
  const std::vector<std::string> fields{"buildPath", "disabled", "mode", "name", "outputs", "sourcePath", "var", "version"};
  if (keys.size() <= fieldIndex) {
    if (!action) return Lookup::missing(fmt::format("refer to an output: actions.build.{}.outputs.<name>", actionName));
    return Lookup::unsupported(
        fmt::format("actions.{}.{} as a whole holds outputs known only after it ran; refer to one of its keys",
                    kind, actionName));
  }
  const std::string field = name(keys[fieldIndex]);
  if (field == "outputs" || field == "version") {
    if (kind != "build")
      return Lookup::unsupported(fmt::format("the {} of {} {} exist only once it has run, and gardensync does not "
                                             "provide them",
                                             field == "version" ? "version" : "outputs", kindTitle(kind), actionName));
    if (field == "version") {
      if (keys.size() > fieldIndex + 1) return Lookup::missing("a Build's version is a string, which has no keys");
      return Lookup::deferred({actionName, "version"});
    }
    if (keys.size() == fieldIndex + 1)
      return Lookup::unsupported(
          fmt::format("the outputs of Build {} exist only after the build; refer to one: deploymentImageId or "
                      "version",
                      actionName));
    std::string output = name(keys[fieldIndex + 1]);
    if (output == "deployment-image-id") output = "deploymentImageId";
    if (output != "deploymentImageId" && output != "version")
      return Lookup::missing("Build outputs are deploymentImageId and version");
    if (keys.size() > fieldIndex + 2) return Lookup::missing("a Build output is a string, which has no keys");
    return Lookup::deferred({actionName, output});
  }
  if (!action) return unknownKey(field, fmt::format("actions.{}.{}", kind, actionName), {"outputs", "version"});
  if (field == "var") {
    const Value* variables = context_.actions->variablesOf(*action);
    if (!variables)
      return Lookup::missing(fmt::format("the variables of {} {} refer back to themselves", kindTitle(kind), actionName));
    return lookupIn(*variables, keys, fieldIndex + 1, keyPathText(keys, fieldIndex + 1));
  }
  const Value description = describeAction(*action, context_.command, Value::object());
  if (!description.contains(field) || field == "kind")
    return unknownKey(field, fmt::format("actions.{}.{}", kind, actionName), fields);
  return lookupIn(description, keys, fieldIndex, keyPathText(keys, fieldIndex));
}

}  // namespace gardensync::config::tmpl
