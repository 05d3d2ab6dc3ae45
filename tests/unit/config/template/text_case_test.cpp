#include "gardensync/config/template/text_case.h"

#include <gtest/gtest.h>

namespace gardensync::config::tmpl {
namespace {

TEST(TextCase, WordsAsLodashSplitsThem) {
  EXPECT_EQ(splitWords("fooBar"), (std::vector<std::string>{"foo", "Bar"}));
  EXPECT_EQ(splitWords("__FOO_BAR__"), (std::vector<std::string>{"FOO", "BAR"}));
  EXPECT_EQ(splitWords("Foo Bar"), (std::vector<std::string>{"Foo", "Bar"}));
  EXPECT_EQ(splitWords("XMLHttpRequest"), (std::vector<std::string>{"XML", "Http", "Request"}));
  EXPECT_EQ(splitWords("abc123def"), (std::vector<std::string>{"abc", "123", "def"}));
  EXPECT_EQ(splitWords("the 1st and 22ND"), (std::vector<std::string>{"the", "1st", "and", "22ND"}));
  EXPECT_EQ(splitWords("don't stop"), (std::vector<std::string>{"dont", "stop"}));
}

TEST(TextCase, KebabAndCamel) {
  EXPECT_EQ(kebabCase("Foo Bar"), "foo-bar");
  EXPECT_EQ(kebabCase("fooBar"), "foo-bar");
  EXPECT_EQ(kebabCase("__FOO_BAR__"), "foo-bar");
  EXPECT_EQ(kebabCase("Crème Brûlée"), "creme-brulee");  // deburred
  EXPECT_EQ(camelCase("Foo Bar"), "fooBar");
  EXPECT_EQ(camelCase("--foo-bar--"), "fooBar");
  EXPECT_EQ(camelCase("__FOO_BAR__"), "fooBar");
  EXPECT_EQ(camelCase(""), "");
}

}  // namespace
}  // namespace gardensync::config::tmpl
