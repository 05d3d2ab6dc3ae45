#include "gardensync/util/process.h"

#include <gtest/gtest.h>

#include "gardensync/util/error.h"

namespace gardensync::util {
namespace {

using namespace std::chrono_literals;

TEST(Process, CapturesOutputAndExitCode) {
  ProcessResult result = runProcess({"sh", "-c", "echo out; echo err >&2; exit 3"});
  EXPECT_EQ(result.exitCode, 3);
  EXPECT_EQ(result.stdoutText, "out\n");
  EXPECT_EQ(result.stderrText, "err\n");
}

TEST(Process, PassesArgumentsVerbatimWithoutAShell) {
  ProcessResult result = runProcess({"printf", "%s|", "a b", "$HOME", "'q'"});
  EXPECT_EQ(result.stdoutText, "a b|$HOME|'q'|");
}

TEST(Process, EnvironmentIsExplicit) {
  ProcessOptions options;
  options.environment.set = {{"GS_PROBE", "42"}};
  options.environment.unset = {"HOME"};
  ProcessResult result = runProcess({"sh", "-c", "echo ${GS_PROBE}:${HOME:-none}"}, options);
  EXPECT_EQ(result.stdoutText, "42:none\n");
}

TEST(Process, FeedsStdin) {
  ProcessOptions options;
  options.stdinData = std::string(200000, 'x');
  ProcessResult result = runProcess({"wc", "-c"}, options);
  EXPECT_EQ(std::stoi(result.stdoutText), 200000);
}

TEST(Process, StreamsStdinChunkByChunk) {
  ProcessOptions options;
  int chunks = 0;
  options.stdinChunks = [&chunks]() { return chunks++ < 50 ? std::string(100000, 'x') : std::string(); };
  ProcessResult result = runProcess({"wc", "-c"}, options);
  EXPECT_EQ(std::stoi(result.stdoutText), 5000000);
  EXPECT_EQ(chunks, 51);  // asked once more, for the end
}

// A child that stops reading ends the stream with an error it reports, never gardensync itself
// (SIGPIPE).
TEST(Process, AChildThatStopsReadingEndsTheStream) {
  ProcessOptions options;
  int chunks = 0;
  options.stdinChunks = [&chunks]() { return chunks++ < 1000 ? std::string(100000, 'x') : std::string(); };
  ProcessResult result = runProcess({"head", "-c", "10"}, options);
  EXPECT_EQ(result.exitCode, 0);
  EXPECT_EQ(result.stdoutText, "xxxxxxxxxx");
  EXPECT_LT(chunks, 1000);
}

// Without data, stdin is closed at once, and a child that reads it ends; with holdStdin it stays
// open until the call ends (here: cancelled once the child said it is waiting).
TEST(Process, HoldsStdinOpenUntilTheCallEnds) {
  EXPECT_EQ(runProcess({"sh", "-c", "cat; echo ended"}).stdoutText, "ended\n");
  ProcessOptions options;
  options.holdStdin = true;
  bool waiting = false;
  options.onStdout = [&](std::string_view chunk) { waiting = waiting || chunk.find("waiting") != std::string_view::npos; };
  options.cancelled = [&] { return waiting; };
  ProcessResult result = runProcess({"sh", "-c", "echo waiting; cat; echo ended"}, options);
  EXPECT_TRUE(result.cancelled);
  EXPECT_EQ(result.stdoutText, "waiting\n");
}

TEST(Process, TimesOut) {
  ProcessOptions options;
  options.timeout = 300ms;
  ProcessResult result = runProcess({"sleep", "30"}, options);
  EXPECT_TRUE(result.timedOut);
  EXPECT_FALSE(result.ok());
}

TEST(Process, TimeoutHoldsAfterTheChildClosesItsOutput) {
  ProcessOptions options;
  options.timeout = 300ms;
  const auto start = std::chrono::steady_clock::now();
  ProcessResult result = runProcess({"sh", "-c", "exec >&- 2>&-; sleep 30"}, options);
  EXPECT_TRUE(result.timedOut);
  // Not a timing threshold: without the fix the call returns only when sleep exits, after 30 s.
  EXPECT_LT(std::chrono::steady_clock::now() - start, 25s);
}

TEST(Process, RefusesToRunAnArgumentWithANulByte) {
  using namespace std::string_literals;
  try {
    runProcess({"printf", "%s", "/\0x"s});
    FAIL() << "a NUL byte would have cut the argument short";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("argument 2 contains a NUL byte"), std::string::npos) << e.what();
  }
}

TEST(Process, CheckedFailureCarriesCommandAndStderr) {
  try {
    runChecked({"sh", "-c", "echo boom >&2; exit 7"}, {}, "probe");
    FAIL();
  } catch (const ToolError& e) {
    EXPECT_STREQ(e.what(), "probe failed (exit code 7)");
    EXPECT_EQ(e.command(), "sh -c 'echo boom >&2; exit 7'");
    EXPECT_EQ(e.stderrText(), "boom");
  }
}

TEST(Process, MissingProgramIsAClearError) {
  try {
    runProcess({"gardensync-no-such-program"});
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "cannot run gardensync-no-such-program: not found on PATH");
  }
}

}  // namespace
}  // namespace gardensync::util
