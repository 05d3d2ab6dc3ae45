#include "gardensync/config/template/text_case.h"
#include "gardensync/util/text.h"

#include <cctype>

namespace gardensync::config::tmpl {

namespace {

bool isUpper(char c) { return c >= 'A' && c <= 'Z'; }
// Lowercase ASCII letters, and any byte of a non-ASCII character (lodash's "misc lower").
bool isLower(char c) { return (c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80; }
bool isBreak(char c) { return !isUpper(c) && !isLower(c) && !util::isAsciiDigit(c); }

// Latin-1 Supplement letters (U+00C0-U+00FF, two bytes in UTF-8) without their accents, as
// lodash's deburr writes them; "" for characters it leaves alone (× and ÷).
const char* latin1Deburred(unsigned codePoint) {
  static const char* const kTable[64] = {
      "A", "A", "A", "A", "A", "A", "Ae", "C", "E", "E", "E", "E", "I", "I", "I", "I",   // C0-CF
      "D", "N", "O", "O", "O", "O", "O", "",  "O", "U", "U", "U", "U", "Y", "Th", "ss",  // D0-DF
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",   // E0-EF
      "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "y",   // F0-FF
  };
  return kTable[codePoint - 0xC0];
}

// lodash removes apostrophes (' and U+2019) and deburrs before splitting.
std::string prepare(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\'') continue;
    if (text.compare(i, 3, "\xE2\x80\x99") == 0) {
      i += 2;
      continue;
    }
    if ((c == 0xC3) && i + 1 < text.size()) {
      const unsigned codePoint = 0xC0 + (static_cast<unsigned char>(text[i + 1]) & 0x3F);
      if (codePoint >= 0xC0 && codePoint <= 0xFF && codePoint != 0xD7 && codePoint != 0xF7) {
        out += latin1Deburred(codePoint);
        ++i;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

// The lengths of lodash's word patterns at `i`, tried in lodash's order; 0 when one does not match.
size_t lowerWordBeforeBreak(std::string_view s, size_t i) {  // [A-Z]?[a-z]+(?=break|[A-Z]|$)
  size_t j = i < s.size() && isUpper(s[i]) ? i + 1 : i;
  size_t k = j;
  while (k < s.size() && isLower(s[k])) ++k;
  if (k == j) return 0;
  if (k == s.size() || isBreak(s[k]) || isUpper(s[k])) return k - i;
  return 0;
}

size_t upperWordBeforeBreak(std::string_view s, size_t i) {  // [A-Z]+(?=break|[A-Z][a-z]|$)
  size_t run = 0;
  while (i + run < s.size() && isUpper(s[i + run])) ++run;
  for (size_t length = run; length > 0; --length) {
    const size_t next = i + length;
    if (next == s.size() || isBreak(s[next])) return length;
    if (isUpper(s[next]) && next + 1 < s.size() && isLower(s[next + 1])) return length;
  }
  return 0;
}

size_t lowerWord(std::string_view s, size_t i) {  // [A-Z]?[a-z]+
  size_t j = i < s.size() && isUpper(s[i]) && i + 1 < s.size() && isLower(s[i + 1]) ? i + 1 : i;
  size_t k = j;
  while (k < s.size() && isLower(s[k])) ++k;
  return k == j ? 0 : k - i;
}

size_t upperWord(std::string_view s, size_t i) {  // [A-Z]+
  size_t k = i;
  while (k < s.size() && isUpper(s[k])) ++k;
  return k - i;
}

// Ordinals such as 1st, 22ND, 4th: digits, then the suffix their last digit takes.
size_t ordinal(std::string_view s, size_t i, bool upper) {
  size_t k = i;
  while (k < s.size() && util::isAsciiDigit(s[k])) ++k;
  if (k == i || k + 2 > s.size()) return 0;
  const char last = s[k - 1];
  std::string suffix = last == '1' ? "st" : last == '2' ? "nd" : last == '3' ? "rd" : "th";
  if (upper)
    for (char& c : suffix) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (s.compare(k, 2, suffix) != 0) return 0;
  const size_t end = k + 2;
  // (?=\b|[A-Z_]) for lowercase suffixes, (?=\b|[a-z_]) for uppercase ones.
  if (end == s.size() || s[end] == '_') return end - i;
  const char next = s[end];
  const bool wordChar = std::isalnum(static_cast<unsigned char>(next)) != 0;
  if (!wordChar || (upper ? (next >= 'a' && next <= 'z') : isUpper(next))) return end - i;
  return 0;
}

size_t digits(std::string_view s, size_t i) {
  size_t k = i;
  while (k < s.size() && util::isAsciiDigit(s[k])) ++k;
  return k - i;
}

std::string lower(std::string word) {
  for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return word;
}

}  // namespace

std::vector<std::string> splitWords(std::string_view text) {
  const std::string s = prepare(text);
  std::vector<std::string> words;
  size_t i = 0;
  while (i < s.size()) {
    size_t length = 0;
    for (auto pattern : {lowerWordBeforeBreak, upperWordBeforeBreak, lowerWord, upperWord}) {
      length = pattern(s, i);
      if (length) break;
    }
    if (!length) length = ordinal(s, i, true);
    if (!length) length = ordinal(s, i, false);
    if (!length) length = digits(s, i);
    if (!length) {
      ++i;  // a break character
      continue;
    }
    words.push_back(s.substr(i, length));
    i += length;
  }
  return words;
}

std::string kebabCase(std::string_view text) {
  std::string out;
  for (const auto& word : splitWords(text)) {
    if (!out.empty()) out += '-';
    out += lower(word);
  }
  return out;
}

std::string camelCase(std::string_view text) {
  std::string out;
  bool first = true;
  for (const auto& word : splitWords(text)) {
    std::string w = lower(word);
    if (!first && !w.empty()) w[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
    out += w;
    first = false;
  }
  return out;
}

}  // namespace gardensync::config::tmpl
