#include "gardensync/mutagen/installer.h"

#include <stdlib.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "gardensync/mutagen/manifest.h"
#include "gardensync/util/error.h"
#include "test_support.h"

namespace gardensync::mutagen {
namespace {

namespace fs = std::filesystem;
using gardensync::test_support::LocalServer;
using gardensync::test_support::readFile;
using gardensync::test_support::sumsLine;
using gardensync::test_support::TempDir;
using gardensync::test_support::writeFakeRelease;
using gardensync::test_support::writeFile;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const std::string kAssetName(hostAsset().fileName);

// Sets (or unsets) an environment variable for one test.
class ScopedEnv {
public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    value ? ::setenv(name, value, 1) : ::unsetenv(name);
  }
  ~ScopedEnv() { old_ ? ::setenv(name_, old_->c_str(), 1) : ::unsetenv(name_); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
  const char* name_;
  std::optional<std::string> old_;
};

std::vector<std::string> tempFoldersIn(const fs::path& folder) {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder, error))
    if (entry.path().filename().string().starts_with("tmp-")) names.push_back(entry.path().filename().string());
  return names;
}

void writeScript(const fs::path& path, std::string_view text) {
  writeFile(path, text);
  fs::permissions(path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
}

// A mirror folder served over HTTP at /mirror, counting requests for the release asset.
class Installer : public ::testing::Test {
protected:
  void SetUp() override {
    fs::create_directory(mirrorDir);
    server.http.Get("/mirror/(.+)", [this](const httplib::Request& request, httplib::Response& response) {
      const std::string name = request.matches[1];
      if (name == kAssetName) {
        ++assetRequests;
        if (beforeAsset) beforeAsset();
      }
      if (!fs::is_regular_file(mirrorDir / name)) {
        response.status = 404;
        return;
      }
      response.set_content(readFile(mirrorDir / name), "application/octet-stream");
    });
    server.start();
  }

  InstallOptions options() {
    InstallOptions result;
    result.cacheRoot = cacheRoot;
    result.mirror = server.url("/mirror/");
    result.download.attempts = 2;
    result.download.firstBackoff = std::chrono::milliseconds(1);
    result.onStatus = [this](const std::string& status) { statuses.push_back(status); };
    return result;
  }

  void publishRelease(std::string_view version, bool withAgents = true) {
    const fs::path archive = writeFakeRelease(mirrorDir, version, withAgents);
    writeFile(mirrorDir / "SHA256SUMS", sumsLine(archive));
  }

  Error installError(const InstallOptions& installOptions) {
    try {
      ensureMutagen(installOptions);
    } catch (const Error& error) {
      return error;
    }
    ADD_FAILURE() << "ensureMutagen did not fail";
    return Error("");
  }

  // Nothing of a failed install may remain: no version folder, no temp folder.
  void expectNothingInstalled() {
    EXPECT_FALSE(fs::exists(installDir));
    EXPECT_THAT(tempFoldersIn(cacheRoot / "mutagen"), IsEmpty());
  }

  TempDir temp;
  fs::path cacheRoot = temp / "cache";
  fs::path mirrorDir = temp / "mirror";
  fs::path installDir = cacheRoot / "mutagen" / "0.18.1";
  std::atomic<int> assetRequests = 0;
  std::function<void()> beforeAsset;
  std::vector<std::string> statuses;
  LocalServer server;  // declared last: stops before the folders it serves go away
};

TEST_F(Installer, InstallsFromAMirrorThenUsesTheCache) {
  publishRelease("0.18.1");

  const MutagenTool tool = ensureMutagen(options());

  EXPECT_EQ(tool.directory, installDir);
  EXPECT_EQ(tool.binary, installDir / "mutagen");
  EXPECT_NE(fs::status(tool.binary).permissions() & fs::perms::owner_exec, fs::perms::none);
  EXPECT_EQ(readFile(installDir / "mutagen-agents.tar.gz"), "agents for linux_amd64");
  EXPECT_EQ(probeMutagenVersion(tool.binary), "0.18.1");
  EXPECT_THAT(statuses, Contains("downloading " + server.url("/mirror/") + kAssetName));
  EXPECT_THAT(statuses, Contains("verifying " + kAssetName));
  EXPECT_THAT(statuses, Contains("installed in " + installDir.string()));
  EXPECT_THAT(tempFoldersIn(cacheRoot / "mutagen"), IsEmpty());
  EXPECT_EQ(assetRequests, 1);

  // The fast path needs neither the network nor the mirror.
  statuses.clear();
  fs::remove_all(mirrorDir);
  const MutagenTool again = ensureMutagen(options());
  EXPECT_EQ(again.binary, tool.binary);
  EXPECT_THAT(statuses, IsEmpty());
  EXPECT_EQ(assetRequests, 1);
}

// Under `umask 000` a plain create_directories makes 0777 folders anyone could swap the binary in.
TEST_F(Installer, CacheFoldersArePrivateWhateverTheUmask) {
  publishRelease("0.18.1");
  const mode_t old = ::umask(0);
  const MutagenTool tool = ensureMutagen(options());
  ::umask(old);
  auto mode = [](const fs::path& p) { return fs::status(p).permissions() & fs::perms::all; };
  EXPECT_EQ(mode(cacheRoot), fs::perms::owner_all);
  EXPECT_EQ(mode(cacheRoot / "mutagen"), fs::perms::owner_all);
  EXPECT_EQ(mode(tool.directory), fs::perms::owner_all);
}

TEST_F(Installer, InstallsFromAFileUrlMirror) {
  publishRelease("0.18.1");
  InstallOptions installOptions = options();
  installOptions.mirror = "file://" + mirrorDir.string();

  EXPECT_EQ(ensureMutagen(installOptions).directory, installDir);
  EXPECT_EQ(assetRequests, 0);
}

TEST_F(Installer, ChecksumMismatchLeavesTheCacheUntouched) {
  publishRelease("0.18.1");
  const std::string actual = util::sha256File(mirrorDir / kAssetName);
  const std::string wrong(64, '0');
  writeFile(mirrorDir / "SHA256SUMS", wrong + "  " + kAssetName + "\n");

  const Error error = installError(options());

  EXPECT_EQ(std::string(error.what()),
            "checksum mismatch for " + kAssetName + ": expected " + wrong + ", got " + actual);
  EXPECT_THAT(error.hint(), HasSubstr("SHA256SUMS"));
  expectNothingInstalled();
  EXPECT_THAT(statuses, ::testing::Not(Contains(HasSubstr("installed"))));
}

TEST_F(Installer, WrongVersionIsRefusedAndNotCached) {
  publishRelease("0.17.0");

  const Error error = installError(options());

  EXPECT_THAT(error.what(), HasSubstr("is Mutagen 0.17.0, gardensync needs 0.18.1"));
  expectNothingInstalled();
}

TEST_F(Installer, ArchiveWithoutAgentsIsRefused) {
  publishRelease("0.18.1", /*withAgents=*/false);

  const Error error = installError(options());

  EXPECT_THAT(error.what(), HasSubstr(kAssetName + " has no file mutagen-agents.tar.gz at its top level"));
  expectNothingInstalled();
}

TEST_F(Installer, MirrorMustListTheAsset) {
  publishRelease("0.18.1");
  writeFile(mirrorDir / "SHA256SUMS", std::string(64, 'a') + "  something_else.tar.gz\n");

  const Error error = installError(options());

  EXPECT_THAT(error.what(), HasSubstr(server.url("/mirror/SHA256SUMS has no entry for ") + kAssetName));
  EXPECT_EQ(assetRequests, 0);
  expectNothingInstalled();
}

TEST_F(Installer, MirrorDownNamesTheUrlAndTheVariable) {
  InstallOptions installOptions = options();
  installOptions.mirror = "http://127.0.0.1:" + std::to_string(test_support::closedPort()) + "/mirror";

  const Error error = installError(installOptions);

  EXPECT_THAT(error.what(), HasSubstr(*installOptions.mirror + "/SHA256SUMS"));
  EXPECT_THAT(error.what(), HasSubstr("GARDENSYNC_MUTAGEN_MIRROR"));
  EXPECT_THAT(error.hint(), HasSubstr("GARDENSYNC_MUTAGEN_MIRROR"));
  expectNothingInstalled();
}

TEST_F(Installer, MirrorMustBeAUrl) {
  InstallOptions installOptions = options();
  installOptions.mirror = mirrorDir.string();

  const Error error = installError(installOptions);

  EXPECT_THAT(error.what(), HasSubstr("GARDENSYNC_MUTAGEN_MIRROR is not a URL"));
  EXPECT_THAT(error.hint(), HasSubstr("file:///"));
}

TEST_F(Installer, RemovesTempFoldersOfACrashedInstall) {
  fs::create_directories(cacheRoot / "mutagen/tmp-crashed/extract");
  writeFile(cacheRoot / "mutagen/tmp-crashed/extract/mutagen", "half written");
  publishRelease("0.18.1");

  ensureMutagen(options());

  EXPECT_THAT(tempFoldersIn(cacheRoot / "mutagen"), IsEmpty());
}

TEST_F(Installer, ReplacesAnIncompleteInstall) {
  fs::create_directories(installDir);
  writeFile(installDir / "mutagen", "left without its agents");
  publishRelease("0.18.1");

  const MutagenTool tool = ensureMutagen(options());

  EXPECT_EQ(probeMutagenVersion(tool.binary), "0.18.1");
  EXPECT_TRUE(fs::exists(installDir / "mutagen-agents.tar.gz"));
}

// Whichever thread takes the lock first downloads; the asset is served only once the other one
// is waiting for the lock, so both really run at the same time.
TEST_F(Installer, ConcurrentInstallsEndWithOneInstall) {
  publishRelease("0.18.1");
  std::mutex mutex;
  std::condition_variable changed;
  int waiting = 0;
  beforeAsset = [&] {
    std::unique_lock lock(mutex);
    changed.wait_for(lock, std::chrono::seconds(20), [&] { return waiting > 0; });
  };
  auto install = [&](std::vector<std::string>& seen) {
    InstallOptions installOptions = options();
    installOptions.onStatus = [&](const std::string& status) {
      seen.push_back(status);
      if (!status.starts_with("waiting")) return;
      std::lock_guard lock(mutex);
      ++waiting;
      changed.notify_all();
    };
    return ensureMutagen(installOptions);
  };
  std::vector<std::string> seenA, seenB;
  MutagenTool toolA, toolB;

  std::thread a([&] { toolA = install(seenA); });
  std::thread b([&] { toolB = install(seenB); });
  a.join();
  b.join();

  EXPECT_EQ(toolA.directory, installDir);
  EXPECT_EQ(toolB.directory, installDir);
  EXPECT_EQ(assetRequests, 1);
  EXPECT_EQ(waiting, 1);
  const bool aInstalled = std::ranges::count(seenA, "installed in " + installDir.string()) == 1;
  const bool bInstalled = std::ranges::count(seenB, "installed in " + installDir.string()) == 1;
  EXPECT_NE(aInstalled, bInstalled);
  EXPECT_THAT(tempFoldersIn(cacheRoot / "mutagen"), IsEmpty());
}

TEST_F(Installer, UsesTheOverrideBinaryWithoutTouchingTheCache) {
  const fs::path custom = temp / "custom";
  fs::create_directories(custom);
  writeScript(custom / "mutagen", test_support::fakeMutagenScript("0.18.1"));
  writeFile(custom / "mutagen-agents.tar.gz", "agents");
  fs::create_directories(temp / "bin");
  fs::create_symlink(custom / "mutagen", temp / "bin/mutagen");
  InstallOptions installOptions = options();
  installOptions.overridePath = temp / "bin/mutagen";

  const MutagenTool tool = ensureMutagen(installOptions);

  // Mutagen looks for its agents beside the resolved executable, so the link is followed.
  EXPECT_EQ(tool.binary, fs::canonical(custom / "mutagen"));
  EXPECT_EQ(tool.directory, fs::canonical(custom));
  EXPECT_FALSE(fs::exists(cacheRoot));
}

TEST_F(Installer, OverrideMustExistHaveAgentsAndTheRightVersion) {
  const fs::path custom = temp / "custom";
  fs::create_directories(custom);
  InstallOptions installOptions = options();
  installOptions.overridePath = custom / "mutagen";

  Error error = installError(installOptions);
  EXPECT_THAT(error.what(),
              HasSubstr("GARDENSYNC_MUTAGEN_PATH is " + (custom / "mutagen").string() + ", which is not a file"));
  EXPECT_THAT(error.hint(), HasSubstr("unset it"));

  writeScript(custom / "mutagen", test_support::fakeMutagenScript("0.17.0"));
  error = installError(installOptions);
  EXPECT_THAT(error.what(), HasSubstr("there is no mutagen-agents.tar.gz next to"));

  writeFile(custom / "mutagen-agents.tar.gz", "agents");
  error = installError(installOptions);
  EXPECT_THAT(error.what(), HasSubstr("is Mutagen 0.17.0, gardensync needs 0.18.1"));
  EXPECT_THAT(error.hint(), HasSubstr("GARDENSYNC_MUTAGEN_PATH"));
  EXPECT_FALSE(fs::exists(cacheRoot));
}

TEST_F(Installer, ProbeReportsAFailingBinary) {
  writeScript(temp / "broken", "#!/bin/sh\necho boom >&2\nexit 2\n");
  try {
    probeMutagenVersion(temp / "broken");
    FAIL() << "no error";
  } catch (const ToolError& error) {
    EXPECT_THAT(error.what(), HasSubstr("exit code 2"));
    EXPECT_THAT(error.stderrText(), HasSubstr("boom"));
    EXPECT_THAT(error.hint(), HasSubstr("Mutagen binary"));
  }
}

TEST_F(Installer, ProbeReportsABinaryThatCannotRun) {
  writeScript(temp / "foreign", "\x7f" "ELF but not really");
  try {
    probeMutagenVersion(temp / "foreign");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr("cannot run " + (temp / "foreign").string() + " version"));
    EXPECT_THAT(error.hint(), HasSubstr("built for this machine"));
  }
}

