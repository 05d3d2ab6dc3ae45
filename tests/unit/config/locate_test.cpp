#include "gardensync/config/locate.h"

#include <gtest/gtest.h>

#include "load_helpers.h"

namespace gardensync::config {
namespace {

TEST(Locate, FindsAKeyOfAnActionInItsFile) {
  const auto config = testing::loadFixture("container-spec");
  const Action& api = *config.find(ActionKind::Deploy, "api");
  // The first of the key paths that is written: this port says localPort, not hostPort.
  auto position = locateActionKey(api, {"spec.ports[0].hostPort", "spec.ports[0].localPort"}, config.project.root);
  ASSERT_TRUE(position);
  EXPECT_EQ(position->file, "project.garden.yml");
  EXPECT_EQ(position->line, 15);
  EXPECT_EQ(position->column, 52);
  auto image = locateActionKey(api, {"spec.image"}, config.project.root);
  ASSERT_TRUE(image);
  EXPECT_EQ(image->line, 9);
  EXPECT_FALSE(locateActionKey(api, {"spec.ports[5].hostPort", "spec.nope", "spec.image.x"}, config.project.root));
}

}  // namespace
}  // namespace gardensync::config
