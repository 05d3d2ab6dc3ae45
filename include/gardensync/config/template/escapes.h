// `$${` writes a literal `${`. A string that gardensync resolves in two steps (load time, then
// after the builds) keeps its escapes through the first: see Escapes.
#pragma once

#include <string>
#include <string_view>

namespace gardensync::config {

// What load-time resolution does with `$${`.
enum class Escapes {
  Unescape,  // `$${` becomes `${`: the string is final
  // `$${` stays, and a `${` in a substituted value (a variable, an environment variable) becomes
  // `$${`: for strings that go through resolveBuildOutputs later, which unescapes them.
  Keep,
};

// `value` with every `${` written `$${`, so that it stays literal through a later resolution.
std::string escapeTemplateText(std::string_view value);

}  // namespace gardensync::config
