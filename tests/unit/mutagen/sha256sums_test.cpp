#include "gardensync/mutagen/sha256sums.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "gardensync/util/error.h"

namespace gardensync::mutagen {
namespace {

using ::testing::HasSubstr;

const std::string kDigestA = "7735286c778cc438418209f24d03a64f3a0151c8065ef0fe079cfaf093af6f8f";
const std::string kDigestB = "bcba735aebf8cbc11da9b3742118a665599ac697fa06bc5751cac8dcd540db8a";

std::string errorOf(std::string_view text) {
  try {
    parseSha256Sums(text);
  } catch (const Error& error) {
    return error.what();
  }
  return "no error";
}

TEST(Sha256Sums, ParsesTextAndBinaryModeLines) {
  const auto sums = parseSha256Sums(kDigestA + "  mutagen_linux_amd64_v0.18.1.tar.gz\n" + kDigestB +
                                    " *mutagen_linux_arm64_v0.18.1.tar.gz\n");
  EXPECT_EQ(sums, (std::map<std::string, std::string>{{"mutagen_linux_amd64_v0.18.1.tar.gz", kDigestA},
                                                       {"mutagen_linux_arm64_v0.18.1.tar.gz", kDigestB}}));
}

TEST(Sha256Sums, LowercasesDigestsAndAcceptsBlankLinesCrlfAndDotSlash) {
  std::string upper = kDigestA;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const auto sums = parseSha256Sums("\n" + upper + "  ./a.tar.gz\r\n   \r\n" + kDigestB + "  b.tar.gz");
  EXPECT_EQ(sums, (std::map<std::string, std::string>{{"a.tar.gz", kDigestA}, {"b.tar.gz", kDigestB}}));
}

TEST(Sha256Sums, KeepsSpacesInsideNames) {
  const auto sums = parseSha256Sums(kDigestA + "  my file.tar.gz\n");
  EXPECT_EQ(sums.at("my file.tar.gz"), kDigestA);
}

TEST(Sha256Sums, EmptyTextHasNoEntries) { EXPECT_TRUE(parseSha256Sums("").empty()); }

TEST(Sha256Sums, MalformedLinesNameTheirNumber) {
  EXPECT_THAT(errorOf(kDigestA + "  a\nnot a checksum line\n"), HasSubstr("SHA256SUMS line 2"));
  EXPECT_THAT(errorOf(kDigestA.substr(1) + "  short.tar.gz\n"), HasSubstr("line 1"));
  EXPECT_THAT(errorOf(kDigestA + "  \n"), HasSubstr("line 1"));                     // no name
  EXPECT_THAT(errorOf(kDigestA + "\tname\n"), HasSubstr("line 1"));                 // tab separator
  EXPECT_THAT(errorOf("z" + kDigestA.substr(1) + "  name\n"), HasSubstr("line 1"));  // not hex
}

TEST(Sha256Sums, ConflictingDuplicatesAreAnError) {
  EXPECT_THAT(errorOf(kDigestA + "  a\n" + kDigestB + "  a\n"), HasSubstr("a is listed twice"));
  EXPECT_EQ(parseSha256Sums(kDigestA + "  a\n" + kDigestA + "  a\n").size(), 1u);
}

}  // namespace
}  // namespace gardensync::mutagen
