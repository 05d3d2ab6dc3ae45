// Small text helpers shared by the layers that read other programs' output and config text.
#pragma once

#include <string>
#include <string_view>

namespace gardensync::util {

// Without leading and trailing whitespace (spaces, tabs, line breaks).
std::string trim(std::string_view text);
// Without trailing whitespace: command output, where leading spaces may matter.
std::string trimEnd(std::string_view text);

}  // namespace gardensync::util
