// Splits the inside of a `${...}` into tokens: names (which may hold dashes, as in
// `var.some-name`), numbers, string literals with JavaScript's escapes, and operators. It also
// records whether whitespace came before a token, because Garden's grammar needs spaces around
// `+` and `-` (`a-b` is one name).
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace gardensync::config::tmpl {

enum class TokenKind { Name, Number, String, Operator, End };

struct Token {
  TokenKind kind = TokenKind::End;
  std::string text;  // Name: the name; String: the decoded value; Operator: the operator
  double number = 0;
  size_t begin = 0;  // offsets into the lexed text
  size_t end = 0;
  bool spaceBefore = false;
};

// A malformed token; `offset` is where it starts.
class SyntaxError : public std::runtime_error {
public:
  SyntaxError(const std::string& message, size_t offset) : std::runtime_error(message), offset(offset) {}
  size_t offset;
};

class Lexer {
public:
  // Lexes `text` from `offset`; End comes at the end of the text. `}` is an operator token, so the
  // parser decides where an expression ends.
  Lexer(std::string_view text, size_t offset);

  const Token& peek() const { return current_; }
  Token next();  // returns the current token and moves on; throws SyntaxError
  size_t offset() const { return current_.begin; }

private:
  Token scan();
  Token scanNumber(size_t start, bool spaceBefore);
  Token scanString(size_t start, bool spaceBefore);

  std::string_view text_;
  size_t pos_;
  Token current_;
  TokenKind previous_ = TokenKind::End;
  std::string previousText_;
};

// Whether `c` may start a name or continue one (bytes of UTF-8 sequences count as letters).
bool isNameStart(char c);
bool isNamePart(char c);

}  // namespace gardensync::config::tmpl
