// Parses template strings as Garden does (garden-io/garden core/src/template/parser.pegjs): text,
// `$${...}` escapes (literal up to the first `}`, or to the end when there is none), `${expr}` and
// `${expr}?` parts, `${if expr}`...`${else}`...`${endif}` blocks, and inside `${...}` the expression
// grammar, from the ternary `a ? b : c` down to lookups, calls, literals and nested templates in
// string literals.
#pragma once

#include <string_view>

#include "gardensync/config/template/ast.h"
#include "gardensync/config/template/error.h"

namespace gardensync::config::tmpl {

// Throws TemplateError at the part that cannot be parsed.
Template parseTemplate(std::string_view text);

// The parts before the first that cannot be parsed; never throws. For scans of text that may
// not be a valid template (finding references).
Template parseTemplatePrefix(std::string_view text);

// Whether `text` holds `${` at all: text without it is literal and needs no parsing.
inline bool mayHoldTemplate(std::string_view text) { return text.find("${") != std::string_view::npos; }

}  // namespace gardensync::config::tmpl
