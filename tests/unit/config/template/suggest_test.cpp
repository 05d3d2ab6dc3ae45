#include "gardensync/config/template/suggest.h"

#include <gtest/gtest.h>

namespace gardensync::config {
namespace {

TEST(Suggest, OnlyNearMisses) {
  EXPECT_EQ(editDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(closestName("exlude", {"exclude", "target"}), "exclude");
  EXPECT_EQ(closestName("nmae", {"name", "namespace"}), "name");
  EXPECT_EQ(closestName("completely", {"name"}), std::nullopt);
}

}  // namespace
}  // namespace gardensync::config
