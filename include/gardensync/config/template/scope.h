// Where a template's lookups (`${var.x}`, `${item.value}`) find their values. A Scope answers a
// key path; the contexts gardensync builds (contexts.h) and the `$forEach` item layer implement
// it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gardensync/config/template/value.h"

namespace gardensync::config::tmpl {

// A Build's output, or its version, which exists only once the Build has run: a plain reference
// to it stays in the text for the second step (resolveBuildOutputs in template.h).
struct BuildOutput {
  std::string build;
  std::string output;  // deploymentImageId or version
};

struct Lookup {
  enum class Status {
    Found,
    Missing,   // no such key: an error unless the lookup is optional (`||`, `}?`, `&&`, `!`, ...)
    Deferred,  // a value gardensync only has later (a build output) or never (provider outputs)
  };
  Status status = Status::Missing;
  Value value;                             // Found
  std::string message;                     // Missing, and Deferred other than a build output: why
  std::optional<BuildOutput> buildOutput;  // Deferred: a build output

  static Lookup found(Value value) { return {Status::Found, std::move(value), {}, std::nullopt}; }
  static Lookup missing(std::string message) { return {Status::Missing, nullptr, std::move(message), std::nullopt}; }
  static Lookup unsupported(std::string message) {
    return {Status::Deferred, nullptr, std::move(message), std::nullopt};
  }
  static Lookup deferred(BuildOutput output) { return {Status::Deferred, nullptr, {}, std::move(output)}; }
};

class Scope {
public:
  virtual ~Scope() = default;
  // `keys` is the whole path, the root name first; keys are strings or numbers.
  virtual Lookup lookup(const std::vector<Value>& keys) const = 0;
};

// Walks `keys` from index `from` into `value`; `path` names what was walked so far (var.obj) for
// messages, which name the closest keys there are.
Lookup lookupIn(const Value& value, const std::vector<Value>& keys, size_t from, std::string path);

// "var.obj", "var.list[0]", `var["a b"]`: a key path as a message shows it.
std::string keyPathText(const std::vector<Value>& keys, size_t count);

// A `$forEach` iteration: `item.key` and `item.value` over an outer scope.
class ItemScope : public Scope {
public:
  ItemScope(const Scope& outer, Value key, Value value);
  Lookup lookup(const std::vector<Value>& keys) const override;

private:
  const Scope& outer_;
  Value item_;
};

}  // namespace gardensync::config::tmpl
