#include "gardensync/config/template/git_info.h"

#include <fstream>

#include <gtest/gtest.h>

#include "gardensync/util/temp_dir.h"

namespace gardensync::config::tmpl {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

TEST(GitInfo, BranchCommitAndOriginFromTheRepositoryFiles) {
  util::TempDir repo;
  write(repo / ".git/HEAD", "ref: refs/heads/feature/x\n");
  write(repo / ".git/refs/heads/feature/x", "0123456789abcdef0123456789abcdef01234567\n");
  write(repo / ".git/config", "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = git@example.com:team/shop.git\n");
  fs::create_directories(repo / "services/api");
  const GitInfo info = readGitInfo(repo / "services/api");  // found by searching upward
  EXPECT_EQ(info.branch, "feature/x");
  EXPECT_EQ(info.commitHash, "0123456789abcdef0123456789abcdef01234567");
  EXPECT_EQ(info.originUrl, "git@example.com:team/shop.git");
}

TEST(GitInfo, PackedRefsDetachedHeadsAndWorktrees) {
  util::TempDir root;
  write(root / "main/.git/HEAD", "ref: refs/heads/main\n");
  write(root / "main/.git/packed-refs", "# pack-refs with: peeled\nfeedface00000000000000000000000000000000 refs/heads/main\n");
  EXPECT_EQ(readGitInfo(root / "main").commitHash, "feedface00000000000000000000000000000000");
  // A worktree: `.git` is a file naming its git folder, whose refs live in the common folder.
  write(root / "main/.git/worktrees/wt/HEAD", "beefbeef00000000000000000000000000000000\n");
  write(root / "main/.git/worktrees/wt/commondir", "../..\n");
  write(root / "wt/.git", "gitdir: " + (root / "main/.git/worktrees/wt").string() + "\n");
  const GitInfo detached = readGitInfo(root / "wt");
  EXPECT_EQ(detached.branch, "");  // Garden: empty with a detached HEAD
  EXPECT_EQ(detached.commitHash, "beefbeef00000000000000000000000000000000");
  // Before the first commit there is no branch either.
  write(root / "fresh/.git/HEAD", "ref: refs/heads/main\n");
  EXPECT_EQ(readGitInfo(root / "fresh").branch, "");
}

}  // namespace
}  // namespace gardensync::config::tmpl
