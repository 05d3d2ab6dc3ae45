// The parsed form of a template string: literal text, `$${` escapes, `${expression}` parts and
// `${if}`/`${else}`/`${endif}` blocks, with the expressions of Garden's grammar
// (garden-io/garden core/src/template/parser.pegjs) as a tree. Offsets are byte offsets into the
// template text, for error messages.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "gardensync/config/template/value.h"

namespace gardensync::config::tmpl {

struct Expression;
using ExpressionPtr = std::unique_ptr<Expression>;
struct Template;

enum class ExpressionKind {
  Literal,  // null, true, false, a number or a string without `${`
  Nested,   // a string literal holding `${`: a template of its own
  Array,    // [a, b]
  Lookup,   // a key path into the template context: var.x, var["a-b"], var.list[0]
  Index,    // a key applied to any other value: split(x, ",")[0]
  Call,     // a helper function
  Not,      // !a
  Typeof,   // typeof a
  Negate,   // -a (Garden's grammar has no unary minus; accepted for negative numbers)
  Binary,   // == != < > <= >= + - * / % contains
  And,      // &&
  Or,       // ||
  Ternary,  // a ? b : c
};

// One key of a lookup after the root: written statically (`.name`, `.0`, `["a-b"]` with a
// literal) or computed (`[var.key]`).
struct LookupKey {
  Value name;                // a string or a number; null when computed
  ExpressionPtr expression;  // the computed key
  size_t begin = 0;
};

struct Expression {
  ExpressionKind kind = ExpressionKind::Literal;
  size_t begin = 0;  // offsets into the text that holds the expression
  size_t end = 0;
  Value literal;                        // Literal
  std::string name;                     // Lookup: the root key; Call: the function; Binary: the operator
  std::vector<LookupKey> keys;          // Lookup: the keys after the root
  std::vector<ExpressionPtr> operands;  // Array items, Call arguments, operands in order; Index: value, key
  std::shared_ptr<const Template> nested;  // Nested
};

struct TemplatePart {
  enum class Kind {
    Text,        // literal text
    Escaped,     // `$${...}`: literal; `text` holds it as written, with both dollars
    Expression,  // `${expression}`
    If,          // `${if condition}` then-parts [`${else}` else-parts] `${endif}`
  };
  Kind kind = Kind::Text;
  std::string text;          // Text, Escaped; for Expression and If the source `${...}`
  ExpressionPtr expression;  // Expression; If: the condition
  bool optional = false;     // `${...}?`: a missing key gives no value instead of an error
  bool closed = true;        // If: false for a lone `${if x}` without `${endif}`
  size_t begin = 0;          // offset of `$`
  size_t end = 0;            // offset after `}` (and `?`)
  std::vector<TemplatePart> thenParts;
  std::vector<TemplatePart> elseParts;
};

struct Template {
  std::vector<TemplatePart> parts;

  // A single `${...}` and nothing else: its value keeps its type (number, boolean, list, ...).
  bool isWholeValue() const {
    return parts.size() == 1 && (parts[0].kind == TemplatePart::Kind::Expression ||
                                 (parts[0].kind == TemplatePart::Kind::If && !parts[0].closed));
  }
};

}  // namespace gardensync::config::tmpl
