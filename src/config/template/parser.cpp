#include "gardensync/config/template/parser.h"

#include <optional>

#include <fmt/format.h>

#include "gardensync/config/template/lexer.h"

namespace gardensync::config::tmpl {

namespace {

constexpr std::string_view kEscape = "$${";

// Thrown inside the parser; parseParts turns it into a TemplateError naming the part.
struct ParseFailure {
  std::string message;
  size_t offset;
  bool unterminated;  // the text ended inside `${`
};

class ExpressionParser {
public:
  ExpressionParser(std::string_view text, size_t offset) : text_(text), lexer_(text, offset) {}

  ExpressionPtr parseExpression() {
    ExpressionPtr test = parseOr();
    if (!isOperator("?")) return test;
    lexer_.next();
    auto ternary = make(ExpressionKind::Ternary, test->begin);
    ternary->operands.push_back(std::move(test));
    ternary->operands.push_back(parseExpression());
    expect(":", "\":\" of the ternary a ? b : c");
    ternary->operands.push_back(parseExpression());
    return finish(std::move(ternary));
  }

  const Token& peek() const { return lexer_.peek(); }
  Token next() { return lexer_.next(); }

  [[noreturn]] void fail(const std::string& message, size_t offset) const {
    throw ParseFailure{message, offset, lexer_.peek().kind == TokenKind::End};
  }

  std::string describe(const Token& token) const {
    switch (token.kind) {
      case TokenKind::End: return "the end of the text";
      case TokenKind::String: return "a string";
      case TokenKind::Number: return fmt::format("\"{}\"", token.text);
      default: return fmt::format("\"{}\"", token.text);
    }
  }

  void expect(const char* op, const char* what) {
    if (!isOperator(op)) fail(fmt::format("expected {}, found {}", what, describe(peek())), peek().begin);
    take();
  }

  bool isOperator(std::string_view op) const {
    return peek().kind == TokenKind::Operator && peek().text == op;
  }

private:
  ExpressionPtr make(ExpressionKind kind, size_t begin) const {
    auto expression = std::make_unique<Expression>();
    expression->kind = kind;
    expression->begin = begin;
    return expression;
  }

  ExpressionPtr finish(ExpressionPtr expression) const {
    expression->end = lastEnd_;
    return expression;
  }

  Token take() {
    Token token = lexer_.next();
    lastEnd_ = token.end;
    return token;
  }

  ExpressionPtr binary(ExpressionKind kind, std::string op, ExpressionPtr left, ExpressionPtr right) const {
    auto expression = make(kind, left->begin);
    expression->name = std::move(op);
    expression->operands.push_back(std::move(left));
    expression->operands.push_back(std::move(right));
    expression->end = expression->operands.back()->end;
    return expression;
  }

  ExpressionPtr parseOr() {
    ExpressionPtr left = parseAnd();
    while (isOperator("||")) {
      take();
      left = binary(ExpressionKind::Or, "||", std::move(left), parseAnd());
    }
    return left;
  }

  ExpressionPtr parseAnd() {
    ExpressionPtr left = parseEquality();
    while (isOperator("&&")) {
      take();
      left = binary(ExpressionKind::And, "&&", std::move(left), parseEquality());
    }
    return left;
  }

  ExpressionPtr parseEquality() {
    ExpressionPtr left = parseRelational();
    while (isOperator("==") || isOperator("!=")) {
      std::string op = take().text;
      left = binary(ExpressionKind::Binary, std::move(op), std::move(left), parseRelational());
    }
    return left;
  }

  ExpressionPtr parseRelational() {
    ExpressionPtr left = parseAdditive();
    while (isOperator("<") || isOperator(">") || isOperator("<=") || isOperator(">=")) {
      std::string op = take().text;
      left = binary(ExpressionKind::Binary, std::move(op), std::move(left), parseAdditive());
    }
    return left;
  }

  // Garden's grammar wants whitespace on both sides of `+` and `-`, since names may hold dashes.
  ExpressionPtr parseAdditive() {
    ExpressionPtr left = parseMultiplicative();
    while ((isOperator("+") || isOperator("-")) && peek().spaceBefore) {
      Token op = take();
      if (!peek().spaceBefore && peek().kind != TokenKind::End)
        fail(fmt::format("\"{}\" needs a space on both sides (a-b is one name)", op.text), op.begin);
      left = binary(ExpressionKind::Binary, op.text, std::move(left), parseMultiplicative());
    }
    if ((isOperator("+") || isOperator("-")) && !peek().spaceBefore)
      fail(fmt::format("\"{}\" needs a space on both sides (a-b is one name)", peek().text), peek().begin);
    return left;
  }

