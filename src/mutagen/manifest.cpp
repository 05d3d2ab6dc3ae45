#include "gardensync/mutagen/manifest.h"

#include <sys/utsname.h>

#include <array>

#include <fmt/format.h>

#include "gardensync/util/error.h"

namespace gardensync::mutagen {

namespace {

// Upstream SHA-256 of the v0.18.1 release assets (mutagen-io/mutagen, as pinned by Garden and by
// Mutagen's Homebrew formula).
constexpr std::array<ReleaseAsset, 4> kAssets{{
    {"linux", "amd64", "mutagen_linux_amd64_v0.18.1.tar.gz",
     "7735286c778cc438418209f24d03a64f3a0151c8065ef0fe079cfaf093af6f8f"},
    {"linux", "arm64", "mutagen_linux_arm64_v0.18.1.tar.gz",
     "bcba735aebf8cbc11da9b3742118a665599ac697fa06bc5751cac8dcd540db8a"},
    {"darwin", "amd64", "mutagen_darwin_amd64_v0.18.1.tar.gz",
     "7d06f7d8fcfe90bc7e55cc834a2f2f20c2e0af9ea9bc35911fc4341ad56a9bbf"},
    {"darwin", "arm64", "mutagen_darwin_arm64_v0.18.1.tar.gz",
     "6f810416d9e5fc4fd5e18431146f8b3c5a2056ba5a24f76c1e66da86eb3257e2"},
}};

}  // namespace

std::span<const ReleaseAsset> releaseAssets() { return kAssets; }

std::string assetFileName(std::string_view goos, std::string_view goarch) {
  return fmt::format("mutagen_{}_{}_v{}.tar.gz", goos, goarch, kMutagenVersion);
}

const ReleaseAsset& hostAsset() {
  utsname info{};
  uname(&info);
  const std::string_view system = info.sysname;
  const std::string_view machine = info.machine;
  const std::string_view goos = system == "Darwin" ? "darwin" : system == "Linux" ? "linux" : "";
  const std::string_view goarch = (machine == "x86_64" || machine == "amd64") ? "amd64"
                                  : (machine == "aarch64" || machine == "arm64") ? "arm64"
                                                                                 : "";
  for (const auto& asset : kAssets)
    if (asset.goos == goos && asset.goarch == goarch) return asset;
  throw Error(fmt::format("Mutagen {} has no release for {} {}", kMutagenVersion, system, machine),
              "set GARDENSYNC_MUTAGEN_PATH to a mutagen binary built for this machine");
}

}  // namespace gardensync::mutagen
