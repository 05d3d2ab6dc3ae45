#include "gardensync/util/text.h"

namespace gardensync::util {

namespace {
constexpr std::string_view kWhitespace = " \t\r\n\f\v";
}

std::string trim(std::string_view text) {
  const size_t first = text.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  return std::string(text.substr(first, text.find_last_not_of(kWhitespace) - first + 1));
}

std::string trimEnd(std::string_view text) {
  const size_t last = text.find_last_not_of(kWhitespace);
  return last == std::string_view::npos ? std::string() : std::string(text.substr(0, last + 1));
}

}  // namespace gardensync::util
