#include "gardensync/providers/docker_cli.h"

#include <gtest/gtest.h>

#include "../fake_runner.h"
#include "gardensync/util/error.h"
#include "gardensync/util/process.h"

namespace gardensync::providers {
namespace {

using testing::answer;
using testing::FakeRunner;

constexpr const char* kOneContainer = R"([{"Id":"abc","Name":"/gs-shop-api","State":{"Running":true,"Status":"running"},
  "Config":{"Labels":{"gardensync.io/project":"shop"}}}])";

// The Engine's API answers whether the Engine runs when it is on a local socket; the docker CLI
// is asked otherwise, and its error reported.
TEST(DockerCli, TheEngineIsPingedOnItsSocketBeforeTheCliIsAsked) {
  if (!util::findOnPath("docker")) GTEST_SKIP() << "checkAvailable wants the docker CLI on PATH";
  FakeRunner api;
  api.onEngine("GET /_ping", {200, "OK"});
  EXPECT_NO_THROW(DockerCli(api).checkAvailable());
  EXPECT_TRUE(api.calls().empty());
  FakeRunner cli;
  cli.on({"docker", "version"}, {answer(1, "", "Cannot connect to the Docker daemon at unix:///var/run/docker.sock")});
  EXPECT_THROW(DockerCli(cli).checkAvailable(), ToolError);
  EXPECT_EQ(cli.countCalls("version"), 1u);
}

TEST(DockerCli, InspectReadsTheContainer) {
  FakeRunner runner;
  runner.on({"inspect", "gs-shop-api"}, {answer(0, kOneContainer)});
  auto info = DockerCli(runner).inspectContainer("gs-shop-api");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->name, "gs-shop-api");
  EXPECT_TRUE(info->running);
  EXPECT_EQ(info->labels.at("gardensync.io/project"), "shop");
}

TEST(DockerCli, NoSuchContainerIsNothing) {
  FakeRunner runner;
  runner.on({"inspect"}, {answer(1, "[]", "Error: No such container: gs-shop-api")});
  EXPECT_FALSE(DockerCli(runner).inspectContainer("gs-shop-api"));
}

// An answer that cannot be read must not pass for "no container": deploy would then create a
// second one, or skip stopping the syncs of the running one.
TEST(DockerCli, UnreadableInspectOutputIsAnError) {
  FakeRunner runner;
  runner.on({"inspect"}, {answer(0, "WARNING: something\n[{"), answer(0, "[]")});
  DockerCli docker(runner);
  try {
    docker.inspectContainer("gs-shop-api");
    FAIL() << "garbage read as no container";
  } catch (const ToolError& e) {
    EXPECT_EQ(e.command(), "docker container inspect gs-shop-api");
    EXPECT_NE(e.stderrText().find("WARNING: something"), std::string::npos);
  }
  EXPECT_THROW(docker.inspectContainer("gs-shop-api"), ToolError);  // an empty list is no answer either
}

TEST(DockerCli, UnreadableListOutputIsAnError) {
  FakeRunner runner;
  runner.on({"ps"}, {answer(0, "abc\n")});
  runner.on({"inspect", "abc"}, {answer(0, "not json")});
  EXPECT_THROW(DockerCli(runner).listContainers({{"gardensync.io/project", "shop"}}), ToolError);
}

TEST(DockerCli, ListReadsEveryContainerInOneInspect) {
  FakeRunner runner;
  runner.on({"ps"}, {answer(0, "abc\ndef\n")});
  runner.on({"inspect", "abc", "def"}, {answer(1, kOneContainer, "Error: No such container: def")});
  auto containers = DockerCli(runner).listContainers({{"gardensync.io/project", "shop"}});
  ASSERT_EQ(containers.size(), 1u);
  EXPECT_EQ(containers[0].id, "abc");
  EXPECT_EQ(runner.countCalls("inspect"), 1u);
}

TEST(DockerCli, FailuresCarryTheCommandAndStderr) {
  FakeRunner runner;
  runner.on({"start"}, {answer(1, "", "Error response from daemon: driver failed")});
  try {
    DockerCli(runner).start("gs-shop-api");
    FAIL();
  } catch (const ToolError& e) {
    EXPECT_EQ(e.command(), "docker start gs-shop-api");
    EXPECT_EQ(e.stderrText(), "Error response from daemon: driver failed");
  }
}

}  // namespace
}  // namespace gardensync::providers
