// Variable files ("varfiles") as Garden reads them (core/src/config/base.ts loadVarfile): by the
// file's extension a JSON object (.json), a single YAML mapping (.yml, .yaml), or dotenv lines
// (anything else, as motdotla/dotenv parses them). Their values are literal: templates in them
// are not resolved.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string_view>

#include "gardensync/config/template/value.h"

namespace gardensync::config::tmpl {

class VarfileError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// The variables of `file` as a mapping. Throws VarfileError when it cannot be read or parsed, or
// is not a mapping.
Value loadVarfile(const std::filesystem::path& file);

// dotenv: `KEY=value` lines, `export ` allowed, `#` comments, single, double or backtick quotes
// (a quoted value may span lines; in double quotes \n and \r are line breaks); the last of a key
// wins.
Value parseDotenv(std::string_view text);

}  // namespace gardensync::config::tmpl
