#include "gardensync/providers/kube_transport.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "gardensync/util/error.h"

namespace gardensync::providers {
namespace {

using ::testing::ElementsAre;

// What Mutagen v0.18.1 passes (pkg/agent/transport/ssh/transport.go).
TEST(KubeTransport, ReadsMutagensSshCall) {
  auto call = parseSshArgs({"-oConnectTimeout=5", "-oServerAliveInterval=10", "-oServerAliveCountMax=1",
                            "kube_ns_pod_web_-_web-0_abc", ".mutagen/agents/0.18.1/mutagen-agent synchronizer --log-level=info"});
  EXPECT_EQ(call.host, "kube_ns_pod_web_-_web-0_abc");
  EXPECT_EQ(call.command, ".mutagen/agents/0.18.1/mutagen-agent synchronizer --log-level=info");
}

TEST(KubeTransport, SshOptionsWithSeparateValuesAndAUserAreSkipped) {
  auto call = parseSshArgs({"-p", "22", "-o", "BatchMode=yes", "-C", "me@host", "uname", "-s", "-m"});
  EXPECT_EQ(call.host, "host");
  EXPECT_EQ(call.command, "uname -s -m");  // joined as ssh joins them
  EXPECT_THROW(parseSshArgs({"-oConnectTimeout=5", "host"}), UsageError);
}

TEST(KubeTransport, ReadsMutagensScpCall) {
  auto call = parseScpArgs({"-C", "-oConnectTimeout=5", "-oServerAliveInterval=10", "-oServerAliveCountMax=1",
                            "mutagen-agent1234", "kube_ns_pod_web_-_web-0_abc:.mutagen-agent1234-5678"});
  EXPECT_EQ(call.source, "mutagen-agent1234");
  EXPECT_EQ(call.host, "kube_ns_pod_web_-_web-0_abc");
  EXPECT_EQ(call.destination, ".mutagen-agent1234-5678");
  EXPECT_THROW(parseScpArgs({"a", "b"}), UsageError);
  EXPECT_THROW(parseScpArgs({"a", "host:"}), UsageError);
}

TEST(KubeTransport, RemoteCommandsRunInTheHomeFolderWithMutagensLineAsOneArgument) {
  EXPECT_THAT(sshRemoteCommand("uname -s -m"),
              ElementsAre("sh", "-c", "cd \"${HOME:-/}\" || exit 1; exec sh -c \"$1\"", "gardensync-ssh", "uname -s -m"));
  const auto scp = scpRemoteCommand(".mutagen/x; rm -rf /", 1234);
  EXPECT_THAT(scp, ElementsAre("sh", "-c", testing::_, "gardensync-scp", ".mutagen/x; rm -rf /", "1234"));  // data, never script
  EXPECT_NE(scp[2].find("chmod +x \"$1\""), std::string::npos);
  EXPECT_NE(scp[2].find("-ne \"$2\""), std::string::npos);  // a short copy fails
}

}  // namespace
}  // namespace gardensync::providers
