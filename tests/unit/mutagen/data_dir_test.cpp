#include "gardensync/mutagen/data_dir.h"

#include <gtest/gtest.h>

#include "gardensync/util/error.h"

namespace gardensync::mutagen {
namespace {

TEST(DataDir, ShortAndKeyedByProject) {
  auto dir = dataDirFor("/home/ada/work/shop", "/home/ada");
  EXPECT_EQ(dir.parent_path(), "/home/ada/.gardensync/m");
  EXPECT_EQ(dir.filename().string().size(), 9u);
  EXPECT_NE(dir, dataDirFor("/home/ada/work/other", "/home/ada"));
  EXPECT_EQ(dir, dataDirFor("/home/ada/work/shop/", "/home/ada"));
}

TEST(DataDir, RejectsSocketPathsOverTheLimit) {
  EXPECT_NO_THROW(checkSocketPathLength("/home/ada/.gardensync/m/abcdef123"));
  EXPECT_THROW(checkSocketPathLength("/" + std::string(120, 'x')), Error);
}

TEST(DataDir, HelperScriptQuotesPaths) {
  EXPECT_EQ(helperScript("/c/mutagen", "/h/it's"),
            "#!/bin/sh\n# Runs gardensync's pinned Mutagen against this project's daemon, e.g. `./mutagen.sh sync list`.\n"
            "export MUTAGEN_DATA_DIRECTORY='/h/it'\\''s'\nexec '/c/mutagen' \"$@\"\n");
}

}  // namespace
}  // namespace gardensync::mutagen
