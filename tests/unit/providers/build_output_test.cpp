#include "gardensync/providers/build_output.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace gardensync::providers {
namespace {

using ::testing::ElementsAre;

TEST(BuildOutput, SplitsChunksIntoLinesWithoutColours) {
  LineSplitter splitter;
  EXPECT_THAT(splitter.add("Step 1/2 : FROM x\n ---> ab"), ElementsAre("Step 1/2 : FROM x"));
  EXPECT_THAT(splitter.add("c\n\x1b[91mls: nope\n\x1b[0m"), ElementsAre(" ---> abc", "ls: nope"));
  EXPECT_TRUE(splitter.finish().empty());  // what followed the last newline was only a colour reset
  splitter.add("no newline at the end");
  EXPECT_THAT(splitter.finish(), ElementsAre("no newline at the end"));
}

TEST(BuildOutput, StepLinesOfBothBuilders) {
  EXPECT_TRUE(isBuildStepLine("Step 3/4 : RUN make"));
  EXPECT_TRUE(isBuildStepLine("#7 [3/4] RUN make"));
  EXPECT_FALSE(isBuildStepLine("#7 0.215 compiling"));
  EXPECT_FALSE(isBuildStepLine(" ---> Running in 16aa1bc754bb"));
  EXPECT_FALSE(isBuildStepLine("Stepping"));
}

TEST(BuildOutput, LegacyBuilderFailureIsItsLastStepAndWhatItPrinted) {
  const auto failure = findBuildFailure({
      "DEPRECATED: The legacy builder is deprecated and will be removed in a future release.",
      "            Install the buildx component to build images with BuildKit:",
      "            https://docs.docker.com/go/buildx/",
      "",
      "Sending build context to Docker daemon  3.584kB",
      "Step 1/4 : FROM busybox",
      " ---> 2412c22390a5",
      "Step 2/4 : RUN echo step-one",
      " ---> Running in de44de131562",
      "step-one",
      "Removing intermediate container de44de131562",
      " ---> b367f096251d",
      "Step 3/4 : RUN echo about to fail && ls /nonexistent",
      " ---> Running in 16aa1bc754bb",
      "about to fail",
      "ls: /nonexistent: No such file or directory",
      "The command '/bin/sh -c echo about to fail && ls /nonexistent' returned a non-zero code: 1",
  });
  EXPECT_EQ(failure.step, "Step 3/4 : RUN echo about to fail && ls /nonexistent");
  EXPECT_THAT(failure.output, ElementsAre("about to fail", "ls: /nonexistent: No such file or directory"));
  EXPECT_EQ(failure.reason, "The command '/bin/sh -c echo about to fail && ls /nonexistent' returned a non-zero code: 1");
}

TEST(BuildOutput, BuildKitFailureIsTheStepWithAnError) {
  const auto failure = findBuildFailure({
      "#5 [2/3] RUN echo one",
      "#5 0.120 one",
      "#5 DONE 0.2s",
      "#6 [3/3] RUN make",
      "#6 0.301 make: *** No targets specified and no makefile found.  Stop.",
      "#6 ERROR: process \"/bin/sh -c make\" did not complete successfully: exit code: 2",
      "ERROR: failed to solve: process \"/bin/sh -c make\" did not complete successfully: exit code: 2",
  });
  EXPECT_EQ(failure.step, "[3/3] RUN make");
  EXPECT_THAT(failure.output, ElementsAre("make: *** No targets specified and no makefile found.  Stop."));
  EXPECT_EQ(failure.reason, "ERROR: failed to solve: process \"/bin/sh -c make\" did not complete successfully: exit code: 2");
}

TEST(BuildOutput, KeepsOnlyTheLastLinesOfALongStep) {
  std::vector<std::string> lines{"Step 1/1 : RUN noisy"};
  for (int i = 0; i < 50; ++i) lines.push_back("line " + std::to_string(i));
  const auto failure = findBuildFailure(lines, 3);
  EXPECT_THAT(failure.output, ElementsAre("line 47", "line 48", "line 49"));
}

TEST(BuildOutput, NoStepFoundLeavesTheStepEmpty) {
  EXPECT_EQ(findBuildFailure({"unable to prepare context: path \"x\" not found"}).step, "");
}

}  // namespace
}  // namespace gardensync::providers
