#include "gardensync/config/template/varfile.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../load_helpers.h"

namespace gardensync::config::tmpl {
namespace {

using gardensync::testing::fixture;

// motdotla/dotenv's rules, as Garden reads `.env` varfiles.
TEST(Varfile, DotenvLines) {
  const Value values = parseDotenv(
      "# comment\n"
      "PLAIN=value\n"
      "export EXPORTED = spaced out  \n"
      "SINGLE='single # not a comment'\n"
      "DOUBLE=\"line\\nbreak\"\n"
      "MULTI=\"first\nsecond\"\n"
      "INLINE=value # a comment\n"
      "EMPTY=\n"
      "dotted.key-name=ok\n"
      "not a line\n"
      "PLAIN=last wins\n");
  EXPECT_EQ(values, Value({{"PLAIN", "last wins"},
                           {"EXPORTED", "spaced out"},
                           {"SINGLE", "single # not a comment"},
                           {"DOUBLE", "line\nbreak"},
                           {"MULTI", "first\nsecond"},
                           {"INLINE", "value"},
                           {"EMPTY", ""},
                           {"dotted.key-name", "ok"}}));
}

TEST(Varfile, FormatByExtension) {
  const auto dir = fixture("garden-templates/varfiles");
  EXPECT_EQ(loadVarfile(dir / "vars.yaml"), Value({{"list", Value::array({"a", "b"})}, {"port", 9000}}));
  EXPECT_EQ(loadVarfile(dir / "vars.json"), Value({{"nested", {{"key", "value"}}}}));
  EXPECT_EQ(loadVarfile(dir / "vars.env"), Value({{"FROM_DOTENV", "yes"}}));
  EXPECT_THAT([&] { loadVarfile(dir / "list.yml"); },
              ::testing::ThrowsMessage<VarfileError>(::testing::HasSubstr("must be a single plain YAML mapping")));
  EXPECT_THROW(loadVarfile(dir / "missing.env"), VarfileError);
}

}  // namespace
}  // namespace gardensync::config::tmpl
