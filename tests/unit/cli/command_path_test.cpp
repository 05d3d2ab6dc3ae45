#include "gardensync/cli/command_path.h"

#include <gtest/gtest.h>

namespace gardensync::cli {
namespace {

struct TestApp {
  CLI::App app{"test", "gardensync"};
  std::string root, output;
  std::vector<std::string> sync;
  TestApp() {
    app.add_option("--root", root);
    app.add_option("--output", output);
    app.add_flag("--yes");
    auto* deploy = app.add_subcommand("deploy");
    deploy->add_option("--sync", sync)->expected(0, 1);
    auto* syncCommand = app.add_subcommand("sync");
    syncCommand->require_subcommand(1);
    for (const char* name : {"status", "stop", "start", "restart"}) syncCommand->add_subcommand(name);
    app.require_subcommand(1);
  }
};

TEST(CommandPath, FollowsCommandsPastOptionsAndTheirValues) {
  TestApp t;
  auto path = findCommand(t.app, {"--root", "sync", "--yes", "sync", "status", "--output", "json"});
  EXPECT_EQ(path.path, "gardensync sync status");
  EXPECT_FALSE(path.unknown);
  EXPECT_EQ(findCommand(t.app, {"--output=json", "deploy", "--sync", "api"}).path, "gardensync deploy");
  EXPECT_EQ(findCommand(t.app, {}).path, "gardensync");
}

TEST(CommandPath, AMistypedCommandGetsTheClosestOrAPrefixMatch) {
  TestApp t;
  auto deplyo = findCommand(t.app, {"deplyo"});
  EXPECT_EQ(deplyo.unknown, "deplyo");
  EXPECT_EQ(deplyo.suggestion, "deploy");
  EXPECT_EQ(deplyo.path, "gardensync");
  // "stat" is one edit from "start", but the start of "status".
  auto stat = findCommand(t.app, {"sync", "stat"});
  EXPECT_EQ(stat.path, "gardensync sync");
  EXPECT_EQ(stat.suggestion, "status");
  auto far = findCommand(t.app, {"frobnicate"});
  EXPECT_EQ(far.unknown, "frobnicate");
  EXPECT_FALSE(far.suggestion);
}

TEST(CommandPath, ArgumentsOfACommandWithoutSubcommandsAreNotCommands) {
  TestApp t;
  auto path = findCommand(t.app, {"deploy", "api", "web"});
  EXPECT_EQ(path.path, "gardensync deploy");
  EXPECT_FALSE(path.unknown);
}

}  // namespace
}  // namespace gardensync::cli
