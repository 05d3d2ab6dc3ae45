#include "gardensync/providers/agent_probe.h"

#include <gtest/gtest.h>

#include "../fake_runner.h"

namespace gardensync::providers {
namespace {

using testing::answer;

TEST(AgentProbe, AnEmptyAnswerMeansTheContainerCanHostTheAgent) {
  auto result = readAgentProbe(answer(0, ""));
  EXPECT_TRUE(result.probeRan);
  EXPECT_EQ(result.problem, "");
}

TEST(AgentProbe, ListsWhatIsMissing) {
  EXPECT_EQ(readAgentProbe(answer(0, "missing uname\nHOME /home/app is not writable\n")).problem,
            "missing uname,HOME /home/app is not writable");
}

TEST(AgentProbe, NoShellIsSaidPlainly) {
  EXPECT_EQ(readAgentProbe(answer(126, "", "exec: \"sh\": executable file not found in $PATH")).problem,
            "it has no shell (sh)");
  EXPECT_EQ(readAgentProbe(answer(127, "")).problem, "it has no shell (sh)");
}

TEST(AgentProbe, OtherFailuresAreTheProbesOwn) {
  auto result = readAgentProbe(answer(1, "", "error: pods \"x\" is forbidden"));
  EXPECT_FALSE(result.probeRan);
  EXPECT_EQ(result.problem, "error: pods \"x\" is forbidden");
}

}  // namespace
}  // namespace gardensync::providers
