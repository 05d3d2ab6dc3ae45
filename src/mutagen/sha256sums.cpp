#include "gardensync/mutagen/sha256sums.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include <fmt/format.h>

#include "gardensync/util/error.h"

namespace gardensync::mutagen {

namespace {

constexpr size_t kDigestLength = 64;

bool isHexDigit(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

std::string lowercase(std::string_view text) {
  std::string result(text);
  std::ranges::transform(result, result.begin(), [](unsigned char c) { return std::tolower(c); });
  return result;
}

bool isBlank(std::string_view line) {
  return std::ranges::all_of(line, [](unsigned char c) { return std::isspace(c); });
}

struct Entry {
  std::string name;
  std::string digest;
};

// `<64 hex><space><space or *><name>`, as `sha256sum` (text or binary mode) writes it.
std::optional<Entry> parseLine(std::string_view line) {
  if (line.size() < kDigestLength + 3) return std::nullopt;
  const std::string_view digest = line.substr(0, kDigestLength);
  if (!std::ranges::all_of(digest, isHexDigit)) return std::nullopt;
  if (line[kDigestLength] != ' ' || (line[kDigestLength + 1] != ' ' && line[kDigestLength + 1] != '*'))
    return std::nullopt;
  std::string_view name = line.substr(kDigestLength + 2);
  // `sha256sum ./*.tar.gz` writes names with a leading ./; a mirror built that way still works.
  if (name.starts_with("./")) name.remove_prefix(2);
  if (name.empty()) return std::nullopt;
  return Entry{std::string(name), lowercase(digest)};
}

}  // namespace

std::map<std::string, std::string> parseSha256Sums(std::string_view text) {
  std::map<std::string, std::string> sums;
  int number = 0;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++number;
    if (line.ends_with('\r')) line.remove_suffix(1);  // written on Windows
    if (isBlank(line)) continue;
    const std::optional<Entry> entry = parseLine(line);
    if (!entry)
      throw Error(fmt::format("SHA256SUMS line {}: expected '<sha256>  <file name>', got '{}'", number, line),
                  "regenerate it with: sha256sum mutagen_*.tar.gz > SHA256SUMS");
    const auto [existing, inserted] = sums.emplace(entry->name, entry->digest);
    if (!inserted && existing->second != entry->digest)
      throw Error(fmt::format("SHA256SUMS line {}: {} is listed twice with different digests", number, entry->name),
                  "regenerate it with: sha256sum mutagen_*.tar.gz > SHA256SUMS");
  }
  return sums;
}

}  // namespace gardensync::mutagen
