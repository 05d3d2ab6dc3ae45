// Checks a config file's text before yaml-cpp sees it, for what yaml-cpp 0.7 (Debian 12's) does
// not handle safely: control characters, which YAML forbids in a stream, and a ',' outside any
// [ ] or { } in a document whose root is not a block mapping or list (such as `,kind: Deploy` or
// `"a",`), on which its parser loops forever, allocating without bound. Both are invalid YAML, so
// rejecting them costs nothing valid.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace gardensync::config {

struct YamlTextProblem {
  int line = 0;    // 1-based
  int column = 0;  // 1-based
  std::string message;
};

std::optional<YamlTextProblem> checkYamlText(std::string_view text);

// Every document of a YAML file, after checkYamlText. Throws YAML::BadFile when the file cannot be
// read, and YAML::ParserException (with the position) for what checkYamlText refuses and for
// yaml-cpp's own syntax errors: callers handle both as they handle yaml-cpp's.
std::vector<YAML::Node> loadYamlDocuments(const std::filesystem::path& path);

}  // namespace gardensync::config
