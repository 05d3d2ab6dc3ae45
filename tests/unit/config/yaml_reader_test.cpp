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

TEST(YamlReader, RenamedKeyNamesTheSpellingToUse) {
  Diagnostics diagnostics;
  YamlReader reader("f.yml", diagnostics, nullptr);
  reader.rejectUnknownKeys(YAML::Load("{source: src, sourcePath: src}"), "p", {"sourcePath"},
                           {{"source", "sourcePath"}});
  ASSERT_EQ(diagnostics.errors.size(), 1u);
  EXPECT_EQ(diagnostics.errors[0].format(), "f.yml:1:2: p.source: is not a known key here (did you mean \"sourcePath\"?)");
}

}  // namespace
}  // namespace gardensync::config
