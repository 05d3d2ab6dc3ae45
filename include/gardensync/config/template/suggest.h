// "Did you mean ...?" for names that are almost right: a key of a config file, a template
// context key, a helper function. Only near misses are suggested.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gardensync::config {

// Levenshtein distance (insertions, deletions and substitutions of bytes).
size_t editDistance(std::string_view a, std::string_view b);

// The candidate closest to `name` within an edit distance of 2, the first of equals; none when
// nothing is that close.
std::optional<std::string> closestName(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace gardensync::config
