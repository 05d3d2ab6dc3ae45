#include "gardensync/config/template/lexer.h"
#include "gardensync/util/text.h"

#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace gardensync::config::tmpl {

namespace {

bool isHexDigit(char c) { return util::isAsciiDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Whitespace as Garden's grammar has it (JavaScript's, with line breaks, which `__` allows);
// returns its length at `pos`, 0 when there is none.
size_t whitespaceAt(std::string_view text, size_t pos) {
  const char c = text[pos];
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') return 1;
  if (text.compare(pos, 2, "\xC2\xA0") == 0) return 2;      // U+00A0 no-break space
  if (text.compare(pos, 3, "\xEF\xBB\xBF") == 0) return 3;  // U+FEFF
  return 0;
}

void appendUtf8(std::string& out, unsigned codePoint) {
  if (codePoint < 0x80) {
    out += static_cast<char>(codePoint);
  } else if (codePoint < 0x800) {
    out += static_cast<char>(0xC0 | (codePoint >> 6));
    out += static_cast<char>(0x80 | (codePoint & 0x3F));
  } else if (codePoint < 0x10000) {
    out += static_cast<char>(0xE0 | (codePoint >> 12));
    out += static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (codePoint & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (codePoint >> 18));
    out += static_cast<char>(0x80 | ((codePoint >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (codePoint & 0x3F));
  }
}

unsigned hexValue(std::string_view digits) {
  return static_cast<unsigned>(std::strtoul(std::string(digits).c_str(), nullptr, 16));
}

}  // namespace

bool isNameStart(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' || u >= 0x80;
}

bool isNamePart(char c) { return isNameStart(c) || util::isAsciiDigit(c) || c == '-'; }

Lexer::Lexer(std::string_view text, size_t offset) : text_(text), pos_(offset) { current_ = scan(); }

Token Lexer::next() {
  Token token = current_;
  previous_ = token.kind;
  previousText_ = token.text;
  current_ = scan();
  return token;
}

Token Lexer::scan() {
  bool space = false;
  while (pos_ < text_.size()) {
    const size_t length = whitespaceAt(text_, pos_);
    if (length == 0) break;
    pos_ += length;
    space = true;
  }
  const size_t start = pos_;
  if (pos_ >= text_.size()) return {TokenKind::End, "", 0, start, start, space};
  const char c = text_[pos_];
  const bool afterDot = previous_ == TokenKind::Operator && previousText_ == ".";
  if (util::isAsciiDigit(c) || (c == '.' && !afterDot && pos_ + 1 < text_.size() && util::isAsciiDigit(text_[pos_ + 1]) &&
                     previous_ != TokenKind::Name && previous_ != TokenKind::Number &&
                     !(previous_ == TokenKind::Operator && (previousText_ == ")" || previousText_ == "]"))))
    return scanNumber(start, space);
  if (c == '"' || c == '\'') return scanString(start, space);
  if (isNameStart(c)) {
    while (pos_ < text_.size() && isNamePart(text_[pos_])) ++pos_;
    return {TokenKind::Name, std::string(text_.substr(start, pos_ - start)), 0, start, pos_, space};
  }
  for (const char* op : {"==", "!=", "<=", ">=", "&&", "||"}) {
    if (text_.compare(pos_, 2, op) == 0) {
      pos_ += 2;
      return {TokenKind::Operator, op, 0, start, pos_, space};
    }
  }
  if (std::string_view(".[](),?:!<>+-*/%}").find(c) != std::string_view::npos) {
    ++pos_;
    return {TokenKind::Operator, std::string(1, c), 0, start, pos_, space};
  }
  throw SyntaxError(fmt::format("unexpected character '{}'", c), start);
}

Token Lexer::scanNumber(size_t start, bool space) {
  const bool afterDot = previous_ == TokenKind::Operator && previousText_ == ".";
  double value = 0;
  if (afterDot) {
    // A key such as `list.0`: digits only, so `list.0.name` reads as three keys.
    while (pos_ < text_.size() && util::isAsciiDigit(text_[pos_])) ++pos_;
    value = std::strtod(std::string(text_.substr(start, pos_ - start)).c_str(), nullptr);
  } else if (text_[pos_] == '0' && pos_ + 2 < text_.size() && (text_[pos_ + 1] == 'x' || text_[pos_ + 1] == 'X') &&
             isHexDigit(text_[pos_ + 2])) {
    pos_ += 2;
    const size_t digits = pos_;
    while (pos_ < text_.size() && isHexDigit(text_[pos_])) ++pos_;
    value = static_cast<double>(std::strtoull(std::string(text_.substr(digits, pos_ - digits)).c_str(), nullptr, 16));
  } else {
    while (pos_ < text_.size() && util::isAsciiDigit(text_[pos_])) ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      while (pos_ < text_.size() && util::isAsciiDigit(text_[pos_])) ++pos_;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      size_t exponent = pos_ + 1;
      if (exponent < text_.size() && (text_[exponent] == '+' || text_[exponent] == '-')) ++exponent;
      if (exponent < text_.size() && util::isAsciiDigit(text_[exponent])) {
        pos_ = exponent;
        while (pos_ < text_.size() && util::isAsciiDigit(text_[pos_])) ++pos_;
      }
    }
    value = std::strtod(std::string(text_.substr(start, pos_ - start)).c_str(), nullptr);
  }
  // As in JavaScript, a number must not run into a name: `3in` is an error, not 3 and `in`.
  if (pos_ < text_.size() && isNameStart(text_[pos_]))
    throw SyntaxError(fmt::format("\"{}\" is not a number", text_.substr(start, pos_ + 1 - start)), start);
  return {TokenKind::Number, std::string(text_.substr(start, pos_ - start)), value, start, pos_, space};
}

Token Lexer::scanString(size_t start, bool space) {
  const char quote = text_[pos_++];
  std::string value;
  while (true) {
    if (pos_ >= text_.size()) throw SyntaxError("unterminated string literal", start);
    const char c = text_[pos_];
    if (c == quote) {
      ++pos_;
      break;
    }
    if (c == '\n' || c == '\r') throw SyntaxError("a line break inside a string literal (write \\n)", start);
    if (c != '\\') {
      value += c;
      ++pos_;
      continue;
    }
    if (++pos_ >= text_.size()) throw SyntaxError("unterminated string literal", start);
    const char e = text_[pos_++];
    switch (e) {
      case 'n': value += '\n'; break;
      case 't': value += '\t'; break;
      case 'r': value += '\r'; break;
      case 'b': value += '\b'; break;
      case 'f': value += '\f'; break;
      case 'v': value += '\v'; break;
      case '0': value += '\0'; break;
      case '\n': break;  // a line continuation
      case '\r':
        if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
        break;
      case 'x':
        if (pos_ + 2 > text_.size() || !isHexDigit(text_[pos_]) || !isHexDigit(text_[pos_ + 1]))
          throw SyntaxError("\\x needs two hex digits", pos_ - 2);
        appendUtf8(value, hexValue(text_.substr(pos_, 2)));
        pos_ += 2;
        break;
      case 'u': {
        auto fourHex = [&](size_t at) {
          return at + 4 <= text_.size() && isHexDigit(text_[at]) && isHexDigit(text_[at + 1]) &&
                 isHexDigit(text_[at + 2]) && isHexDigit(text_[at + 3]);
        };
        if (!fourHex(pos_)) throw SyntaxError("\\u needs four hex digits", pos_ - 2);
        unsigned unit = hexValue(text_.substr(pos_, 4));
        pos_ += 4;
        // A surrogate pair written as two escapes is one character.
        if (unit >= 0xD800 && unit <= 0xDBFF && text_.compare(pos_, 2, "\\u") == 0 && fourHex(pos_ + 2)) {
          const unsigned low = hexValue(text_.substr(pos_ + 2, 4));
          if (low >= 0xDC00 && low <= 0xDFFF) {
            unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
            pos_ += 6;
          }
        }
        appendUtf8(value, unit);
        break;
      }
      default: value += e;  // \" \' \\ and any other character stand for themselves
    }
  }
  return {TokenKind::String, std::move(value), 0, start, pos_, space};
}

}  // namespace gardensync::config::tmpl
