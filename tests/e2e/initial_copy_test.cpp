// The initial copy: a new session's empty container folder filled in one stream, exactly as
// Mutagen's own first cycle would fill it, so that Mutagen then copies nothing.
#include <sys/stat.h>

#include <chrono>
#include <filesystem>

#include <gtest/gtest.h>

#include "harness.h"

namespace gardensync::e2e {
namespace {

namespace fs = std::filesystem;

// 2001-09-09: a local modification time no file written by Mutagen (which sets none) can have.
constexpr long long kOldTime = 1000000000;

void setOldTime(const Project& project, const std::string& relative) {
  const auto path = project.root() / relative;
  const auto since = std::chrono::seconds(kOldTime) - std::chrono::system_clock::now().time_since_epoch();
  fs::last_write_time(path, fs::file_time_type::clock::now() + since);
}

// Every entry under `folder` in the container: path, owner, group, mode, type, size, link target.
std::string listingIn(const Project& project, const std::string& deploy, const std::string& folder) {
  auto run = project.exec(deploy, {"sh", "-c",
                                   "cd \"$1\" && find . | sort | while read -r p; do "
                                   "stat -c '%n %u:%g %a %F %s' \"$p\"; "
                                   "if [ -L \"$p\" ]; then echo \"  -> $(readlink \"$p\")\"; fi; done",
                                   "sh", folder});
  EXPECT_EQ(run.exitCode, 0) << run.err;
  return run.out;
}

long long mtimeIn(const Project& project, const std::string& deploy, const std::string& path) {
  auto run = project.exec(deploy, {"stat", "-c", "%Y", path});
  return run.exitCode == 0 ? std::stoll(run.out) : -1;
}

// One tree, two projects: one copies its first sync in one stream, the other leaves it all to
// Mutagen. The containers end up with the same entries, owners, groups and modes; only the
// copied files keep their local modification time, which shows that Mutagen rewrote none.
void writeTree(Project& project, const std::string& mode) {
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", sleepDeployYaml("app", "      - source: src\n        target: /app/src\n        mode: " + mode +
                                                        "\n        exclude: [node_modules, '*.log']\n"
                                                        "        defaultOwner: 1000\n        defaultGroup: 1001\n"
                                                        "        defaultFileMode: 0640\n        defaultDirectoryMode: 0750\n"));
  project.write("src/file.txt", "hello");
  project.write("src/dir/deeper/inner.txt", std::string(200000, 'i'));
  project.write("src/dir/empty-file", "");
  project.write("src/run.sh", "#!/bin/sh\necho run\n");
  fs::permissions(project.root() / "src/run.sh", fs::perms(0755));
  project.write("src/node_modules/dep/index.js", "ignored");
  project.write("src/debug.log", "ignored");
  fs::create_directories(project.root() / "src/empty-dir");
  fs::create_symlink("file.txt", project.root() / "src/link");
  fs::create_symlink("/etc/passwd", project.root() / "src/absolute-link");  // Mutagen refuses it
  ASSERT_EQ(::mkfifo((project.root() / "src/pipe").c_str(), 0600), 0);
  setOldTime(project, "src/file.txt");
  setOldTime(project, "src/dir/deeper/inner.txt");
}

