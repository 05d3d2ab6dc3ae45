#include "gardensync/util/process_info.h"

#include <signal.h>
#include <unistd.h>

#include <thread>

#include <gtest/gtest.h>

#include "gardensync/util/process.h"

namespace gardensync::util {
namespace {

TEST(ProcessInfo, ReadsArgvEnvironmentAndStartTimeOfALiveProcess) {
  Environment env;
  env.set["GS_PROCESS_INFO_PROBE"] = "value 1";
  const int pid = spawnDetached({"sleep", "30"}, env, std::nullopt);
  // posix_spawn may return while the exec is still setting up argv: read until it is there.
  auto info = readProcessInfo(pid);
  for (int i = 0; i < 200 && info && info->argv.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    info = readProcessInfo(pid);
  }
  ::kill(pid, SIGKILL);
  ASSERT_TRUE(info);
  ASSERT_EQ(info->argv.size(), 2u);
  EXPECT_EQ(info->argv[1], "30");
  EXPECT_EQ(environmentValue(*info, "GS_PROCESS_INFO_PROBE"), "value 1");
  EXPECT_FALSE(environmentValue(*info, "GS_PROCESS_INFO_ABSENT"));
  EXPECT_GT(info->startTime, 0u);
  auto self = readProcessInfo(::getpid());
  ASSERT_TRUE(self);
  EXPECT_NE(self->startTime, 0u);
}

TEST(ProcessInfo, NoProcessReadsAsNothing) {
  EXPECT_FALSE(readProcessInfo(0));
  EXPECT_FALSE(readProcessInfo(-1));
  EXPECT_FALSE(readProcessInfo(0x3fffffff));
}

}  // namespace
}  // namespace gardensync::util
