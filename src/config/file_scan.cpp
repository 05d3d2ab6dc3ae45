#include "gardensync/config/file_scan.h"

#include <algorithm>
#include <system_error>

#include <fmt/format.h>

#include "gardensync/util/error.h"

namespace gardensync::config {

namespace fs = std::filesystem;

namespace {

bool matchHere(std::string_view p, std::string_view s) {
  while (!p.empty()) {
    if (p.starts_with("**")) {
      p.remove_prefix(2);
      if (p.starts_with("/")) p.remove_prefix(1);
      for (size_t i = 0; i <= s.size(); ++i)
        if ((i == 0 || s[i - 1] == '/') && matchHere(p, s.substr(i))) return true;
      return false;
    }
    if (p.front() == '*') {
      p.remove_prefix(1);
      for (size_t i = 0; i <= s.size(); ++i) {
        if (matchHere(p, s.substr(i))) return true;
        if (i < s.size() && s[i] == '/') break;
      }
      return false;
    }
    if (s.empty()) return false;
    if (p.front() == '?' ? s.front() == '/' : p.front() != s.front()) return false;
    p.remove_prefix(1);
    s.remove_prefix(1);
  }
  return s.empty();
}

}  // namespace

bool globMatch(std::string_view pattern, std::string_view path) {
  if (pattern.starts_with("./")) pattern.remove_prefix(2);
  while (pattern.size() > 1 && pattern.back() == '/') pattern.remove_suffix(1);
  if (matchHere(pattern, path)) return true;
  for (size_t i = 0; i < path.size(); ++i)  // a matching folder excludes what is below it
    if (path[i] == '/' && matchHere(pattern, path.substr(0, i))) return true;
  return false;
}

bool isConfigFileName(std::string_view name) {
  // Garden's own rule (isConfigFilename in garden-io/garden core/src/util/fs.ts): both extensions.
  return name == "garden.yml" || name == "garden.yaml" || (name.size() > 11 && name.ends_with(".garden.yml")) ||
         (name.size() > 12 && name.ends_with(".garden.yaml"));
}

std::vector<fs::path> findConfigFiles(const fs::path& root, const std::vector<std::string>& excludeGlobs) {
  std::vector<fs::path> files;
  std::error_code ec;
  fs::path last = root;  // where the walk was when an error stopped it
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
  for (; it != end; it.increment(ec)) {
    if (ec) break;
    last = it->path();
    const fs::path& path = it->path();
    const std::string name = path.filename().string();
    const std::string relative = path.lexically_relative(root).generic_string();
    const bool excluded = std::any_of(excludeGlobs.begin(), excludeGlobs.end(),
                                      [&](const std::string& glob) { return globMatch(glob, relative); });
    if (it->is_directory(ec)) {
      if (name == ".garden" || name == ".git" || name == "node_modules" || excluded)
        it.disable_recursion_pending();
      continue;
    }
    if (!excluded && isConfigFileName(name) && it->is_regular_file(ec)) files.push_back(path);
  }
  // A walk cut short would silently leave out every config file after the error.
  if (ec)
    throw Error(fmt::format("cannot read the project folder at {} while looking for config files: {}",
                            last.string(), ec.message()),
                "fix that folder, or leave it out with scan.exclude in the project file");
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace gardensync::config
