// Getting Mutagen and running its daemon, through the real binary: download over loopback HTTP,
// verification, the project's data directory and links, pass-through, and recovery.
#include <signal.h>

#include <algorithm>
#include <fstream>

#include <gtest/gtest.h>

#include "harness.h"

namespace gardensync::e2e {
namespace {

namespace fs = std::filesystem;

std::string minimalProject(Project& project) {
  project.write("project.garden.yml", projectYaml(project.name()));
  return project.root().string();
}

TEST(Engine, UtilMutagenSyncListWorksInAFreshProjectWithAnEmptyCache) {
  Project project("e2e-fresh");
  minimalProject(project);
  auto run = project.gardensync({"util", "mutagen", "sync", "list"});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_NE(run.out.find("No synchronization sessions found"), std::string::npos) << run.out;
  EXPECT_NE(run.err.find("SHA256SUMS"), std::string::npos) << run.err;  // it did download
  EXPECT_TRUE(fs::exists(fs::path(project.env()["XDG_CACHE_HOME"]) / "gardensync/mutagen/0.18.1/mutagen"));
  EXPECT_TRUE(fs::exists(fs::path(project.env()["XDG_CACHE_HOME"]) / "gardensync/mutagen/0.18.1/mutagen-agents.tar.gz"));

  // The links and helper script work from a plain shell.
  const fs::path latest = project.root() / ".garden/mutagen/latest";
  ASSERT_TRUE(fs::is_symlink(latest));
  auto shell = util::runProcess({"sh", "-c", (latest / "mutagen.sh").string() + " sync list --template '{{ json . }}'"});
  EXPECT_EQ(shell.exitCode, 0) << shell.stderrText;
  EXPECT_EQ(shell.stdoutText, "[]\n");
  // The real data dir is short and private.
  const fs::path real = fs::read_symlink(latest);
  EXPECT_EQ(real.parent_path(), fs::path(project.env()["HOME"]) / ".gardensync/m");
  EXPECT_EQ(fs::status(real).permissions() & fs::perms::all, fs::perms::owner_all);
}

// ~/.gardensync/m/ holds a folder per project; the folder of a project deleted from the disk goes
// at the next gardensync run of any project, and the links in .garden/mutagen/ are one per folder.
TEST(Engine, TheDataOfAVanishedProjectIsRemoved) {
  Project project("e2e-prune");
  minimalProject(project);
  const fs::path otherRoot = project.root().parent_path() / "other-project";  // removed with the test's folder
  fs::create_directories(otherRoot);
  std::ofstream(otherRoot / "project.garden.yml") << projectYaml("e2e-prune-other");
  // gardensync in the other project's folder, with this test's HOME (so one ~/.gardensync/m/).
  auto inOther = [&](const std::vector<std::string>& args) {
    std::vector<std::string> argv{GARDENSYNC_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    util::ProcessOptions options;
    options.environment.set = project.env();
    options.workingDirectory = otherRoot;
    return util::runProcess(argv, options);
  };
  auto otherRun = inOther({"util", "mutagen", "sync", "list"});
  ASSERT_EQ(otherRun.exitCode, 0) << otherRun.stderrText;
  ASSERT_EQ(inOther({"util", "mutagen", "daemon", "stop"}).exitCode, 0);
  const fs::path otherData = fs::canonical(otherRoot / ".garden/mutagen/latest");
  EXPECT_TRUE(fs::is_symlink(otherRoot / ".garden/mutagen" / otherData.filename()));
  ASSERT_EQ(project.gardensync({"util", "mutagen", "sync", "list"}).exitCode, 0);
  EXPECT_TRUE(fs::is_directory(otherData));  // its project is still there

  fs::remove_all(otherRoot);
  auto run = project.gardensync({"util", "mutagen", "sync", "list"});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_NE(run.err.find("removed " + otherData.string() + ": the Mutagen data of a project whose folder no longer exists"),
            std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(otherData));
  std::vector<std::string> links;
  for (const auto& entry : fs::directory_iterator(project.root() / ".garden/mutagen"))
    links.push_back(entry.path().filename().string());
  std::sort(links.begin(), links.end());
  const fs::path own = fs::canonical(project.root() / ".garden/mutagen/latest");
  EXPECT_TRUE(fs::is_directory(own));
  EXPECT_EQ(links, (std::vector<std::string>{own.filename().string(), "latest"}));
}

TEST(Engine, PassThroughKeepsMutagensOutputAndExitCode) {
  Project project("e2e-passthrough");
  minimalProject(project);
  auto version = project.gardensync({"util", "mutagen", "version"});
  EXPECT_EQ(version.exitCode, 0);
  EXPECT_EQ(version.out, "0.18.1\n");
  auto help = project.gardensync({"util", "mutagen", "--help"});  // Mutagen's help, not ours
  EXPECT_NE(help.out.find("Mutagen"), std::string::npos) << help.out;
  EXPECT_EQ(project.gardensync({"util", "mutagen", "sync", "create", "--help"}).exitCode, 0);
  // Neither needs the daemon, so none was started.
  const fs::path dataDir = fs::read_symlink(project.root() / ".garden/mutagen/latest");
  EXPECT_FALSE(fs::exists(dataDir / "gardensync-daemon"));
  auto bad = project.gardensync({"util", "mutagen", "sync", "flush", "no-such-session"});
  EXPECT_EQ(bad.exitCode, 1);
  EXPECT_NE(bad.err.find("did not match any sessions"), std::string::npos) << bad.err;
  EXPECT_TRUE(fs::exists(dataDir / "gardensync-daemon"));
}

TEST(Engine, ChecksumMismatchLeavesTheCacheUntouched) {
  Project project("e2e-bad-checksum");
  minimalProject(project);
  MirrorServer mirror(mirrorDir());
  mirror.overrideFile("SHA256SUMS", std::string(64, '0') + "  mutagen_linux_amd64_v0.18.1.tar.gz\n");
  project.env()["GARDENSYNC_MUTAGEN_MIRROR"] = mirror.url();
  auto run = project.gardensync({"util", "mutagen", "sync", "list"});
  EXPECT_EQ(run.exitCode, 1);
  EXPECT_NE(run.err.find("checksum mismatch"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("hint:"), std::string::npos) << run.err;
  const fs::path cache = fs::path(project.env()["XDG_CACHE_HOME"]) / "gardensync/mutagen";
  EXPECT_FALSE(fs::exists(cache / "0.18.1"));
  for (const auto& entry : fs::directory_iterator(cache)) EXPECT_FALSE(entry.path().filename().string().starts_with("tmp-"));
}

TEST(Engine, TruncatedOrMissingDownloadsFailClearly) {
  Project project("e2e-bad-download");
  minimalProject(project);
  MirrorServer mirror(mirrorDir());
  mirror.overrideFile("mutagen_linux_amd64_v0.18.1.tar.gz", "not a tarball");
  project.env()["GARDENSYNC_MUTAGEN_MIRROR"] = mirror.url();
  auto corrupt = project.gardensync({"util", "mutagen", "sync", "list"});
  EXPECT_EQ(corrupt.exitCode, 1);
  EXPECT_NE(corrupt.err.find("checksum mismatch"), std::string::npos) << corrupt.err;

  project.env()["GARDENSYNC_MUTAGEN_MIRROR"] = mirror.url() + "/nowhere";
  auto missing = project.gardensync({"util", "mutagen", "sync", "list"});
  EXPECT_EQ(missing.exitCode, 1);
  EXPECT_NE(missing.err.find("404"), std::string::npos) << missing.err;
  EXPECT_FALSE(fs::exists(fs::path(project.env()["XDG_CACHE_HOME"]) / "gardensync/mutagen/0.18.1"));
}

TEST(Engine, DaemonKilledBetweenCommandsIsRestarted) {
  Project project("e2e-daemon-killed");
  project.write("project.garden.yml", projectYaml(project.name()));
  project.write("garden.yml", sleepDeployYaml("app", "      - source: src\n        target: /app/src\n        mode: one-way-replica\n"));
  project.write("src/a.txt", "a");
  ASSERT_EQ(project.gardensync({"deploy", "--sync=*"}).exitCode, 0);
  // Find and kill the project's daemon.
  const fs::path dataDir = fs::read_symlink(project.root() / ".garden/mutagen/latest");
  std::ifstream record(dataDir / "gardensync-daemon");
  std::string line;
  int pid = 0;
  while (std::getline(record, line))
    if (line.starts_with("pid=")) pid = std::stoi(line.substr(4));
  ASSERT_GT(pid, 0);
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  // Reading the status does not start it (it says the stored session does not run); the next
  // command that starts syncs does, and the session (stored on disk) resumes.
  auto status = project.gardensync({"sync", "status", "--output", "json"});
  EXPECT_EQ(status.exitCode, 1);
  EXPECT_EQ(status.json()["daemonRunning"], false);
  EXPECT_NE(status.err.find("1 sync session(s) of this project are stored but not running"), std::string::npos)
      << status.err;
  auto start = project.gardensync({"sync", "start"});
  ASSERT_EQ(start.exitCode, 0) << start.err;
  EXPECT_NE(start.err.find("syncs: 0 started, 1 unchanged"), std::string::npos) << start.err;
  status = project.gardensync({"sync", "status", "--output", "json"});
  ASSERT_EQ(status.exitCode, 0) << status.err;
  EXPECT_EQ(status.json()["sessions"].size(), 1u);
  project.write("src/b.txt", "b");
  EXPECT_TRUE(project.eventually([&] { return project.catIn("app", "/app/src/b.txt") == "b"; }));
}

TEST(Engine, DaemonStopStopsTheProjectsDaemon) {
  Project project("e2e-daemon-stop");
  minimalProject(project);
  ASSERT_EQ(project.gardensync({"util", "mutagen", "sync", "list"}).exitCode, 0);
  auto stop = project.gardensync({"util", "mutagen", "daemon", "stop"});
  EXPECT_EQ(stop.exitCode, 0) << stop.err;
  const fs::path script = project.root() / ".garden/mutagen/latest/mutagen.sh";
  auto list = util::runProcess({"sh", "-c", "MUTAGEN_DISABLE_AUTOSTART=1 " + script.string() + " sync list"});
  EXPECT_NE(list.exitCode, 0);  // nothing answers any more
}

TEST(Engine, UnwritableDataDirectoryIsAClearError) {
  Project project("e2e-readonly-home");
  minimalProject(project);
  const fs::path home = project.env()["HOME"];
  fs::create_directories(home / ".gardensync");
  std::ofstream(home / ".gardensync/m") << "a file where a folder should be";
  auto run = project.gardensync({"util", "mutagen", "sync", "list"});
  EXPECT_EQ(run.exitCode, 1);
  EXPECT_NE(run.err.find("cannot create the Mutagen data directory"), std::string::npos) << run.err;
}

TEST(Engine, OverlongSocketPathIsRefusedUpFront) {
  Project project("e2e-long-home");
  minimalProject(project);
  const fs::path home = fs::path(project.env()["HOME"]) / std::string(90, 'h');
  fs::create_directories(home);
  project.env()["HOME"] = home.string();
  auto run = project.gardensync({"util", "mutagen", "sync", "list"});
  EXPECT_EQ(run.exitCode, 1);
  EXPECT_NE(run.err.find("Unix sockets allow at most"), std::string::npos) << run.err;
  project.env()["HOME"] = home.parent_path().string();  // so cleanup can reach the daemon
}

}  // namespace
}  // namespace gardensync::e2e

namespace gardensync::e2e {
namespace {

TEST(Engine, TwoProcessesInstallingAtOnceShareOneInstall) {
  Project project("e2e-concurrent-install");
  project.write("project.garden.yml", projectYaml(project.name()));
  // Two gardensync processes start together against an empty cache.
  std::string command;
  for (int i = 0; i < 2; ++i)
    command += std::string("'") + GARDENSYNC_BINARY + "' --root '" + project.root().string() +
               "' util mutagen version > '" + project.root().string() + "/out" + std::to_string(i) + "' 2>&1 & ";
  command += "wait";
  util::ProcessOptions options;
  options.environment.set = project.env();
  auto run = util::runProcess({"sh", "-c", command}, options);
  ASSERT_EQ(run.exitCode, 0);
  EXPECT_NE(project.read("out0").find("0.18.1"), std::string::npos) << project.read("out0");
  EXPECT_NE(project.read("out1").find("0.18.1"), std::string::npos) << project.read("out1");
  // Exactly one of them downloaded; the other waited for it and used its install.
  const int downloads = (project.read("out0").find("installed in") != std::string::npos) +
                        (project.read("out1").find("installed in") != std::string::npos);
  EXPECT_EQ(downloads, 1) << project.read("out0") << "\n---\n" << project.read("out1");
}

}  // namespace
}  // namespace gardensync::e2e

namespace gardensync::e2e {
namespace {

int daemonPid(const Project& project) {
  std::ifstream record(fs::read_symlink(project.root() / ".garden/mutagen/latest") / "gardensync-daemon");
  std::string line;
  while (std::getline(record, line))
    if (line.starts_with("pid=")) return std::stoi(line.substr(4));
  return 0;
}

TEST(Engine, DaemonOfAnotherVersionIsReplaced) {
  Project project("e2e-daemon-version");
  project.write("project.garden.yml", projectYaml(project.name()));
  ASSERT_EQ(project.gardensync({"util", "mutagen", "sync", "list"}).exitCode, 0);
  const int first = daemonPid(project);
  ASSERT_GT(first, 0);
  // Pretend the running daemon was started by another Mutagen version.
  const fs::path record = fs::read_symlink(project.root() / ".garden/mutagen/latest") / "gardensync-daemon";
  std::string text;
  {
    std::ifstream in(record);
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  text.replace(text.find("version=0.18.1"), 14, "version=0.17.0");
  std::ofstream(record, std::ios::trunc) << text;

  ASSERT_EQ(project.gardensync({"util", "mutagen", "sync", "list"}).exitCode, 0);
  const int second = daemonPid(project);
  EXPECT_GT(second, 0);
  EXPECT_NE(second, first);
  // The old one is gone: no such process, or a zombie that only waits to be reaped (a PID 1
  // that does not reap, as in some containers, keeps it in the table).
  std::ifstream stat("/proc/" + std::to_string(first) + "/stat");
  std::string fields;
  std::getline(stat, fields);
  const size_t close = fields.rfind(')');
  const bool zombie = close != std::string::npos && fields.size() > close + 2 && fields[close + 2] == 'Z';
  EXPECT_TRUE(::kill(first, 0) != 0 || zombie) << fields;
}

}  // namespace
}  // namespace gardensync::e2e
