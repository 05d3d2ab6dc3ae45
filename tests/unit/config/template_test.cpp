#include "gardensync/config/template.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace gardensync::config {
namespace {

TemplateContext context() {
  TemplateContext c;
  c.projectName = "shop";
  c.environmentName = "dev";
  c.variables = {{"port", "8080"}};
  c.localEnv = [](const std::string& name) -> std::optional<std::string> {
    if (name == "USER") return "ada";
    return std::nullopt;
  };
  c.buildNames = {"api"};
  return c;
}

TEST(Template, ResolvesTheSupportedReferences) {
  EXPECT_EQ(resolveLoadTime("${project.name}-${environment.name}:${var.port} by ${local.env.USER}", context()),
            "shop-dev:8080 by ada");
  EXPECT_EQ(resolveLoadTime("${ var.port }", context()), "8080");
  EXPECT_EQ(resolveLoadTime("plain", context()), "plain");
}

TEST(Template, KeepsBuildOutputsForLater) {
  EXPECT_EQ(resolveLoadTime("${actions.build.api.outputs.deploymentImageId}", context()),
            "${actions.build.api.outputs.deploymentImageId}");
}

TEST(Template, EscapedDollarIsLiteral) { EXPECT_EQ(resolveLoadTime("$${HOME}", context()), "${HOME}"); }

TEST(Template, UnknownReferencesThrowWithOffset) {
  try {
    resolveLoadTime("x ${var.nope}", context());
    FAIL();
  } catch (const TemplateError& e) {
    EXPECT_EQ(e.offset, 2u);
    EXPECT_STREQ(e.what(), "${var.nope}: no variable named \"nope\" is defined");
  }
  EXPECT_THROW(resolveLoadTime("${local.env.NOPE}", context()), TemplateError);
  EXPECT_THROW(resolveLoadTime("${actions.build.web.outputs.version}", context()), TemplateError);
  EXPECT_THROW(resolveLoadTime("${actions.build.api.outputs.nope}", context()), TemplateError);
  EXPECT_THROW(resolveLoadTime("${secrets.x}", context()), TemplateError);
  EXPECT_THROW(resolveLoadTime("${var.port", context()), TemplateError);
}

TEST(Template, BuildOutputsResolveOrBecomePending) {
  const std::string text = "${actions.build.api.outputs.deploymentImageId} ${actions.build.api.outputs.version}";
  EXPECT_EQ(resolveBuildOutputs(text, {{"api.deploymentImageId", "gs/api:abc"}}),
            "gs/api:abc <pending:actions.build.api.outputs.version>");
  auto refs = findBuildOutputRefs(text);
  ASSERT_EQ(refs.size(), 2u);
  EXPECT_EQ(refs[0].build, "api");
  EXPECT_EQ(refs[1].output, "version");
}

TEST(Template, KeepModeLeavesEscapesForTheBuildOutputPass) {
  const std::string text = "$${actions.build.web.outputs.version} ${actions.build.api.outputs.version} $${HOME";
  const std::string loaded = resolveLoadTime(text, context(), Escapes::Keep);
  EXPECT_EQ(loaded, text);
  auto refs = findBuildOutputRefs(loaded);
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0].build, "api");
  EXPECT_EQ(resolveBuildOutputs(loaded, {{"api.version", "v-1"}}), "${actions.build.web.outputs.version} v-1 ${HOME");
}

TEST(Template, KeepModeEscapesSubstitutedValues) {
  TemplateContext c = context();
  c.variables["shell"] = "${HOME} $${x}";
  c.variables["ref"] = "${actions.build.api.outputs.version}";
  const std::string loaded = resolveLoadTime("${var.shell} ${var.ref}", c, Escapes::Keep);
  EXPECT_TRUE(findBuildOutputRefs(loaded).empty());
  // A variable's value is literal: it is not resolved a second time.
  EXPECT_EQ(resolveBuildOutputs(loaded, {{"api.version", "v-1"}}),
            "${HOME} $${x} ${actions.build.api.outputs.version}");
  EXPECT_EQ(resolveLoadTime("${var.shell}", c), "${HOME} $${x}");
}

TEST(Template, FindingReferencesSkipsEscapesAndNeverThrows) {
  EXPECT_TRUE(findBuildOutputRefs("$${actions.build.api.outputs.version}").empty());
  EXPECT_TRUE(findBuildOutputRefs("cost: $${HOME").empty());
  EXPECT_TRUE(findBuildOutputRefs("${actions.build.api.outputs.version").empty());
  EXPECT_EQ(findVariableRefs("${var.a}-$${var.b}-${ var.c }-${project.name}-${var.d"),
            (std::vector<std::string>{"a", "c"}));
}

