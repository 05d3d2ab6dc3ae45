#include "gardensync/config/yaml_reader.h"

#include <gtest/gtest.h>

namespace gardensync::config {
namespace {

// Reads `key` of a one-line YAML mapping as permission bits; `error` gets the message, if any.
std::optional<unsigned> bits(const std::string& yaml, std::string* error = nullptr) {
  Diagnostics diagnostics;
  YamlReader reader("f.yml", diagnostics, nullptr);
  auto value = reader.permissionBits(YAML::Load(yaml), "mode", "");
  if (error) *error = diagnostics.errors.empty() ? "" : diagnostics.errors[0].format();
  return value;
}

TEST(YamlReader, PermissionBitsAreOctal) {
  EXPECT_EQ(bits("mode: 0644"), 0644u);
  EXPECT_EQ(bits("mode: \"0644\""), 0644u);
  EXPECT_EQ(bits("mode: 0o600"), 0600u);
  EXPECT_EQ(bits("mode: 0"), 0u);
  std::string error;
  EXPECT_FALSE(bits("mode: 01000", &error));
  EXPECT_EQ(error, "f.yml:1:7: mode: \"01000\" is out of range (expected 0000-0777; write octal with a leading 0, "
                   "e.g. 0644)");
  EXPECT_FALSE(bits("mode: abc", &error));
  EXPECT_EQ(error, "f.yml:1:7: mode: \"abc\" is not valid permission bits (expected octal, e.g. 0644)");
}

TEST(YamlReader, PlainDecimalPermissionBitsAreAnError) {
  std::string error;
  EXPECT_FALSE(bits("mode: 400", &error));
  EXPECT_EQ(error, "f.yml:1:7: mode: \"400\" is ambiguous: write permission bits in octal with a leading 0 "
                   "(e.g. 0400)");
  EXPECT_FALSE(bits("mode: \"420\"", &error));
  EXPECT_EQ(error, "f.yml:1:7: mode: \"420\" is ambiguous: write permission bits in octal with a leading 0 "
                   "(e.g. 0420)");
  EXPECT_FALSE(bits("mode: 999", &error));
  EXPECT_EQ(error, "f.yml:1:7: mode: \"999\" is ambiguous: write permission bits in octal with a leading 0 "
                   "(e.g. 0644)");
}

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
