#include "gardensync/mutagen/manifest.h"

#include <set>

#include <gtest/gtest.h>

namespace gardensync::mutagen {
namespace {

TEST(Manifest, PinsEveryUpstreamUnixAsset) {
  std::set<std::string> names;
  for (const auto& asset : releaseAssets()) {
    names.insert(std::string(asset.fileName));
    EXPECT_EQ(asset.fileName, assetFileName(asset.goos, asset.goarch));
    EXPECT_EQ(asset.sha256.size(), 64u) << asset.fileName;
    EXPECT_EQ(asset.sha256.find_first_not_of("0123456789abcdef"), std::string_view::npos) << asset.fileName;
  }
  EXPECT_EQ(names, (std::set<std::string>{"mutagen_linux_amd64_v0.18.1.tar.gz", "mutagen_linux_arm64_v0.18.1.tar.gz",
                                          "mutagen_darwin_amd64_v0.18.1.tar.gz",
                                          "mutagen_darwin_arm64_v0.18.1.tar.gz"}));
  EXPECT_EQ(kReleaseBaseUrl, "https://github.com/mutagen-io/mutagen/releases/download/v0.18.1");
}

TEST(Manifest, HostAssetIsKnown) { EXPECT_EQ(hostAsset().goos, "linux"); }

}  // namespace
}  // namespace gardensync::mutagen
