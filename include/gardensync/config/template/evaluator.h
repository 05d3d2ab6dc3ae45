// Evaluates expressions with Garden's rules (garden-io/garden core/src/template/ast.ts): a lookup
// of a missing key is an error, except where Garden makes it optional, so that `||` gives a
// fallback (`${local.env.LOG_LEVEL || "info"}`), `&&` and `!` see false, `typeof` "undefined" and
// the ternary's condition false. Arithmetic and comparisons need numbers, `+` also joins strings
// and lists, `==` is strict.
#pragma once

#include <stdexcept>
#include <string>

#include "gardensync/config/template/ast.h"
#include "gardensync/config/template/scope.h"

namespace gardensync::config::tmpl {

struct Result {
  enum class State {
    Found,
    Undefined,  // an optional `${...}?` part that found nothing: no value at all
    Missing,    // a missing key, where the lookup was optional
  };
  State state = State::Found;
  Value value;

  static Result found(Value value) { return {State::Found, std::move(value)}; }
  static Result undefined() { return {State::Undefined, nullptr}; }
  static Result missing() { return {State::Missing, nullptr}; }
};

// An expression that cannot be evaluated; the message says why, without the template around it.
class EvaluationError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// A lookup found a Deferred value (a build output, provider outputs, ...): the expression can only
// be resolved later, or not by gardensync.
struct DeferredLookup {
  Lookup lookup;
};

// Throws EvaluationError, or DeferredLookup.
Result evaluate(const Expression& expression, const Scope& scope, bool optional);

// The value of a nested template (a string literal holding `${`): a single part keeps its type,
// several make a string; escapes are removed.
Result evaluateNested(const Template& nested, const Scope& scope, bool optional);

// The lookup a plain reference makes (`${actions.build.api.outputs.version}`), when every key of
// it is written out; none when a key is computed or the expression is not a lookup.
std::optional<std::vector<Value>> staticKeys(const Expression& expression);

}  // namespace gardensync::config::tmpl
