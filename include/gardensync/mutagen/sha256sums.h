// Parsing of a release's SHA256SUMS file (`<hex>  <name>` lines, as sha256sum writes them).
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace gardensync::mutagen {

// File name → lowercase hex digest. Accepts `*name` (binary mode) and blank lines; throws Error
// on a malformed line, naming its number.
std::map<std::string, std::string> parseSha256Sums(std::string_view text);

}  // namespace gardensync::mutagen
