#include "gardensync/util/termination.h"

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "gardensync/util/process.h"
#include "gardensync/util/temp_dir.h"

namespace gardensync::util {
namespace {

// Runs in a forked child (a death test), since the signal it receives is one-way.
[[noreturn]] void terminateWhileAChildRuns(const std::filesystem::path& pidFile) {
  const TerminationSignals signals;
  std::thread sender([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ::kill(::getpid(), SIGTERM);
  });
  sender.detach();
  ProcessOptions options;
  options.timeout = std::chrono::milliseconds(0);
  try {
    runProcess({"sh", "-c", "echo $$ > \"$1\"; exec sleep 30", "sh", pidFile.string()}, options);
  } catch (const Interrupted& e) {
    std::ifstream in(pidFile);
    int child = 0;
    in >> child;
    const bool childGone = child > 0 && ::kill(child, 0) != 0;
    _exit(e.signal() == SIGTERM && childGone ? 0 : 3);
  }
  _exit(4);  // the child ran to its end: the signal was not passed on
}

TEST(TerminationDeathTest, ASignalStopsTheRunningChildAndThenGardensync) {
  TempDir dir;
  EXPECT_EXIT(terminateWhileAChildRuns(dir / "pid"), ::testing::ExitedWithCode(0), "");
}

TEST(TerminationDeathTest, WithNoChildRunningTheSignalHasItsDefaultEffect) {
  EXPECT_EXIT(
      {
        const TerminationSignals signals;
        ::kill(::getpid(), SIGTERM);
        std::this_thread::sleep_for(std::chrono::seconds(5));
        _exit(0);
      },
      ::testing::KilledBySignal(SIGTERM), "");
}

TEST(Termination, NamesTheSignals) {
  EXPECT_EQ(signalName(SIGTERM), "SIGTERM");
  EXPECT_EQ(signalName(SIGHUP), "SIGHUP");
  EXPECT_STREQ(Interrupted(SIGTERM, "docker build .").what(),
               "stopped by SIGTERM while running docker build .; it was stopped too");
}

}  // namespace
}  // namespace gardensync::util
