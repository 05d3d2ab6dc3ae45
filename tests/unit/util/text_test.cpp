#include "gardensync/util/text.h"

#include <cstdlib>

#include <gtest/gtest.h>

namespace gardensync::util {
namespace {

using namespace std::string_literals;

TEST(Text, TrimRemovesWhitespaceAtBothEnds) {
  EXPECT_EQ(trim(" \t a b \r\n"), "a b");
  EXPECT_EQ(trim(" \n "), "");
  EXPECT_EQ(trimEnd("  a \n"), "  a");
}

TEST(Text, FindsControlCharactersIncludingNul) {
  EXPECT_EQ(findControlCharacter("/\0x"s), 1u);
  EXPECT_EQ(findControlCharacter("a\nb"), 1u);
  EXPECT_EQ(findControlCharacter("\x1b[31m"), 0u);
  EXPECT_EQ(findControlCharacter("del\x7f"), 3u);
  EXPECT_FALSE(findControlCharacter("/app/src/ünïcode €"));
  EXPECT_FALSE(findControlCharacter(""));
}

TEST(Text, FindsWhereUtf8BecomesInvalid) {
  EXPECT_FALSE(findInvalidUtf8("plain /app"));
  EXPECT_FALSE(findInvalidUtf8("ü € 𝄞"));
  EXPECT_EQ(findInvalidUtf8("bad\xff\xfe"), 3u);
  EXPECT_EQ(findInvalidUtf8("\xc3"), 0u);            // truncated sequence
  EXPECT_EQ(findInvalidUtf8("a\xc0\xaf"), 1u);       // overlong "/"
  EXPECT_EQ(findInvalidUtf8("\xed\xa0\x80"), 0u);    // UTF-16 surrogate
  EXPECT_EQ(findInvalidUtf8("\xf4\x90\x80\x80"), 0u);  // past U+10FFFF
}

TEST(Text, CsvFieldQuotesOnlyWhatCsvWouldSplitOrReject) {
  EXPECT_EQ(csvField("node_modules"), "node_modules");
  EXPECT_EQ(csvField("q'\""), "\"q'\"\"\"");
  EXPECT_EQ(csvField("target=/a,b"), "\"target=/a,b\"");
  EXPECT_EQ(csvField("target=/v1:ro"), "target=/v1:ro");
  EXPECT_EQ(csvField(" x"), "\" x\"");
}

TEST(Text, DescribesControlCharactersByCodeAndName) {
  EXPECT_EQ(describeControlCharacter('\0'), "U+0000 (NUL)");
  EXPECT_EQ(describeControlCharacter('\n'), "U+000A (line feed)");
  EXPECT_EQ(describeControlCharacter('\x01'), "U+0001");
}

TEST(Text, AnEnvironmentSwitchIsOnUnlessTurnedOff) {
  const char* name = "GARDENSYNC_TEXT_TEST_SWITCH";
  ::unsetenv(name);
  EXPECT_TRUE(environmentSwitchOn(name));
  for (const char* off : {"off", "0", "false", "no", " off "}) {
    ::setenv(name, off, 1);
    EXPECT_FALSE(environmentSwitchOn(name)) << off;
  }
  for (const char* on : {"", "on", "1", "yes"}) {
    ::setenv(name, on, 1);
    EXPECT_TRUE(environmentSwitchOn(name)) << on;
  }
  ::unsetenv(name);
}

}  // namespace
}  // namespace gardensync::util
