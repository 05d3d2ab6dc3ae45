#include "gardensync/config/template/parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace gardensync::config::tmpl {
namespace {

using Kind = TemplatePart::Kind;
using ::testing::HasSubstr;

std::vector<Kind> kinds(const Template& parsed) {
  std::vector<Kind> out;
  for (const auto& part : parsed.parts) out.push_back(part.kind);
  return out;
}

std::string parseErrorOf(const std::string& text) {
  try {
    parseTemplate(text);
  } catch (const TemplateError& e) {
    return e.what();
  }
  return "";
}

TEST(TemplateParser, SplitsTextEscapesAndExpressions) {
  const Template parsed = parseTemplate("img:${ var.tag }-$${HOME} ${x}?!");
  EXPECT_EQ(kinds(parsed), (std::vector<Kind>{Kind::Text, Kind::Expression, Kind::Text, Kind::Escaped, Kind::Text,
                                               Kind::Expression, Kind::Text}));
  EXPECT_EQ(parsed.parts[1].text, "${ var.tag }");
  EXPECT_EQ(parsed.parts[1].begin, 4u);
  EXPECT_EQ(parsed.parts[3].text, "$${HOME}");
  EXPECT_TRUE(parsed.parts[5].optional);  // `}?`: Garden's optional suffix
  EXPECT_EQ(parsed.parts[6].text, "!");
  EXPECT_FALSE(parsed.isWholeValue());
  EXPECT_TRUE(parseTemplate("${var.x}").isWholeValue());
  EXPECT_FALSE(parseTemplate("${var.x} ").isWholeValue());
}

// Garden's escape runs to the first `}`; a shell's `$${HOME` without one runs to the end.
TEST(TemplateParser, EscapesRunToTheFirstBrace) {
  const Template parsed = parseTemplate("$${a ${b}} $${HOME");
  EXPECT_EQ(kinds(parsed), (std::vector<Kind>{Kind::Escaped, Kind::Text, Kind::Escaped}));
  EXPECT_EQ(parsed.parts[0].text, "$${a ${b}");
  EXPECT_EQ(parsed.parts[1].text, "} ");
  EXPECT_EQ(parsed.parts[2].text, "$${HOME");
}

TEST(TemplateParser, ExpressionTrees) {
  const Template parsed = parseTemplate("${a.b[\"c\"][d.e] || f(1, [2]) ? g : !h}");
  const Expression& ternary = *parsed.parts[0].expression;
  ASSERT_EQ(ternary.kind, ExpressionKind::Ternary);
  const Expression& orExpression = *ternary.operands[0];
  ASSERT_EQ(orExpression.kind, ExpressionKind::Or);
  const Expression& lookup = *orExpression.operands[0];
  ASSERT_EQ(lookup.kind, ExpressionKind::Lookup);
  EXPECT_EQ(lookup.name, "a");
  ASSERT_EQ(lookup.keys.size(), 3u);
  EXPECT_EQ(lookup.keys[0].name, "b");
  EXPECT_EQ(lookup.keys[1].name, "c");  // a literal in brackets is a static key
  EXPECT_TRUE(lookup.keys[2].expression);
  const Expression& call = *orExpression.operands[1];
  EXPECT_EQ(call.kind, ExpressionKind::Call);
  EXPECT_EQ(call.name, "f");
  EXPECT_EQ(call.operands.size(), 2u);
  EXPECT_EQ(ternary.operands[2]->kind, ExpressionKind::Not);
}

TEST(TemplateParser, NamesMayHoldDashesSoMinusNeedsSpaces) {
  const Template name = parseTemplate("${var.some-name}");
  EXPECT_EQ(name.parts[0].expression->keys[0].name, "some-name");
  const Template minus = parseTemplate("${a - b}");
  EXPECT_EQ(minus.parts[0].expression->name, "-");
  EXPECT_THAT(parseErrorOf("${a -b}"), HasSubstr("\"-\" needs a space on both sides (a-b is one name)"));
  EXPECT_THAT(parseErrorOf("${1+2}"), HasSubstr("needs a space on both sides"));
}

TEST(TemplateParser, StringLiteralsHoldingTemplatesAreNested) {
  const Template parsed = parseTemplate("${var.a[\"${environment.name}\"]}");
  const Expression& lookup = *parsed.parts[0].expression;
  ASSERT_EQ(lookup.keys.size(), 2u);
  ASSERT_TRUE(lookup.keys[1].expression);
  EXPECT_EQ(lookup.keys[1].expression->kind, ExpressionKind::Nested);
  EXPECT_EQ(parseTemplate("${\"}\"}").parts.size(), 1u);  // a brace inside a string is not the end
}

TEST(TemplateParser, IfBlocksNest) {
  const Template parsed = parseTemplate("a${if x}b${if y}c${endif}${else}d${endif}e");
  ASSERT_EQ(kinds(parsed), (std::vector<Kind>{Kind::Text, Kind::If, Kind::Text}));
  const TemplatePart& block = parsed.parts[1];
  ASSERT_EQ(block.thenParts.size(), 2u);
  EXPECT_EQ(block.thenParts[1].kind, Kind::If);
  ASSERT_EQ(block.elseParts.size(), 1u);
  EXPECT_EQ(block.elseParts[0].text, "d");
  EXPECT_TRUE(parseTemplate("${if x}").isWholeValue());  // a lone ${if}, as Garden allows
}

TEST(TemplateParser, ErrorsNameThePart) {
  EXPECT_EQ(parseErrorOf("${var.x"), "unterminated template expression \"${var.x\"");
  EXPECT_EQ(parseErrorOf("a ${f(1,}"), "${f(1,}: expected a value, found \"}\"");
  EXPECT_EQ(parseErrorOf("${a b}"), "${a b}: expected \"}\", found \"b\"");
  EXPECT_EQ(parseErrorOf("${'abc}"), "${'abc}: unterminated string literal");
  EXPECT_EQ(parseErrorOf("${3x}"), "${3x}: \"3x\" is not a number");
  EXPECT_EQ(parseErrorOf("x${else}"), "${else}: ${else} without a preceding ${if ...}");
  EXPECT_EQ(parseErrorOf("${if a}b"), "${if a}: missing ${endif} after this ${if ...}");
  EXPECT_EQ(parseErrorOf("${if a}b${else}c${else}d${endif}"), "${else}: a second ${else} in the same ${if ...} block");
  // A scan for references takes what parses.
  EXPECT_EQ(parseTemplatePrefix("a${var.x} ${broken").parts.size(), 3u);
}

}  // namespace
}  // namespace gardensync::config::tmpl
