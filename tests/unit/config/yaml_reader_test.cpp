#include "gardensync/config/yaml_reader.h"

#include <gtest/gtest.h>

namespace gardensync::config {
namespace {

TEST(YamlReader, KeepEscapesHoldsOnlyWhileInScope) {
  Diagnostics diagnostics;
  TemplateContext templates;
  YamlReader reader("f.yml", diagnostics, &templates);
  const YAML::Node map = YAML::Load("a: \"$${HOME}\"");
  {
    YamlReader::KeepEscapes keep(reader);
    {
      YamlReader::KeepEscapes nested(reader);
    }
    EXPECT_EQ(reader.string(map, "a", ""), "$${HOME}");
  }
  EXPECT_EQ(reader.string(map, "a", ""), "${HOME}");
  EXPECT_TRUE(diagnostics.errors.empty());
}

}  // namespace
}  // namespace gardensync::config
