#include "gardensync/ui/session_view.h"

#include <gtest/gtest.h>

#include "gardensync/mutagen/session_status.h"

namespace gardensync::ui {
namespace {

mutagen::SessionStatus session(const std::string& watcherLabel, const std::string& alphaProtocol) {
  mutagen::SessionStatus s;
  s.name = "api-0";
  s.labels = {{"gardensync.io/deploy", "api"}, {"gardensync.io/garden-mode", "one-way-replica"}};
  if (!watcherLabel.empty()) s.labels["gardensync.io/watcher"] = watcherLabel;
  s.alpha.protocol = alphaProtocol;
  s.alpha.path = "/src";
  s.beta.protocol = "docker";
  return s;
}

// `localWatcher` in `sync status --output json` and `deploy --output json`: only sessions labelled
// for the watcher, with the local folder as alpha.
TEST(SessionView, LocalWatcherFollowsTheWatcherLabel) {
  EXPECT_TRUE(toJson(viewOf(session("on", "local")))["localWatcher"]);
  EXPECT_FALSE(toJson(viewOf(session("off", "local")))["localWatcher"]);
  EXPECT_FALSE(toJson(viewOf(session("", "local")))["localWatcher"]);  // made by an older gardensync
  EXPECT_FALSE(toJson(viewOf(session("on", "docker")))["localWatcher"]);
}

}  // namespace
}  // namespace gardensync::ui
