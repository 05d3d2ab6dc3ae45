// Garden's template helper functions, each with the arguments and behaviour Garden documents
// (docs/reference/template-strings/functions.md; core/src/template/functions/): base64Decode,
// base64Encode, camelCase, concat, formatDate(Utc), indent, isEmpty, join, jsonDecode, jsonEncode,
// kebabCase, lower, modifyDate(Utc), range, replace, sha256, shiftDate(Utc), slice, split, string,
// trim, upper, uuidv4, yamlDecode and yamlEncode.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "gardensync/config/template/value.h"

namespace gardensync::config::tmpl {

// A call that cannot be made: an unknown function, a missing or mistyped argument, or an error
// inside the function. The message is Garden's wording.
class FunctionError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// An unset argument is JavaScript's undefined (an optional `${...}?` that found nothing).
using Arguments = std::vector<std::optional<Value>>;

// Calls helper `name`. Strings it builds are limited to kMaxResolvedBytes (limits.h).
Value callFunction(std::string_view name, const Arguments& arguments);

// Every helper's name, sorted.
std::vector<std::string> functionNames();

}  // namespace gardensync::config::tmpl
