#include "gardensync/config/yaml_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../config/load_helpers.h"

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

// Every string read refuses NUL (it cannot pass through argv); names, paths, patterns and labels
// also refuse other control characters and bytes that are not UTF-8.
TEST(YamlReader, HostileValuesAreConfigErrorsWithPositions) {
  using ::testing::ElementsAre;
  EXPECT_THAT(gardensync::testing::loadErrors("errors/hostile-values"), ElementsAre(
      "project.garden.yml:11:22: spec.volumes[0].containerPath: contains the control character U+000A (line feed) "
      "at byte 5; paths, names, patterns and labels must be printable text",
      "project.garden.yml:15:17: spec.sync.paths[0].target: contains a NUL byte (at byte 1), which no command-line "
      "argument can carry",
      "project.garden.yml:16:17: spec.sync.paths[1].source: contains a NUL byte (at byte 10), which no "
      "command-line argument can carry",
      "project.garden.yml:20:19: spec.sync.paths[2].exclude[0]: contains the control character U+000A (line feed) "
      "at byte 1; paths, names, patterns and labels must be printable text",
      "project.garden.yml:20:27: spec.sync.paths[2].exclude[1]: contains the control character U+001B (escape) at "
      "byte 0; paths, names, patterns and labels must be printable text",
      "project.garden.yml:20:46: spec.sync.paths[2].exclude[3]: is not valid UTF-8 (byte 3 is 0xff)",
      "project.garden.yml:21:17: spec.sync.paths[3].source: contains the control character U+0009 (tab) at byte 3; "
      "paths, names, patterns and labels must be printable text"));
}

TEST(YamlReader, NulInAnyStringIsRefused) {
  Diagnostics diagnostics;
  YamlReader reader("f.yml", diagnostics, nullptr);
  EXPECT_FALSE(reader.string(YAML::Load("cmd: \"a\\0b\""), "cmd", "spec"));
  ASSERT_EQ(diagnostics.errors.size(), 1u);
  EXPECT_EQ(diagnostics.errors[0].format(),
            "f.yml:1:6: spec.cmd: contains a NUL byte (at byte 1), which no command-line argument can carry");
  // Line breaks stay allowed where they are ordinary (a script in a command).
  EXPECT_EQ(reader.string(YAML::Load("cmd: \"a\\nb\""), "cmd", "spec"), "a\nb");
}

}  // namespace
}  // namespace gardensync::config
