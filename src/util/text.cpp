#include "gardensync/util/text.h"

#include <fmt/format.h>

#include <cctype>
#include <cstdlib>

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

std::optional<size_t> findControlCharacter(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) return i;
  }
  return std::nullopt;
}

std::optional<size_t> findInvalidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    size_t length = 0;
    char32_t minimum = 0;
    char32_t code = 0;
    if (lead < 0x80) length = 1, code = lead;
    else if ((lead & 0xe0) == 0xc0) length = 2, minimum = 0x80, code = lead & 0x1f;
    else if ((lead & 0xf0) == 0xe0) length = 3, minimum = 0x800, code = lead & 0x0f;
    else if ((lead & 0xf8) == 0xf0) length = 4, minimum = 0x10000, code = lead & 0x07;
    else return i;
    if (i + length > text.size()) return i;
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xc0) != 0x80) return i;
      code = (code << 6) | (next & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8.
    if (length > 1 && (code < minimum || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))) return i;
    i += length;
  }
  return std::nullopt;
}

std::optional<std::string> pathLengthProblem(std::string_view path) {
  constexpr size_t kNameMax = 255, kPathMax = 4095;
  if (path.size() > kPathMax) return fmt::format("is {} bytes long; paths may have at most {}", path.size(), kPathMax);
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (end - start > kNameMax)
      return fmt::format("has a name of {} bytes (\"{}...\"); names in a path may have at most {}", end - start,
                         path.substr(start, 20), kNameMax);
    start = end + 1;
  }
  return std::nullopt;
}

std::string csvField(std::string_view text) {
  const bool quote = text.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!text.empty() && (text.front() == ' ' || text.back() == ' '));
  if (!quote) return std::string(text);
  std::string field = "\"";
  for (char c : text) {
    if (c == '"') field += '"';
    field += c;
  }
  return field + "\"";
}

std::string describeControlCharacter(char c) {
  const auto code = static_cast<unsigned char>(c);
  const char* name = nullptr;
  switch (code) {
    case 0x00: name = "NUL"; break;
    case 0x09: name = "tab"; break;
    case 0x0a: name = "line feed"; break;
    case 0x0d: name = "carriage return"; break;
    case 0x1b: name = "escape"; break;
    case 0x7f: name = "delete"; break;
    default: break;
  }
  return name ? fmt::format("U+{:04X} ({})", code, name) : fmt::format("U+{:04X}", code);
}

std::string asciiLowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string displayPath(const std::filesystem::path& file, const std::filesystem::path& root) {
  const std::filesystem::path rel = file.lexically_relative(root);
  if (rel.empty() || *rel.begin() == "..") return file.string();
  return rel.generic_string();
}

const char* environmentValue(const char* name) {
  const char* value = std::getenv(name);
  return value && *value ? value : nullptr;
}

bool environmentSwitchOn(const char* name) {
  const char* value = environmentValue(name);
  if (!value) return true;
  const std::string text = trim(value);
  return !(text == "off" || text == "0" || text == "false" || text == "no");
}

}  // namespace gardensync::util