  ExpressionPtr parseMultiplicative() {
    ExpressionPtr left = parseContains();
    while (isOperator("*") || isOperator("/") || isOperator("%")) {
      std::string op = take().text;
      left = binary(ExpressionKind::Binary, std::move(op), std::move(left), parseContains());
    }
    return left;
  }

  ExpressionPtr parseContains() {
    ExpressionPtr left = parseUnary();
    if (peek().kind == TokenKind::Name && peek().text == "contains") {
      take();
      left = binary(ExpressionKind::Binary, "contains", std::move(left), parseUnary());
    }
    return left;
  }

  ExpressionPtr parseUnary() {
    const Token& token = peek();
    std::optional<ExpressionKind> kind;
    if (token.kind == TokenKind::Operator && token.text == "!") kind = ExpressionKind::Not;
    else if (token.kind == TokenKind::Operator && token.text == "-") kind = ExpressionKind::Negate;
    else if (token.kind == TokenKind::Name && token.text == "typeof") kind = ExpressionKind::Typeof;
    if (!kind) return parsePostfix();
    auto unary = make(*kind, take().begin);
    unary->operands.push_back(parseUnary());
    unary->end = unary->operands.back()->end;
    return unary;
  }

  // Keys after a value that is not a lookup: `split(x, ",")[0]`, `(a || b).c`.
  ExpressionPtr parsePostfix() {
    ExpressionPtr value = parsePrimary();
    while (isOperator(".") || isOperator("[")) {
      LookupKey key = parseKey();
      auto index = make(ExpressionKind::Index, value->begin);
      index->operands.push_back(std::move(value));
      if (key.expression) {
        index->operands.push_back(std::move(key.expression));
      } else {
        auto literal = make(ExpressionKind::Literal, key.begin);
        literal->literal = key.name;
        literal->end = lastEnd_;
        index->operands.push_back(std::move(literal));
      }
      value = finish(std::move(index));
    }
    return value;
  }

  // `.name`, `.0`, `["name"]` or `[expression]`.
  LookupKey parseKey() {
    LookupKey key;
    key.begin = peek().begin;
    if (take().text == ".") {
      const Token& token = peek();
      if (token.kind == TokenKind::Name) {
        key.name = take().text;
      } else if (token.kind == TokenKind::Number) {
        key.name = numberValue(take().number);
      } else {
        fail(fmt::format("expected a key after \".\", found {}", describe(token)), token.begin);
      }
      return key;
    }
    ExpressionPtr expression = parseExpression();
    expect("]", "\"]\"");
    if (expression->kind == ExpressionKind::Literal &&
        (expression->literal.is_string() || expression->literal.is_number()))
      key.name = expression->literal;
    else
      key.expression = std::move(expression);
    return key;
  }

  ExpressionPtr parsePrimary() {
    const Token token = peek();
    switch (token.kind) {
      case TokenKind::Number: {
        auto literal = make(ExpressionKind::Literal, token.begin);
        literal->literal = numberValue(take().number);
        return finish(std::move(literal));
      }
      case TokenKind::String: return parseString();
      case TokenKind::Name: return parseName();
      case TokenKind::Operator:
        if (token.text == "[") return parseArray();
        if (token.text == "(") {
          take();
          ExpressionPtr inner = parseExpression();
          expect(")", "\")\"");
          return inner;
        }
        break;
      case TokenKind::End: break;
    }
    fail(fmt::format("expected a value, found {}", describe(token)), token.begin);
  }

  ExpressionPtr parseString() {
    const Token token = take();
    if (!mayHoldTemplate(token.text)) {
      auto literal = make(ExpressionKind::Literal, token.begin);
      literal->literal = token.text;
      return finish(std::move(literal));
    }
    // Garden parses a string literal holding `${` as a template of its own: `var.a["${x}"]`.
    auto nested = make(ExpressionKind::Nested, token.begin);
    try {
      nested->nested = std::make_shared<const Template>(parseTemplate(token.text));
    } catch (const TemplateError& e) {
      fail(fmt::format("in the string literal: {}", e.what()), token.begin);
    }
    return finish(std::move(nested));
  }

  ExpressionPtr parseName() {
    const Token token = take();
    if (token.text == "null" || token.text == "true" || token.text == "false") {
      auto literal = make(ExpressionKind::Literal, token.begin);
      literal->literal = token.text == "null" ? Value(nullptr) : Value(token.text == "true");
      return finish(std::move(literal));
    }
    if (isOperator("(")) {
      auto call = make(ExpressionKind::Call, token.begin);
      call->name = token.text;
      take();
      if (!isOperator(")")) {
        while (true) {
          call->operands.push_back(parseExpression());
          if (!isOperator(",")) break;
          take();
        }
      }
      expect(")", "\",\" or \")\" after a function argument");
      return finish(std::move(call));
    }
    auto lookup = make(ExpressionKind::Lookup, token.begin);
    lookup->name = token.text;
    while (isOperator(".") || isOperator("[")) lookup->keys.push_back(parseKey());
    return finish(std::move(lookup));
  }

