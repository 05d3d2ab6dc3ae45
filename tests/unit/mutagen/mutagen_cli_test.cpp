#include "gardensync/mutagen/mutagen_cli.h"

#include <signal.h>
#include <sys/wait.h>

#include <fstream>

#include <gtest/gtest.h>

#include "gardensync/util/process.h"
#include "gardensync/util/process_info.h"
#include "test_support.h"

namespace gardensync::mutagen {
namespace {

namespace fs = std::filesystem;
using test_support::TempDir;
using test_support::writeFile;

// A stand-in for the Mutagen binary: `daemon stop` succeeds and does nothing.
fs::path fakeMutagen(const TempDir& dir) {
  const fs::path binary = dir / "mutagen";
  writeFile(binary, "#!/bin/sh\nexit 0\n");
  fs::permissions(binary, fs::perms::owner_all);
  return binary;
}

bool stillRunning(int pid) {
  int status = 0;
  return ::waitpid(pid, &status, WNOHANG) == 0;
}

// The data dir records a daemon pid that now belongs to an unrelated program (pid reuse, or a
// record copied from elsewhere): stopping the daemon must leave that program alone.
TEST(MutagenCli, StopDaemonNeverSignalsAProcessThatIsNotTheRecordedDaemon) {
  TempDir dir;
  const fs::path binary = fakeMutagen(dir);
  const int unrelated = util::spawnDetached({"sleep", "60"}, {}, std::nullopt);
  writeFile(dir / "gardensync-daemon",
            "version=0.18.1\nbinary=" + binary.string() + "\npid=" + std::to_string(unrelated) + "\n");

  MutagenCli(binary, dir.path()).stopDaemon();

  EXPECT_TRUE(stillRunning(unrelated)) << "stopDaemon killed pid " << unrelated << ", which was not its daemon";
  EXPECT_FALSE(fs::exists(dir / "gardensync-daemon"));
  ::kill(unrelated, SIGKILL);
  ::waitpid(unrelated, nullptr, 0);
}

// A process that looks exactly like the daemon (`<binary> daemon run` with the data directory in
// its environment). `yes` stands in: it keeps running whatever its arguments.
int fakeDaemon(const TempDir& dir, const fs::path& binary) {
  fs::create_symlink("/usr/bin/yes", binary);
  util::Environment env;
  env.set["MUTAGEN_DATA_DIRECTORY"] = dir.path().string();
  const int pid = util::spawnDetached({binary.string(), "daemon", "run"}, env, std::nullopt);
  // posix_spawn may return while the exec is still setting up argv.
  for (int i = 0; i < 100; ++i) {
    auto info = util::readProcessInfo(pid);
    if (info && !info->argv.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  fs::remove(binary);  // so stopDaemon runs the stand-in Mutagen for `daemon stop`
  return pid;
}

TEST(MutagenCli, StopDaemonChecksTheStartTimeOfTheRecordedPid) {
  TempDir dir;
  const fs::path binary = fakeMutagen(dir);
  const fs::path recorded = dir / "old-mutagen";
  const int pid = fakeDaemon(dir, recorded);
  writeFile(dir / "gardensync-daemon",
            "version=0.18.1\nbinary=" + recorded.string() + "\npid=" + std::to_string(pid) + "\nstarted=1\n");
  MutagenCli(binary, dir.path()).stopDaemon();
  EXPECT_TRUE(stillRunning(pid)) << "a process that started at another time is not the recorded daemon";
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
}

TEST(MutagenCli, StopDaemonKillsTheRecordedDaemonWhenItDoesNotExitByItself) {
  TempDir dir;
  const fs::path binary = fakeMutagen(dir);
  const fs::path recorded = dir / "old-mutagen";
  const int pid = fakeDaemon(dir, recorded);
  auto info = util::readProcessInfo(pid);
  ASSERT_TRUE(info);
  writeFile(dir / "gardensync-daemon", "version=0.18.1\nbinary=" + recorded.string() + "\npid=" +
                                           std::to_string(pid) + "\nstarted=" + std::to_string(info->startTime) + "\n");
  MutagenCli(binary, dir.path()).stopDaemon();
  int status = 0;
  pid_t done = 0;
  for (int i = 0; i < 50 && done == 0; ++i) {  // SIGKILL takes effect asynchronously
    done = ::waitpid(pid, &status, WNOHANG);
    if (done == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (done == 0) ::kill(pid, SIGKILL), ::waitpid(pid, nullptr, 0);
  ASSERT_EQ(done, pid) << "the recorded daemon is still running";
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

// A Mutagen whose daemon answers while a marker file exists and notes the MUTAGEN_SSH_PATH each
// start got (and its pid, for the test to end it).
fs::path fakeMutagenWithDaemon(const TempDir& dir) {
  const fs::path binary = dir / "mutagen";
  writeFile(binary,
            "#!/bin/sh\n"
            "dir=$(dirname \"$0\")\n"
            "case \"$1 $2\" in\n"
            "  'sync list') [ -f \"$dir/running\" ] && echo '[]' && exit 0; exit 1;;\n"
            "  'daemon run') echo \"$$ ${MUTAGEN_SSH_PATH:-none}\" >> \"$dir/starts\"; touch \"$dir/running\"; "
            "exec sleep 60;;\n"
            "  'daemon stop') rm -f \"$dir/running\";;\n"
            "esac\n");
  fs::permissions(binary, fs::perms::owner_all);
  return binary;
}

// The MUTAGEN_SSH_PATH of each daemon start; ends the fake daemons.
std::vector<std::string> startsAndStop(const TempDir& dir) {
  std::vector<std::string> starts;
  std::ifstream in(dir / "starts");
  for (int pid; in >> pid;) {
    std::string path;
    in >> path;
    starts.push_back(path);
    ::kill(pid, SIGKILL);
  }
  return starts;
}

TEST(MutagenCli, TheDaemonGetsTheTransportEnvironmentAndIsRestartedWhenItChanges) {
  TempDir dir;
  const MutagenCli cli(fakeMutagenWithDaemon(dir), dir.path());
  cli.ensureDaemon(std::map<std::string, std::string>{{"MUTAGEN_SSH_PATH", "/a"}});
  cli.ensureDaemon(std::map<std::string, std::string>{{"MUTAGEN_SSH_PATH", "/a"}});  // running as wanted
  cli.ensureDaemon(std::nullopt);  // a command that does not know: keep it
  cli.ensureDaemon(std::map<std::string, std::string>{{"MUTAGEN_SSH_PATH", "/b"}});  // restarted with /b
  cli.ensureDaemon(std::map<std::string, std::string>{});  // local-docker: restarted without
  EXPECT_EQ(startsAndStop(dir), (std::vector<std::string>{"/a", "/b", "none"}));
}

TEST(MutagenCli, AStoppedDaemonStartsAgainWithTheRecordedEnvironment) {
  TempDir dir;
  const MutagenCli cli(fakeMutagenWithDaemon(dir), dir.path());
  cli.ensureDaemon(std::map<std::string, std::string>{{"MUTAGEN_SSH_PATH", "/a"}});
  std::filesystem::remove(dir / "running");  // the daemon died
  cli.ensureDaemon(std::nullopt);            // e.g. `sync status` while a config file is broken
  EXPECT_EQ(startsAndStop(dir), (std::vector<std::string>{"/a", "/a"}));
}

TEST(MutagenCli, ADamagedRecordIsNoProcessAtAll) {
  TempDir dir;
  const fs::path binary = fakeMutagen(dir);
  writeFile(dir / "gardensync-daemon", "version=0.18.1\nbinary=x\npid=1junk\nstarted=zz\n");
  EXPECT_NO_THROW(MutagenCli(binary, dir.path()).stopDaemon());
}

}  // namespace
}  // namespace gardensync::mutagen
