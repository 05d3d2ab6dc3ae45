#include "gardensync/config/yaml_text.h"

#include <gtest/gtest.h>

namespace gardensync::config {
namespace {

std::string problemAt(std::string_view text) {
  auto problem = checkYamlText(text);
  return problem ? std::to_string(problem->line) + ":" + std::to_string(problem->column) : "";
}

// Each of these made yaml-cpp 0.7 loop forever (found by the yaml_loader fuzz target).
TEST(YamlText, CommasThatHangYamlCppAreRefused) {
  EXPECT_EQ(problemAt(",kind: Deploy\n"), "1:1");
  EXPECT_EQ(problemAt("kind: Project\nname: a\n---\n,kind: Deploy\nname: b\n"), "4:1");
  EXPECT_EQ(problemAt("\"a\",\n"), "1:4");
  EXPECT_EQ(problemAt("[a] ,\n"), "1:5");
  EXPECT_EQ(problemAt("# comment\n,\n"), "2:1");
  EXPECT_EQ(problemAt("--- ,x\n"), "1:5");
  EXPECT_EQ(problemAt("-\n,kind: Deploy\n"), "2:1");
  EXPECT_EQ(problemAt("kind: Deploy\n,name: x\n"), "2:1");
}

TEST(YamlText, ValidYamlPasses) {
  EXPECT_EQ(problemAt("kind: Deploy\nspec:\n  args: [a, b]\n  env: {A: \"1,2\"}\n  x: a,b\n"), "");
  EXPECT_EQ(problemAt("a: foo\n  ,bar\n"), "");  // a plain scalar's continuation
  EXPECT_EQ(problemAt("a: |\n  ,x\n"), "");
  EXPECT_EQ(problemAt("- a\n- b, c\n"), "");
  EXPECT_EQ(problemAt("[a,\n b]\n"), "");
  EXPECT_EQ(problemAt("\"a,b\": 1\n"), "");
  EXPECT_EQ(problemAt("plain # a, comment\n"), "");
  EXPECT_EQ(problemAt("a: \"x\n,y\"\n"), "");  // inside a quoted scalar
  EXPECT_EQ(problemAt("a: don't\n- b, c\n"), "");
}

TEST(YamlText, ControlCharactersAreRefusedWithTheirPosition) {
  using namespace std::string_literals;
  auto problem = checkYamlText("a: b\nc: d\0e\n"s);
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->line, 2);
  EXPECT_EQ(problem->column, 5);
  EXPECT_EQ(problem->message, "contains the control character U+0000 (NUL), which YAML does not allow in a file");
  EXPECT_FALSE(checkYamlText("a:\tb\r\n"));
}

}  // namespace
}  // namespace gardensync::config