  ExpressionPtr parseArray() {
    auto array = make(ExpressionKind::Array, take().begin);
    // Elisions (`[a, , b]`) are null items, and a trailing comma is allowed, as in JavaScript.
    bool expectItem = true;
    while (!isOperator("]")) {
      if (isOperator(",")) {
        take();
        if (expectItem) {
          auto hole = make(ExpressionKind::Literal, lastEnd_);
          array->operands.push_back(finish(std::move(hole)));
        }
        expectItem = true;
        continue;
      }
      if (!expectItem) fail(fmt::format("expected \",\" or \"]\" in a list, found {}", describe(peek())), peek().begin);
      array->operands.push_back(parseExpression());
      expectItem = false;
    }
    take();
    return finish(std::move(array));
  }

  std::string_view text_;
  Lexer lexer_;
  size_t lastEnd_ = 0;
};

// One `${...}` or text piece, before `${if}` blocks are nested.
struct FlatPart {
  enum class Kind { Part, If, Else, EndIf } kind = Kind::Part;
  TemplatePart part;
};

size_t skipSpaces(std::string_view text, size_t pos) {
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' || text[pos] == '\r'))
    ++pos;
  return pos;
}

// `${else}` or `${endif}` at `pos` (just after `${`): the offset after its `}`.
std::optional<size_t> blockKeyword(std::string_view text, size_t pos, std::string_view keyword) {
  pos = skipSpaces(text, pos);
  if (text.compare(pos, keyword.size(), keyword) != 0) return std::nullopt;
  pos = skipSpaces(text, pos + keyword.size());
  if (pos < text.size() && text[pos] == '}') return pos + 1;
  return std::nullopt;
}

// The part of the text a message names: from `${` to the `}` after `offset`, or to the end.
std::string partSource(std::string_view text, size_t begin, size_t offset) {
  size_t close = text.find('}', std::max(offset, begin));
  return std::string(text.substr(begin, close == std::string_view::npos ? std::string_view::npos : close + 1 - begin));
}

FlatPart parseExpressionPart(std::string_view text, size_t begin) {
  FlatPart flat;
  TemplatePart& part = flat.part;
  part.kind = TemplatePart::Kind::Expression;
  part.begin = begin;
  if (auto end = blockKeyword(text, begin + 2, "else")) {
    flat.kind = FlatPart::Kind::Else;
    part.end = *end;
    part.text = std::string(text.substr(begin, *end - begin));
    return flat;
  }
  if (auto end = blockKeyword(text, begin + 2, "endif")) {
    flat.kind = FlatPart::Kind::EndIf;
    part.end = *end;
    part.text = std::string(text.substr(begin, *end - begin));
    return flat;
  }
  size_t start = skipSpaces(text, begin + 2);
  // `${if condition}`: Garden's grammar takes "if" and whitespace before the condition.
  if (text.compare(start, 2, "if") == 0 && start + 2 < text.size() &&
      (text[start + 2] == ' ' || text[start + 2] == '\t' || text[start + 2] == '\n')) {
    flat.kind = FlatPart::Kind::If;
    part.kind = TemplatePart::Kind::If;
    start += 2;
  }
  ExpressionParser parser(text, start);
  part.expression = parser.parseExpression();
  if (!parser.isOperator("}")) {
    if (parser.peek().kind == TokenKind::End) throw ParseFailure{"", begin, true};
    parser.fail(fmt::format("expected \"}}\", found {}", parser.describe(parser.peek())), parser.peek().begin);
  }
  part.end = parser.next().end;
  if (part.end < text.size() && text[part.end] == '?') {
    if (flat.kind == FlatPart::Kind::If) parser.fail("an ${if} block cannot be optional (`}?`)", part.end);
    part.optional = true;
    ++part.end;
  }
  part.text = std::string(text.substr(begin, part.end - begin));
  return flat;
}

// Splits the text into flat parts; in `lenient` mode stops at the first error.
std::vector<FlatPart> parseParts(std::string_view text, bool lenient) {
  std::vector<FlatPart> parts;
  std::string literal;
  size_t literalBegin = 0;
  auto flushLiteral = [&] {
    if (literal.empty()) return;
    FlatPart flat;
    flat.part.kind = TemplatePart::Kind::Text;
    flat.part.text = std::move(literal);
    flat.part.begin = literalBegin;
    flat.part.end = literalBegin + flat.part.text.size();
    parts.push_back(std::move(flat));
    literal.clear();
  };
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, kEscape.size(), kEscape) == 0) {
      flushLiteral();
      // Garden's escape runs to the first `}`; without one (a shell's `$${HOME`) to the end.
      size_t close = text.find('}', i + kEscape.size());
      size_t end = close == std::string_view::npos ? text.size() : close + 1;
      FlatPart flat;
      flat.part.kind = TemplatePart::Kind::Escaped;
      flat.part.text = std::string(text.substr(i, end - i));
      flat.part.begin = i;
      flat.part.end = end;
      parts.push_back(std::move(flat));
      i = end;
      continue;
    }
    if (text.compare(i, 2, "${") == 0) {
      flushLiteral();
      try {
        FlatPart flat = parseExpressionPart(text, i);
        i = flat.part.end;
        parts.push_back(std::move(flat));
      } catch (const ParseFailure& failure) {
        if (lenient) return parts;
        if (failure.unterminated)
          throw TemplateError(fmt::format("unterminated template expression \"{}\"", text.substr(i)), i);
        throw TemplateError(fmt::format("{}: {}", partSource(text, i, failure.offset), failure.message), i);
      } catch (const SyntaxError& error) {
        if (lenient) return parts;
        throw TemplateError(fmt::format("{}: {}", partSource(text, i, error.offset), error.what()), i);
      }
      continue;
    }
    if (literal.empty()) literalBegin = i;
    size_t next = std::min(text.find('$', i + 1), text.size());
    literal.append(text.substr(i, next - i));
    i = next;
  }
  flushLiteral();
  return parts;
}

