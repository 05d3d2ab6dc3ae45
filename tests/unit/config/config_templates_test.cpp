// ConfigTemplate and RenderTemplate (tests/fixtures/kinds/templates), as Garden 0.13/0.14 render
// them.
#include "gardensync/config/config_templates.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "gardensync/config/loader.h"
#include "load_helpers.h"

namespace gardensync::config {
namespace {

using gardensync::testing::fixture;
using gardensync::testing::loadErrors;
using gardensync::testing::loadFixture;
using ::testing::ElementsAre;
using ::testing::Pair;

std::map<std::string, std::string> envOf(const Action& action) {
  return {action.env.begin(), action.env.end()};
}

TEST(ConfigTemplates, EachRenderTemplateGetsItsOwnActionsWithInputsParentAndTemplate) {
  ProjectConfig config = loadFixture("kinds/templates");
  const Action* api = config.find(ActionKind::Deploy, "api");
  ASSERT_NE(api, nullptr);
  // The schema's default (replicas: 2), the template's and parent's names, project variables and
  // the config's own variables, which may use inputs.
  EXPECT_THAT(envOf(*api), ElementsAre(Pair("DOUBLED", "16160"), Pair("GREETING", "hi"),
                                       Pair("IMAGE", "${actions.build.api-image.outputs.deploymentImageId}"),
                                       Pair("PORT", "8080"), Pair("REPLICAS", "2"), Pair("TEMPLATE", "service")));
  EXPECT_EQ(api->build, "api-image");
  ASSERT_NE(config.find(ActionKind::Build, "api-image"), nullptr);
  // They count as written in the RenderTemplate's folder.
  EXPECT_EQ(api->dir, fixture("kinds/templates/services").lexically_normal());
  EXPECT_EQ(config.find(ActionKind::Build, "api-image")->dir, fixture("kinds/templates/services").lexically_normal());

  const Action* web = config.find(ActionKind::Deploy, "web");
  ASSERT_NE(web, nullptr);
  EXPECT_EQ(envOf(*web)["PORT"], "9090");  // an input from a project variable
  EXPECT_EQ(envOf(*web)["REPLICAS"], "5");
  const Action* seed = config.find(ActionKind::Run, "web-seed");
  ASSERT_NE(seed, nullptr);
  EXPECT_EQ(seed->dependencies.at(0).name, "web");
}

TEST(ConfigTemplates, AMatrixRendersEveryCombinationAndInputsWin) {
  ProjectConfig config = loadFixture("kinds/templates");
  for (const char* region : {"eu", "us"}) {
    const Action* worker = config.find(ActionKind::Deploy, std::string("worker-") + region);
    ASSERT_NE(worker, nullptr) << region;
    EXPECT_EQ(envOf(*worker)["REGION"], region);
    EXPECT_EQ(envOf(*worker)["SIZE"], "medium");  // `inputs` over the matrix
    EXPECT_EQ(worker->dir, fixture("kinds/templates/services/sub").lexically_normal());  // the config's `path`
  }
  // A 0.12 templated Module renders the same way; a disabled RenderTemplate renders nothing.
  const Action* legacy = config.find(ActionKind::Deploy, "worker-ap");
  ASSERT_NE(legacy, nullptr);
  EXPECT_EQ(envOf(*legacy)["SIZE"], "small");
  EXPECT_EQ(config.find(ActionKind::Deploy, "worker-off"), nullptr);
}

TEST(ConfigTemplates, ErrorsArePositionedInTheFileThatHasTheMistake) {
  EXPECT_THAT(loadErrors("kinds/template-errors"),
              ElementsAre("project.garden.yml:21:11: template: \"servce\" is not a ConfigTemplate of this project "
                          "(did you mean \"service\"?)",
                          // A missing input: at the inputs; a wrong one: at its value.
                          "project.garden.yml:28:3: inputs.tag: is required (inputs schema of ConfigTemplate service)",
                          "project.garden.yml:28:9: inputs.port: must be an integer, got \"80\" (inputs schema of "
                          "ConfigTemplate service)",
                          "project.garden.yml:29:9: inputs.tier: must be one of \"gold\", \"silver\", got \"bronze\" "
                          "(inputs schema of ConfigTemplate service)",
                          "project.garden.yml:30:10: inputs.extra: is not an input of this template (its inputs: "
                          "port, tier, tag) (inputs schema of ConfigTemplate service)",
                          // A broken schema: once, at the template, when it is first used.
                          "project.garden.yml:17:19: inputsSchemaPath: cannot read the inputs schema " +
                              fixture("kinds/template-errors/missing.json").lexically_normal().string(),
                          "project.garden.yml:40:3: inputs.tag: is required (inputs schema of ConfigTemplate service)"));
}

}  // namespace
}  // namespace gardensync::config
