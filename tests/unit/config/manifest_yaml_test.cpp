#include "gardensync/config/manifest_yaml.h"

#include <gtest/gtest.h>

namespace gardensync::config {
namespace {

TEST(ManifestYaml, PlainScalarsGetTheTypesKubectlGivesThem) {
  EXPECT_EQ(plainScalarValue("2"), 2);
  EXPECT_EQ(plainScalarValue("-7"), -7);
  EXPECT_EQ(plainScalarValue("0644"), 0644);  // YAML 1.1 octal, as in defaultMode: 0644
  EXPECT_EQ(plainScalarValue("0o17"), 017);
  EXPECT_EQ(plainScalarValue("0x1f"), 31);
  EXPECT_EQ(plainScalarValue("0"), 0);
  EXPECT_EQ(plainScalarValue("1.5"), 1.5);
  EXPECT_EQ(plainScalarValue("true"), true);
  EXPECT_EQ(plainScalarValue("False"), false);
  EXPECT_TRUE(plainScalarValue("~").is_null());
  EXPECT_TRUE(plainScalarValue("null").is_null());
  EXPECT_EQ(plainScalarValue("IfNotPresent"), "IfNotPresent");
  EXPECT_EQ(plainScalarValue("1.2.3"), "1.2.3");
  EXPECT_EQ(plainScalarValue("12abc"), "12abc");
}

nlohmann::json convert(const std::string& yaml, Diagnostics& diagnostics) {
  YamlReader reader("test.yml", diagnostics, nullptr);
  auto json = yamlToJson(reader, YAML::Load(yaml), "spec");
  return json ? *json : nlohmann::json("<failed>");
}

TEST(ManifestYaml, QuotedAndBlockScalarsStayStrings) {
  Diagnostics diagnostics;
  auto json = convert("a: \"2\"\nb: '0644'\nc: |\n  line\nd: [1, \"1\", x]\ne:\n", diagnostics);
  EXPECT_EQ(json["a"], "2");
  EXPECT_EQ(json["b"], "0644");
  EXPECT_EQ(json["c"], "line\n");
  EXPECT_EQ(json["d"], nlohmann::json::parse(R"([1, "1", "x"])"));
  EXPECT_TRUE(json["e"].is_null());
  EXPECT_TRUE(diagnostics.errors.empty());
}

TEST(ManifestYaml, ANonTextKeyIsAnError) {
  Diagnostics diagnostics;
  convert("? [a, b]\n: 1\n", diagnostics);
  ASSERT_EQ(diagnostics.errors.size(), 1u);
  EXPECT_EQ(diagnostics.errors[0].message, "keys must be plain text");
}

}  // namespace
}  // namespace gardensync::config