[[noreturn]] void blockError(const FlatPart& at, const char* message) {
  throw TemplateError(fmt::format("{}: {}", at.part.text, message), at.part.begin);
}

// Nests `${if}` blocks as Garden's buildConditionalTree does, from `pos` up to an `${else}` or
// `${endif}` of the enclosing block (left at `pos`) or the end.
std::vector<TemplatePart> nestBlocks(std::vector<FlatPart>& flat, size_t& pos, bool inBlock) {
  std::vector<TemplatePart> parts;
  while (pos < flat.size()) {
    FlatPart& item = flat[pos];
    if (item.kind == FlatPart::Kind::Else || item.kind == FlatPart::Kind::EndIf) {
      if (inBlock) return parts;
      blockError(item, item.kind == FlatPart::Kind::Else ? "${else} without a preceding ${if ...}"
                                                         : "${endif} without a preceding ${if ...}");
    }
    ++pos;
    if (item.kind == FlatPart::Kind::Part) {
      parts.push_back(std::move(item.part));
      continue;
    }
    const std::string opening = item.part.text;
    TemplatePart block = std::move(item.part);
    block.thenParts = nestBlocks(flat, pos, true);
    if (pos < flat.size() && flat[pos].kind == FlatPart::Kind::Else) {
      ++pos;
      block.elseParts = nestBlocks(flat, pos, true);
      if (pos < flat.size() && flat[pos].kind == FlatPart::Kind::Else)
        blockError(flat[pos], "a second ${else} in the same ${if ...} block");
    }
    if (pos < flat.size() && flat[pos].kind == FlatPart::Kind::EndIf) {
      block.end = flat[pos].part.end;
      ++pos;
    } else {
      // Garden accepts a lone `${if x}` (it gives x), for backwards compatibility, but nothing
      // more without an `${endif}`.
      if (!parts.empty() || !block.thenParts.empty() || !block.elseParts.empty() || pos < flat.size() || inBlock)
        throw TemplateError(fmt::format("{}: missing ${{endif}} after this ${{if ...}}", opening),
                            block.begin);
      block.closed = false;
    }
    parts.push_back(std::move(block));
  }
  return parts;
}

}  // namespace

Template parseTemplate(std::string_view text) {
  std::vector<FlatPart> flat = parseParts(text, false);
  size_t pos = 0;
  Template result;
  result.parts = nestBlocks(flat, pos, false);
  return result;
}

Template parseTemplatePrefix(std::string_view text) {
  std::vector<FlatPart> flat = parseParts(text, true);
  Template result;
  // Block structure does not matter to a scan for references: keep every part in order.
  for (auto& item : flat) {
    if (item.kind == FlatPart::Kind::Part || item.kind == FlatPart::Kind::If) {
      item.part.kind = item.part.kind == TemplatePart::Kind::If ? TemplatePart::Kind::Expression : item.part.kind;
      result.parts.push_back(std::move(item.part));
    }
  }
  return result;
}

}  // namespace gardensync::config::tmpl