// `v1: ${var.v0}${var.v0}`, and so on, doubles a string per line: without a limit 40 lines ask
// for 512 GiB. The limit is checked while the string is built, so it is never built.
TEST(Template, AStringResolvingToMoreThanOneMiBIsAnError) {
  TemplateContext c = context();
  c.variables["half"] = std::string(kMaxResolvedBytes / 2, 'x');
  EXPECT_EQ(resolveLoadTime("${var.half}${var.half}", c).size(), kMaxResolvedBytes);  // exactly 1 MiB is fine
  try {
    resolveLoadTime("${var.half}${var.half}!", c);
    FAIL();
  } catch (const TemplateError& e) {
    EXPECT_STREQ(e.what(), "resolves to more than 1 MiB (1048576 bytes); gardensync stops here to protect memory");
    EXPECT_EQ(e.offset, 22u);  // the `!` that passes the limit
  }
  c.variables["half"] = c.variables["half"].get<std::string>() + "y";
  EXPECT_THROW(resolveLoadTime("${var.half}${var.half}", c, Escapes::Keep), TemplateError);
}

TEST(Template, ALoadResolvesNoMoreThanItsBudget) {
  TemplateContext c = context();
  ResolveBudget budget;
  budget.remaining = 10;
  c.budget = &budget;
  EXPECT_EQ(resolveLoadTime("${var.port}", c), "8080");
  EXPECT_EQ(resolveLoadTime("p${var.port}", c), "p8080");
  EXPECT_EQ(budget.remaining, 1u);
  EXPECT_FALSE(budget.spent);
  try {
    resolveLoadTime("${var.port}", c);
    FAIL();
  } catch (const TemplateError& e) {
    EXPECT_EQ(e.what(), budgetSpentMessage());
    EXPECT_EQ(budgetSpentMessage(), "the strings resolved in this project would pass 64 MiB (67108864 bytes) in "
                                    "total; gardensync stops here to protect memory");
  }
  EXPECT_TRUE(budget.spent);
  EXPECT_EQ(budget.remaining, 1u);  // a refused string costs nothing
  EXPECT_EQ(resolveLoadTime("1", c), "1");
}

// The issue's examples of Garden configs that stopped at validate.
TEST(Template, GardenExpressionsResolve) {
  TemplateContext c = context();
  c.variables["username"] = "Ada Lovelace";
  c.environmentNamespace = "ada";
  c.local.username = "Ada.Lovelace";
  EXPECT_EQ(resolveLoadTime("${kebabCase(local.username)}", c), "ada-lovelace");
  EXPECT_EQ(resolveLoadTime("${environment.name == 'prod' ? 'a' : 'b'}", c), "b");
  EXPECT_EQ(resolveLoadTime("${environment.namespace}", c), "ada");
  EXPECT_EQ(resolveLoadTime("${var.port + 1}", c), "80801");  // "8080" is text, and text + 1 appends, as in Garden
  c.variables["port"] = 8080;
  EXPECT_EQ(resolveLoadTime("${var.port + 1}", c), "8081");
  EXPECT_EQ(resolveLoadTime("${local.env.NOPE || 'fallback'}", c), "fallback");
}

// Where a caller wants text, a whole value that is a list or a mapping is an error.
TEST(Template, AListWhereTextIsExpectedIsAnError) {
  TemplateContext c = context();
  c.variables["list"] = tmpl::Value::array({"a"});
  EXPECT_EQ(resolveLoadTime("${var.list}!", c), "a!");
  try {
    resolveLoadTime("${var.list}", c);
    FAIL();
  } catch (const TemplateError& e) {
    EXPECT_STREQ(e.what(), "${var.list} is a list, where text is expected");
  }
}

TEST(Template, BuildOutputsAnyWayWrittenBecomeOneReference) {
  EXPECT_EQ(resolveLoadTime("${actions.build[\"api\"].outputs.deployment-image-id}", context()),
            "${actions.build.api.outputs.deploymentImageId}");
  EXPECT_EQ(resolveLoadTime("${actions.build.api.version}", context()), "${actions.build.api.outputs.version}");
  try {
    resolveLoadTime("${actions.build.api.outputs.version || 'x'}", context());
    FAIL();
  } catch (const TemplateError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("a build output can only be used as a reference by itself"));
  }
  EXPECT_EQ(findBuildOutputRefs("${actions.build.api.version} ${ actions.build.api.outputs.deployment-image-id }")
                .size(),
            2u);
}

TEST(Template, VariableReferencesInsideExpressions) {
  EXPECT_EQ(findVariableRefs("${var.a || variables.b} ${upper(var[\"c\"])} ${var[var.d]} ${'${var.e}'}"),
            (std::vector<std::string>{"a", "b", "c", "d", "e"}));
}

}  // namespace
}  // namespace gardensync::config
