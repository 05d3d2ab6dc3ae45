// The pinned Mutagen release: version, upstream URL and the SHA-256 of each asset gardensync can
// run on (the same pins Garden uses). The one place these values live.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace gardensync::mutagen {

inline constexpr std::string_view kMutagenVersion = "0.18.1";
inline constexpr std::string_view kReleaseBaseUrl =
    "https://github.com/mutagen-io/mutagen/releases/download/v0.18.1";

struct ReleaseAsset {
  std::string_view goos;    // linux, darwin
  std::string_view goarch;  // amd64, arm64
  std::string_view fileName;
  std::string_view sha256;
};

std::span<const ReleaseAsset> releaseAssets();

// The asset for this machine's OS and CPU; throws Error on an unsupported platform.
const ReleaseAsset& hostAsset();

// The asset name for an OS/CPU pair, as upstream names it (`mutagen_linux_amd64_v0.18.1.tar.gz`).
std::string assetFileName(std::string_view goos, std::string_view goarch);

}  // namespace gardensync::mutagen