TEST(InitialCopy, AnEmptyContainerFolderGetsTheLocalTreeExactlyAsMutagenWouldMakeIt) {
  Project copied("e2e-initial-copy");
  Project plain("e2e-initial-plain");
  writeTree(copied, "one-way-replica");
  writeTree(plain, "one-way-replica");
  plain.env()["GARDENSYNC_INITIAL_COPY"] = "off";

  auto first = copied.gardensync({"deploy", "--sync=*"});
  ASSERT_EQ(first.exitCode, 0) << first.err;
  EXPECT_NE(first.err.find("sync app-0: copied 4 files"), std::string::npos) << first.err;
  auto second = plain.gardensync({"deploy", "--sync=*"});
  ASSERT_EQ(second.exitCode, 0) << second.err;
  EXPECT_EQ(second.err.find("copied"), std::string::npos) << second.err;

  const std::string listing = listingIn(copied, "app", "/app/src");
  EXPECT_EQ(listing, listingIn(plain, "app", "/app/src"));
  EXPECT_NE(listing.find("./run.sh 1000:1001 750 regular file"), std::string::npos) << listing;
  EXPECT_NE(listing.find("./dir/deeper/inner.txt 1000:1001 640 regular file 200000"), std::string::npos) << listing;
  EXPECT_NE(listing.find("./empty-dir 1000:1001 750 directory"), std::string::npos) << listing;
  EXPECT_NE(listing.find("  -> file.txt"), std::string::npos) << listing;
  EXPECT_EQ(listing.find("node_modules"), std::string::npos) << listing;
  EXPECT_EQ(listing.find("debug.log"), std::string::npos) << listing;
  EXPECT_EQ(listing.find("pipe"), std::string::npos) << listing;
  EXPECT_EQ(listing.find("absolute-link"), std::string::npos) << listing;
  EXPECT_EQ(copied.catIn("app", "/app/src/dir/deeper/inner.txt"), std::string(200000, 'i'));

  EXPECT_EQ(mtimeIn(copied, "app", "/app/src/file.txt"), kOldTime);
  EXPECT_EQ(mtimeIn(copied, "app", "/app/src/dir/deeper/inner.txt"), kOldTime);
  EXPECT_NE(mtimeIn(plain, "app", "/app/src/file.txt"), kOldTime);

  // Mutagen reports the absolute link as a problem (so `sync status` exits 1), and nothing else.
  auto status = copied.gardensync({"sync", "status", "--output", "json"});
  EXPECT_TRUE(status.json()["sessions"][0]["conflicts"].empty()) << status.out;
  EXPECT_EQ(status.json()["sessions"][0]["problems"].size(), 1u) << status.out;

  // From here on it is an ordinary session.
  copied.write("src/file.txt", "v2");
  copied.write("src/new.txt", "new");
  EXPECT_TRUE(copied.eventually([&] { return copied.catIn("app", "/app/src/file.txt") == "v2"; }));
  EXPECT_TRUE(copied.eventually([&] { return copied.catIn("app", "/app/src/new.txt") == "new"; }));
}

// In the safe modes both sides then hold the same files with no common history: Mutagen takes
// them as equal, with no conflict. An existing empty folder keeps its own owner and mode.
TEST(InitialCopy, TwoWaySafeIntoAnExistingEmptyFolderEndsWithoutConflicts) {
  Project project("e2e-initial-two-way");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", sleepDeployYaml("app", "      - source: src\n        target: /app\n        mode: two-way-safe\n"));
  project.write("src/a.txt", "a");
  project.write("src/sub/b.txt", "b");
  setOldTime(project, "src/a.txt");
  auto deploy = project.gardensync({"deploy", "--sync=*"});
  ASSERT_EQ(deploy.exitCode, 0) << deploy.err;
  EXPECT_NE(deploy.err.find("copied 2 files"), std::string::npos) << deploy.err;
  EXPECT_EQ(mtimeIn(project, "app", "/app/a.txt"), kOldTime);
  EXPECT_EQ(project.statIn("app", "/app"), "0:0:755");      // the folder itself is the image's
  EXPECT_EQ(project.statIn("app", "/app/sub"), "0:0:700");  // Mutagen's default mode
  auto status = project.gardensync({"sync", "status", "--output", "json"});
  EXPECT_TRUE(status.json()["sessions"][0]["conflicts"].empty()) << status.out;
  project.writeIn("app", "/app/from-container.txt", "c");
  EXPECT_TRUE(project.eventually([&] { return project.read("src/from-container.txt") == "c"; }));
}

// A container folder that already holds something is left to Mutagen.
TEST(InitialCopy, AFolderThatIsNotEmptyIsLeftToMutagen) {
  Project project("e2e-initial-busy");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", sleepDeployYaml("app", "      - source: src\n        target: /etc\n        mode: one-way\n"));
  project.write("src/gardensync-test.txt", "x");
  setOldTime(project, "src/gardensync-test.txt");
  auto deploy = project.gardensync({"deploy", "--sync=*"});
  ASSERT_EQ(deploy.exitCode, 0) << deploy.err;
  EXPECT_EQ(deploy.err.find("copied"), std::string::npos) << deploy.err;
  EXPECT_EQ(project.catIn("app", "/etc/gardensync-test.txt"), "x");
  EXPECT_NE(mtimeIn(project, "app", "/etc/gardensync-test.txt"), kOldTime);
}

}  // namespace
}  // namespace gardensync::e2e
