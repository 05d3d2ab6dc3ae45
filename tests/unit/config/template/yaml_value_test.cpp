#include "gardensync/config/template/yaml_value.h"

#include <gtest/gtest.h>

namespace gardensync::config::tmpl {
namespace {

TEST(TemplateYamlValue, ScalarsAreTypedAsYaml12CoreSchema) {
  const Value value = yamlToValue(YAML::Load(
      "{int: 8080, float: 1.5, yes: true, no: False, nil: ~, empty: , quoted: '8080', text: yes, octal: 0o17, "
      "mode: 0644, hex: 0x1f, list: [1, a], inf: .inf}"));
  EXPECT_EQ(value["int"], 8080);
  EXPECT_EQ(value["float"], 1.5);
  EXPECT_EQ(value["yes"], true);
  EXPECT_EQ(value["no"], false);
  EXPECT_TRUE(value["nil"].is_null());
  EXPECT_TRUE(value["empty"].is_null());
  EXPECT_EQ(value["quoted"], "8080");
  EXPECT_EQ(value["text"], "yes");  // YAML 1.2: yes is a string
  // Spellings that carry meaning in a config (permission bits) stay text.
  EXPECT_EQ(value["octal"], "0o17");
  EXPECT_EQ(value["mode"], "0644");
  EXPECT_EQ(value["hex"], "0x1f");
  EXPECT_EQ(value["list"], Value::array({1, "a"}));
  EXPECT_TRUE(value["inf"].is_number_float());
  EXPECT_EQ(plainScalarValue("0o17", NumberSpelling::Typed), 15);
  EXPECT_EQ(plainScalarValue("0x1f", NumberSpelling::Typed), 31);
}

TEST(TemplateYamlValue, KeysKeepTheirOrderAndTheFirstOfTwinsCounts) {
  const Value value = yamlToValue(YAML::Load("{b: 1, a: 2, b: 3}"));
  EXPECT_EQ(value.dump(), "{\"b\":1,\"a\":2}");
}

TEST(TemplateYamlValue, EncodeAsJsYaml) {
  EXPECT_EQ(yamlEncode({{"my", "simple document"}}), "my: simple document\n");
  EXPECT_EQ(yamlEncode(Value::array({{{"a", 1}, {"b", Value::array({"x"})}}, "s"})), "- a: 1\n  b:\n    - x\n- s\n");
  EXPECT_EQ(yamlEncode({{"n", nullptr}, {"e", ""}, {"k: v", "#x"}}), "n: null\ne: ''\n'k: v': '#x'\n");
  EXPECT_EQ(yamlEncode("plain"), "plain\n");
  EXPECT_EQ(yamlToValue(YAML::Load(yamlEncode({{"multi", "a\nb"}, {"date", "2021-01-01"}}))),
            Value({{"multi", "a\nb"}, {"date", "2021-01-01"}}));
}

TEST(TemplateYamlValue, ValuesBackToYaml) {
  const YAML::Node node = valueToYaml({{"n", 1.5}, {"list", Value::array({true, nullptr})}});
  EXPECT_EQ(node["n"].Scalar(), "1.5");
  EXPECT_EQ(node["list"][0].Scalar(), "true");
  EXPECT_TRUE(node["list"][1].IsNull());
}

}  // namespace
}  // namespace gardensync::config::tmpl
