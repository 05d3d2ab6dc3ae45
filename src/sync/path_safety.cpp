#include "gardensync/sync/path_safety.h"

#include <optional>

#include <fmt/format.h>

#include "gardensync/util/error.h"
#include "gardensync/util/text.h"

namespace gardensync::sync {

namespace fs = std::filesystem;

namespace {

// Why `text` is not plain text (valid UTF-8 without control characters), if it is not.
std::optional<std::string> plainTextProblem(std::string_view text) {
  if (auto bad = util::findInvalidUtf8(text)) return fmt::format("is not valid UTF-8 (byte {})", *bad);
  if (auto control = util::findControlCharacter(text))
    return fmt::format("contains the control character {} at byte {}",
                       util::describeControlCharacter(text[*control]), *control);
  return std::nullopt;
}

bool isInside(const fs::path& path, const fs::path& root) {
  const fs::path rel = path.lexically_relative(root);
  return !rel.empty() && *rel.begin() != "..";
}

[[noreturn]] void reject(const config::SyncPath& path, size_t index, const char* key, const std::string& message) {
  const config::Position& at = path.position;
  throw ConfigError({{at.file, at.line, at.column, fmt::format("spec.sync.paths[{}].{}", index, key), message}});
}

}  // namespace

void checkSyncPathSafety(const config::SyncPath& path, size_t index, const fs::path& projectRoot) {
  const std::string local = path.localPath.string();
  if (auto problem = plainTextProblem(local)) reject(path, index, "source", fmt::format("the local path {}", *problem));
  if (!path.localPath.is_absolute() || path.localPath.lexically_normal() != path.localPath)
    reject(path, index, "source", fmt::format("the local path \"{}\" is not absolute and normalised", local));
  if (!fs::path(path.source).is_absolute() && !isInside(path.localPath, projectRoot.lexically_normal()))
    reject(path, index, "source", fmt::format("\"{}\" resolves to {}, outside the project root {}", path.source, local,
                                       projectRoot.string()));

  const std::string& target = path.containerPath;
  if (auto problem = plainTextProblem(target)) reject(path, index, "target", fmt::format("the container path {}", *problem));
  if (target.empty() || target.front() != '/')
    reject(path, index, "target", fmt::format("the container path \"{}\" is not absolute", target));
  const fs::path normal = fs::path(target).lexically_normal();
  if (normal == "/" || target == "/")
    reject(path, index, "target", "must not be \"/\": syncing the container's root would overwrite its system files");
  std::string normalText = normal.generic_string();
  if (normalText.size() > 1 && normalText.back() == '/') normalText.pop_back();
  if (normalText != target)
    reject(path, index, "target", fmt::format("the container path \"{}\" is not normalised (expected \"{}\")", target,
                                       normalText));
}

}  // namespace gardensync::sync
