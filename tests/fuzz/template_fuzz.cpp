// Template strings: any text resolves, or fails with a TemplateError; build output references
// resolve in the second step without surprises.
#include <string>

#include "fuzz_target.h"
#include "gardensync/config/template.h"
#include "gardensync/util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gardensync::config;
  const std::string text(reinterpret_cast<const char*>(data), size);
  TemplateContext context;
  context.projectName = "fuzz";
  context.environmentName = "local";
  context.variables = {{"name", "value"}, {"nested", "${var.name}"}, {"empty", ""}};
  context.localEnv = [](const std::string& name) -> std::optional<std::string> {
    if (name == "HOME") return "/home/fuzz";
    return std::nullopt;
  };
  context.buildNames = {"api"};
  ResolveBudget budget;
  context.budget = &budget;
  for (Escapes escapes : {Escapes::Unescape, Escapes::Keep}) {
    try {
      const std::string resolved = resolveLoadTime(text, context, escapes);
      (void)resolveBuildOutputs(resolved, {{"api.deploymentImageId", "img:1"}, {"api.version", "v-1"}});
    } catch (const TemplateError&) {
    } catch (const gardensync::Error&) {
    }
  }
  return 0;
}
