// Small text helpers shared by the layers that read other programs' output and config text.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace gardensync::util {

// Without leading and trailing whitespace (spaces, tabs, line breaks).
std::string trim(std::string_view text);
// Without trailing whitespace: command output, where leading spaces may matter.
std::string trimEnd(std::string_view text);

// The byte offset of the first ASCII control character (0x00-0x1f, 0x7f), if any. Paths, names,
// excludes and labels must not carry one: a NUL cuts a command-line argument short, a newline
// splits a line-based format.
std::optional<size_t> findControlCharacter(std::string_view text);

// The byte offset where `text` stops being valid UTF-8, if it does.
std::optional<size_t> findInvalidUtf8(std::string_view text);

// Why `path` cannot be used on Linux or macOS, if so: a component longer than 255 bytes
// (NAME_MAX) or a path longer than 4095 (PATH_MAX). Such a path otherwise fails late, with a raw
// file system error, in whatever touches it first.
std::optional<std::string> pathLengthProblem(std::string_view path);

// `text` as one field of a CSV record: quoted (quotes doubled) when it holds a comma, a quote, a
// line break or edge spaces. Mutagen's `--ignore` and Docker's `--mount` read their values as
// CSV, so a bare `q'"` would be a parse error there and `a,b` two values.
std::string csvField(std::string_view text);

// `text` with ASCII letters lowercased; other bytes (UTF-8 included) unchanged.
std::string asciiLowercase(std::string text);

// '0'-'9' only, whatever the locale.
inline bool isAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// `file` relative to `root` when it lies inside it ("web/garden.yml"), else as given: how config
// files are named in messages.
std::string displayPath(const std::filesystem::path& file, const std::filesystem::path& root);

// The value of the environment variable `name`, or nullptr when it is unset or empty.
const char* environmentValue(const char* name);

// A feature switch in the environment (GARDENSYNC_WATCHER, GARDENSYNC_INITIAL_COPY): on unless
// the variable is `off`, `0`, `false` or `no` (spaces around it ignored).
bool environmentSwitchOn(const char* name);

// "U+0000 (NUL)", "U+000A (line feed)", "U+001B": for error messages about a character.
std::string describeControlCharacter(char c);

}  // namespace gardensync::util