TEST(InstallerOptions, ComeFromTheEnvironment) {
  ScopedEnv cache("XDG_CACHE_HOME", "/somewhere/cache");
  ScopedEnv mirror("GARDENSYNC_MUTAGEN_MIRROR", "https://mirror.example/mutagen");
  ScopedEnv path("GARDENSYNC_MUTAGEN_PATH", "/opt/mutagen/mutagen");

  const InstallOptions options = installOptionsFromEnvironment();

  EXPECT_EQ(options.cacheRoot, "/somewhere/cache/gardensync");
  EXPECT_EQ(options.mirror, "https://mirror.example/mutagen");
  EXPECT_EQ(options.overridePath, "/opt/mutagen/mutagen");
}

TEST(InstallerOptions, FallBackToHomeAndIgnoreEmptyValues) {
  ScopedEnv cache("XDG_CACHE_HOME", "relative/is/invalid");
  ScopedEnv home("HOME", "/home/someone");
  ScopedEnv mirror("GARDENSYNC_MUTAGEN_MIRROR", "");
  ScopedEnv path("GARDENSYNC_MUTAGEN_PATH", nullptr);

  const InstallOptions options = installOptionsFromEnvironment();

  EXPECT_EQ(options.cacheRoot, "/home/someone/.cache/gardensync");
  EXPECT_EQ(options.mirror, std::nullopt);
  EXPECT_EQ(options.overridePath, std::nullopt);
}

}  // namespace
}  // namespace gardensync::mutagen
