#include "gardensync/config/action_parser.h"

#include <gtest/gtest.h>

namespace gardensync::config {
namespace {

// A container Deploy with `count` env keys K0..; the last one refers to Build api's version.
std::string deployWithEnv(size_t count) {
  std::string yaml = "kind: Deploy\nname: big\ntype: container\nspec:\n  image: busybox\n  env:\n";
  for (size_t i = 0; i + 1 < count; ++i) yaml += "    K" + std::to_string(i) + ": v" + std::to_string(i) + "\n";
  yaml += "    K" + std::to_string(count - 1) + ": ${actions.build.api.outputs.version}\n";
  return yaml;
}

// Finding each env value's node with a search per key made this quadratic: 40,000 keys took
// 56 s to validate; now reading them is linear.
TEST(ActionParser, AContainerDeployWithFortyThousandEnvKeysLoads) {
  constexpr size_t kCount = 40000;
  Diagnostics diagnostics;
  TemplateContext templates;
  templates.buildNames = {"api"};
  YamlReader reader("big.garden.yml", diagnostics, &templates);
  std::optional<Action> action = parseAction(reader, YAML::Load(deployWithEnv(kCount)), "/p/big.garden.yml", "/p");
  ASSERT_TRUE(action);
  EXPECT_TRUE(diagnostics.errors.empty());
  ASSERT_EQ(action->env.size(), kCount);
  EXPECT_EQ(action->env[12345], (std::pair<std::string, std::string>("K12345", "v12345")));
  // The reference in the last key makes Build api a dependency, positioned at that value.
  ASSERT_EQ(action->dependencies.size(), 1u);
  const ActionRef& dependency = action->dependencies[0];
  EXPECT_EQ(dependency.name, "api");
  EXPECT_EQ(dependency.keyPath, "spec.env.K39999");
  EXPECT_EQ(dependency.position.line, static_cast<int>(6 + kCount));
  EXPECT_EQ(dependency.position.column, 13);
}

}  // namespace
}  // namespace gardensync::config
