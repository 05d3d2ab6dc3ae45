// Splitting text into words and re-joining them as lodash does (lodash `words`, `kebabCase`,
// `camelCase`), which Garden's kebabCase and camelCase helpers call: "fooBar", "Foo Bar" and
// "__FOO_BAR__" are all the words foo and bar; digits are words of their own ("v2" is v, 2).
// Latin-1 letters lose their accents first (lodash `deburr`); other non-ASCII text counts as
// lowercase letters.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gardensync::config::tmpl {

std::vector<std::string> splitWords(std::string_view text);
std::string kebabCase(std::string_view text);
std::string camelCase(std::string_view text);

}  // namespace gardensync::config::tmpl
