#include "gardensync/config/template/contexts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "gardensync/config/template/actions.h"
#include "template_helpers.h"

namespace gardensync::config::tmpl {
namespace {

using gardensync::testing::errorOf;
using gardensync::testing::evaluateText;
using gardensync::testing::sampleContext;
using ::testing::HasSubstr;

TEST(TemplateContexts, ProjectEnvironmentAndLocal) {
  TemplateContext c = sampleContext();
  c.projectRoot = "/home/ada/shop";
  c.git = {"main", "abc123", "git@example.com:shop.git"};
  c.command.name = "deploy";
  c.command.params = {{"sync", Value::array({"*"})}};
  EXPECT_EQ(evaluateText("${project.name}", c), "shop");
  EXPECT_EQ(evaluateText("${environment.name}/${environment.namespace}/${environment.fullName}", c),
            "dev/team-a/team-a.dev");
  EXPECT_EQ(evaluateText("${local.username} ${local.usernameLowerCase} ${local.platform} ${local.arch}", c),
            "Ada ada linux x64");
  EXPECT_EQ(evaluateText("${local.projectPath} ${local.artifactsPath}", c),
            "/home/ada/shop /home/ada/shop/.garden/artifacts");
  EXPECT_EQ(evaluateText("${local.env.USER}", c), "Ada");
  EXPECT_EQ(evaluateText("${git.branch} ${git.commitHash} ${git.originUrl}", c), "main abc123 git@example.com:shop.git");
  EXPECT_EQ(evaluateText("${command.name}", c), "deploy");
  EXPECT_EQ(evaluateText("${command.params contains 'sync' && command.params.sync contains '*'}", c), true);
  EXPECT_THAT(evaluateText("${datetime.now}", c).get<std::string>(), ::testing::MatchesRegex("....-..-..T..:..:..\\....Z"));
  EXPECT_TRUE(evaluateText("${datetime.timestamp}", c).is_number());
}

TEST(TemplateContexts, FullNameWithoutNamespaceIsTheName) {
  TemplateContext c = sampleContext();
  c.environmentNamespace.clear();
  EXPECT_EQ(evaluateText("${environment.fullName}", c), "dev");
}

TEST(TemplateContexts, UnknownKeysNameTheClosest) {
  EXPECT_EQ(errorOf("${locl.env.HOME}"),
            "${locl.env.HOME}: \"locl\" is not a key of the template context (did you mean \"local\"?); its keys: "
            "actions, command, datetime, environment, git, local, project, secrets, this, var, variables");
  EXPECT_EQ(errorOf("${environment.namespce}"),
            "${environment.namespce}: \"namespce\" is not a key of environment (did you mean \"namespace\"?); its "
            "keys: name, namespace, fullName");
  EXPECT_EQ(errorOf("${local.usrname}"),
            "${local.usrname}: \"usrname\" is not a key of local (did you mean \"username\"?); its keys: "
            "artifactsPath, arch, platform, projectPath, username, usernameLowerCase, env");
  EXPECT_EQ(errorOf("${var.nmae}"), "${var.nmae}: no variable named \"nmae\" is defined (did you mean \"name\"?)");
  EXPECT_EQ(errorOf("${local.env.NOPE}"), "${local.env.NOPE}: environment variable NOPE is not set");
}

TEST(TemplateContexts, SecretsNeedGardenCloud) {
  EXPECT_THAT(errorOf("${secrets.DB_PASSWORD}"),
              HasSubstr("${secrets.DB_PASSWORD}: secrets are stored in Garden Cloud, which gardensync does not use"));
}

TEST(TemplateContexts, ContextsGardensyncCannotFill) {
  EXPECT_THAT(errorOf("${providers.kubernetes.outputs.app-namespace}"),
              HasSubstr("provider outputs and configs come from Garden's plugins"));
  EXPECT_THAT(errorOf("${inputs.name}"), HasSubstr("only known in configs rendered from a ConfigTemplate"));
  EXPECT_THAT(errorOf("${this.name}"), HasSubstr("`this` is only known in the config of an action"));
}

TEST(TemplateContexts, Actions) {
  TemplateContext c = sampleContext();
  c.command.name = "deploy";
  c.command.params = {{"sync", "api,worker"}};
  c.actions = std::make_shared<ActionRegistry>();
  c.actions->add(YAML::Load("{kind: Build, name: api-image, source: {path: ../shared}}"), "/p/api/garden.yml",
                 "api/garden.yml");
  c.actions->add(YAML::Load("{kind: Deploy, name: api, disabled: false}"), "/p/api/garden.yml", "api/garden.yml");
  c.actions->add(YAML::Load("{kind: Deploy, name: db}"), "/p/db/garden.yml", "db/garden.yml");
  c.actions->add(YAML::Load("{kind: Run, name: seed}"), "/p/db/garden.yml", "db/garden.yml");
  c.actions->resolveVariables = [](TemplateAction& action) { action.variables = {{"who", action.name}}; };
  EXPECT_EQ(evaluateText("${actions.build.api-image.sourcePath}", c), "/p/shared");
  EXPECT_EQ(evaluateText("${actions.deploy.api.mode} ${actions.deploy.db.mode}", c), "sync default");
  EXPECT_EQ(evaluateText("${actions.deploy.db.var.who}", c), "db");
  EXPECT_EQ(evaluateText("${actions.run.seed.name}", c), "seed");
  EXPECT_EQ(evaluateText("${actions.deploy.api.disabled}", c), false);
  EXPECT_EQ(evaluateText("${runtime.services.db.name}", c), "db");  // Garden's older alias
  EXPECT_EQ(evaluateText("${actions.build.api-image.version}", c), "${actions.build.api-image.outputs.version}");
  EXPECT_THAT(errorOf("${actions.deploy.apy.name}", c),
              "${actions.deploy.apy.name}: no Deploy action named \"apy\" (did you mean \"api\"?)");
  EXPECT_THAT(errorOf("${actions.run.seed.outputs.log}", c),
              HasSubstr("the outputs of Run seed exist only once it has run, and gardensync does not provide them"));
  EXPECT_THAT(errorOf("${actions.deploy.api.nme}", c), HasSubstr("(did you mean \"name\"?)"));
}

TEST(TemplateContexts, ThisInAnAction) {
  TemplateContext c = sampleContext();
  TemplateAction action;
  action.kind = "deploy";
  action.name = "api";
  action.sourcePath = "/p/api";
  const Value variables{{"name", "from-action"}};
  const ContextScope scope(c, &variables, describeAction(action, c.command, variables));
  const auto render = [&](const std::string& text) {
    return renderTemplate(parseTemplate(text), scope, {}).value;
  };
  EXPECT_EQ(render("${this.name} ${this.mode} ${this.sourcePath} ${this.var.name} ${var.name}"),
            "api default /p/api from-action from-action");
}

TEST(TemplateContexts, ActionModeFollowsDeploySync) {
  CommandInfo command;
  command.name = "deploy";
  EXPECT_EQ(actionMode(command, "deploy", "api"), "default");
  command.params = {{"sync", "*"}};
  EXPECT_EQ(actionMode(command, "deploy", "api"), "sync");
  EXPECT_EQ(actionMode(command, "build", "api"), "default");
  command.params = {{"sync", Value::array()}, {"names", Value::array({"web"})}};  // `deploy web --sync`
  EXPECT_EQ(actionMode(command, "deploy", "api"), "default");
  EXPECT_EQ(actionMode(command, "deploy", "web"), "sync");
  command.name = "validate";
  EXPECT_EQ(actionMode(command, "deploy", "web"), "default");
}

}  // namespace
}  // namespace gardensync::config::tmpl
