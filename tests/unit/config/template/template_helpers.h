// Evaluating template text in the unit tests of the template language.
#pragma once

#include <string>

#include "gardensync/config/template.h"
#include "gardensync/config/template/contexts.h"
#include "gardensync/config/template/interpolate.h"
#include "gardensync/config/template/parser.h"

namespace gardensync::testing {

// A context with a project "shop" in environment "dev" (namespace "team-a") and a few variables.
inline config::TemplateContext sampleContext() {
  config::TemplateContext context;
  context.projectName = "shop";
  context.environmentName = "dev";
  context.environmentNamespace = "team-a";
  context.variables = {
      {"name", "api"},
      {"port", 8080},
      {"enabled", true},
      {"list", config::tmpl::Value::array({"a", "b", "c"})},
      {"obj", {{"key", "value"}, {"a-b", "dash"}, {"nested", {{"deep", 1}}}}},
      {"empty", ""},
      {"nothing", nullptr},
      {"replicas", {{"dev", 1}, {"prod", 3}}},
  };
  context.localEnv = [](const std::string& name) -> std::optional<std::string> {
    if (name == "USER") return "Ada";
    if (name == "LOG_LEVEL") return "debug";
    return std::nullopt;
  };
  context.buildNames = {"api"};
  context.local = {"Ada", "linux", "x64"};
  return context;
}

// The value of `text` (a whole value keeps its type); throws TemplateError.
inline config::tmpl::Value evaluateText(const std::string& text,
                                        const config::TemplateContext& context = sampleContext()) {
  const config::tmpl::ContextScope scope(context);
  const auto rendered = config::tmpl::renderTemplate(config::tmpl::parseTemplate(text), scope, {});
  if (rendered.kind == config::tmpl::Rendered::Kind::Undefined) return "<undefined>";
  return rendered.value;
}

// The message of the TemplateError `text` throws, or "" when it resolves.
inline std::string errorOf(const std::string& text, const config::TemplateContext& context = sampleContext()) {
  try {
    evaluateText(text, context);
  } catch (const config::TemplateError& e) {
    return e.what();
  }
  return "";
}

}  // namespace gardensync::testing
