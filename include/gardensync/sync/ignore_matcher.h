// Which paths of a sync root Mutagen leaves out, so the watcher neither watches excluded folders
// nor asks for a sync cycle when only excluded files changed. Follows Mutagen's own ignore syntax
// (the default, "mutagen" syntax of v0.18; pkg/synchronization/core/ignore/mutagen): `!` negates,
// a leading `/` anchors the pattern at the root, a trailing `/` matches folders only, a pattern
// without a `/` also matches the last path component at any depth, the last matching pattern
// wins, and the contents of an ignored folder are ignored (Mutagen does not descend into it).
// Globs follow doublestar: `*`, `?`, `[a-z]`, `[!x]`, `{a,b}`, `**` for any number of folders.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gardensync::sync {

// True when `glob` matches all of `path` (doublestar semantics: `*` and `?` never match `/`).
bool globMatch(std::string_view glob, std::string_view path);

class IgnoreMatcher {
public:
  // Patterns Mutagen would reject (empty, `/`, `!`) are left out: such a session does not exist.
  explicit IgnoreMatcher(const std::vector<std::string>& patterns);

  // Whether the entry at `path` (relative to the sync root, `/`-separated, no leading `/`) is
  // ignored by the patterns themselves. Callers do not look inside ignored folders, which is how
  // an ignored folder's contents stay ignored.
  bool ignored(std::string_view path, bool directory) const;

private:
  struct Pattern {
    bool negated = false;
    bool directoryOnly = false;
    bool matchLeaf = false;
    std::string glob;
  };
  std::vector<Pattern> patterns_;
};

}  // namespace gardensync::sync
