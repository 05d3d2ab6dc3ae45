// Renders a parsed template string against a scope: a lone `${...}` keeps the type of its value
// (a number, a boolean, a list, a mapping: Garden's whole-value substitution); text with several
// parts becomes a string, values written as JavaScript's String() writes them. A plain reference to
// a build output stays in the text as `${actions.build.<name>.outputs.<output>}` for the second
// step; other values gardensync cannot have (provider outputs, ...) are an error, or, when asked,
// leave the template unresolved.
#pragma once

#include <cstddef>
#include <string>

#include "gardensync/config/template/ast.h"
#include "gardensync/config/template/escapes.h"
#include "gardensync/config/template/limits.h"
#include "gardensync/config/template/scope.h"

namespace gardensync::config::tmpl {

struct RenderOptions {
  Escapes escapes = Escapes::Unescape;
  size_t maxBytes = kMaxResolvedBytes;  // a result may not grow past this (OutputTooLarge)
  bool deferUnsupported = false;        // Rendered::Kind::Deferred instead of a TemplateError
};

struct Rendered {
  enum class Kind {
    Value,
    Undefined,  // `${...}?` found nothing: the key it is written under is left out
    Deferred,   // holds a value gardensync does not have at load time; `reason` says which
  };
  Kind kind = Kind::Value;
  Value value;
  std::string reason;
};

// The result would pass RenderOptions::maxBytes; `offset` is the part that passes it.
struct OutputTooLarge {
  size_t offset;
};

// Throws TemplateError (message `${...}: why`, offset of the part) or OutputTooLarge.
Rendered renderTemplate(const Template& parsed, const Scope& scope, const RenderOptions& options);

// Every string inside `value` passed through escapeTemplateText.
Value escapeStrings(Value value);

}  // namespace gardensync::config::tmpl
