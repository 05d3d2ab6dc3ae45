#include "gardensync/config/template/git_info.h"

#include <fstream>
#include <sstream>

#include "gardensync/util/text.h"

namespace gardensync::config::tmpl {

namespace fs = std::filesystem;

namespace {

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The git directory of the repository holding `dir`, and the common directory its refs live in.
struct GitDirs {
  fs::path gitDir;
  fs::path commonDir;
};

std::optional<GitDirs> findGitDirs(fs::path dir) {
  std::error_code ec;
  dir = fs::absolute(dir, ec).lexically_normal();
  while (true) {
    const fs::path dotGit = dir / ".git";
    if (fs::is_directory(dotGit, ec)) return GitDirs{dotGit, dotGit};
    if (fs::is_regular_file(dotGit, ec)) {
      // A worktree or submodule: "gitdir: <path>", relative to the folder holding the file.
      const std::string text = util::trim(readFile(dotGit));
      if (text.rfind("gitdir:", 0) == 0) {
        fs::path gitDir = util::trim(text.substr(7));
        if (gitDir.is_relative()) gitDir = dir / gitDir;
        gitDir = gitDir.lexically_normal();
        fs::path commonDir = gitDir;
        const std::string common = util::trim(readFile(gitDir / "commondir"));
        if (!common.empty()) commonDir = (fs::path(common).is_relative() ? gitDir / common : fs::path(common)).lexically_normal();
        return GitDirs{gitDir, commonDir};
      }
    }
    if (!dir.has_parent_path() || dir.parent_path() == dir) return std::nullopt;
    dir = dir.parent_path();
  }
}

std::string resolveRef(const GitDirs& dirs, const std::string& ref) {
  for (const fs::path& base : {dirs.gitDir, dirs.commonDir}) {
    const std::string hash = util::trim(readFile(base / ref));
    if (!hash.empty()) return hash;
  }
  std::istringstream packed(readFile(dirs.commonDir / "packed-refs"));
  std::string line;
  while (std::getline(packed, line)) {
    if (line.empty() || line[0] == '#' || line[0] == '^') continue;
    const size_t space = line.find(' ');
    if (space != std::string::npos && util::trim(line.substr(space + 1)) == ref) return line.substr(0, space);
  }
  return {};
}

// The url of [remote "origin"] in the repository's config.
std::string originUrl(const GitDirs& dirs) {
  std::istringstream config(readFile(dirs.commonDir / "config"));
  std::string line;
  bool inOrigin = false;
  while (std::getline(config, line)) {
    const std::string trimmed = util::trim(line);
    if (trimmed.empty() || trimmed[0] == '#' || trimmed[0] == ';') continue;
    if (trimmed[0] == '[') {
      inOrigin = trimmed == "[remote \"origin\"]";
      continue;
    }
    if (!inOrigin) continue;
    const size_t equals = trimmed.find('=');
    if (equals != std::string::npos && util::trim(trimmed.substr(0, equals)) == "url")
      return util::trim(trimmed.substr(equals + 1));
  }
  return {};
}

}  // namespace

GitInfo readGitInfo(const fs::path& dir) {
  GitInfo info;
  auto dirs = findGitDirs(dir);
  if (!dirs) return info;
  const std::string head = util::trim(readFile(dirs->gitDir / "HEAD"));
  if (head.rfind("ref:", 0) == 0) {
    const std::string ref = util::trim(head.substr(4));
    info.commitHash = resolveRef(*dirs, ref);
    // Garden gives an empty branch before the first commit.
    if (!info.commitHash.empty() && ref.rfind("refs/heads/", 0) == 0) info.branch = ref.substr(11);
  } else {
    info.commitHash = head;  // a detached HEAD: no branch
  }
  info.originUrl = originUrl(*dirs);
  return info;
}

}  // namespace gardensync::config::tmpl
