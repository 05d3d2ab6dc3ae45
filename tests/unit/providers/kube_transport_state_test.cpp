#include "gardensync/providers/kube_transport_state.h"

#include <fstream>

#include <gtest/gtest.h>

#include "gardensync/util/error.h"
#include "gardensync/util/temp_dir.h"

namespace gardensync::providers {
namespace {

TEST(KubeTransportState, ConnectionsSelectorsAndPodsReadBackAsWritten) {
  util::TempDir dir;
  KubeTransportState state(dir.path());
  EXPECT_EQ(state.binDir(), dir.path() / "kubernetes" / "bin");
  state.writeConnection("ref1", {"/bin/kubectl", "/k/config", "ctx", ""});
  const auto connection = state.readConnection("ref1");
  EXPECT_EQ(connection.kubectl, "/bin/kubectl");
  EXPECT_EQ(connection.kubeconfig, "/k/config");
  EXPECT_EQ(connection.context, "ctx");
  state.writeSelector("sel", {{"app", "web"}});
  EXPECT_EQ(state.readSelector("sel").at("app"), "web");
  EXPECT_FALSE(state.readPod("host"));
  state.writePod("host", "uid-1", false);
  EXPECT_EQ(state.readPod("host")->uid, "uid-1");
  EXPECT_FALSE(state.readPod("host")->resetPending);
  state.writePod("host", "uid-2", true);
  EXPECT_TRUE(state.readPod("host")->resetPending);
  EXPECT_EQ(state.readPod("host")->uid, "uid-2");
}

TEST(KubeTransportState, AMissingConnectionSaysWhatToDo) {
  util::TempDir dir;
  try {
    KubeTransportState(dir.path()).readConnection("nope");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cluster connection"), std::string::npos);
    EXPECT_NE(e.hint().find("sync restart"), std::string::npos);
  }
}

TEST(KubeTransportState, StandInsExecGardensyncWithQuotedPaths) {
  const std::string script = standInScript("ssh", "/opt/gs bin/gardensync", "/h/.gardensync/m/abc/kubernetes", "/m/mutagen");
  EXPECT_EQ(script.rfind("#!/bin/sh\n", 0), 0u);
  EXPECT_NE(script.find("exec '/opt/gs bin/gardensync' __kube-transport --state '/h/.gardensync/m/abc/kubernetes' "
                        "--mutagen '/m/mutagen' ssh \"$@\"\n"),
            std::string::npos);
  util::TempDir dir;
  KubeTransportState state(dir.path());
  state.writeStandIns("/g", "/m");
  EXPECT_TRUE(std::filesystem::exists(state.binDir() / "ssh"));
  EXPECT_TRUE(std::filesystem::exists(state.binDir() / "scp"));
  EXPECT_NE(std::filesystem::status(state.binDir() / "scp").permissions() & std::filesystem::perms::owner_exec,
            std::filesystem::perms::none);
}

}  // namespace
}  // namespace gardensync::providers
