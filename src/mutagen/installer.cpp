#include "gardensync/mutagen/installer.h"

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "gardensync/mutagen/archive.h"
#include "gardensync/mutagen/manifest.h"
#include "gardensync/mutagen/sha256sums.h"
#include "gardensync/util/error.h"
#include "gardensync/util/home_dir.h"
#include "gardensync/util/temp_dir.h"
#include "gardensync/util/file_lock.h"
#include "gardensync/util/process.h"
#include "gardensync/util/text.h"

namespace gardensync::mutagen {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kBinaryName = "mutagen";
constexpr std::string_view kAgentsName = "mutagen-agents.tar.gz";
constexpr std::string_view kTempPrefix = "tmp-";
constexpr uint64_t kMaxSumsBytes = 1024 * 1024;

constexpr std::string_view kOverrideHint =
    "point GARDENSYNC_MUTAGEN_PATH at a Mutagen 0.18.1 binary, or unset it to let gardensync download Mutagen";
constexpr std::string_view kMirrorHint =
    "the mirror must serve the v0.18.1 release assets and a SHA256SUMS listing them; or unset "
    "GARDENSYNC_MUTAGEN_MIRROR to download from GitHub";
constexpr std::string_view kUpstreamChecksumHint =
    "the download was corrupted or altered on the way (a proxy rewriting it?); try again, or set "
    "GARDENSYNC_MUTAGEN_MIRROR to a mirror you trust";

// A folder that is removed, with everything in it, when this goes out of scope.

void report(const InstallOptions& options, const std::string& text) {
  if (options.onStatus) options.onStatus(text);
}

bool isRegularFile(const fs::path& path) {
  std::error_code error;
  return fs::symlink_status(path, error).type() == fs::file_type::regular;
}

bool isInstalled(const fs::path& directory) {
  return isRegularFile(directory / kBinaryName) && isRegularFile(directory / kAgentsName);
}

MutagenTool toolIn(const fs::path& directory) { return {directory / kBinaryName, directory}; }

void requireVersion(const fs::path& binary, std::string_view hint) {
  const std::string version = probeMutagenVersion(binary);
  if (version != kMutagenVersion)
    throw Error(fmt::format("{} is Mutagen {}, gardensync needs {}", binary.string(), version, kMutagenVersion),
                std::string(hint));
}

MutagenTool useOverride(const fs::path& path) {
  std::error_code error;
  if (!fs::is_regular_file(path, error))
    throw Error(fmt::format("GARDENSYNC_MUTAGEN_PATH is {}, which is not a file", path.string()),
                std::string(kOverrideHint));
  // Mutagen finds its agents beside its resolved executable (/proc/self/exe), so a symlinked
  // binary needs them next to the file the link points to.
  const fs::path binary = fs::canonical(path);
  const fs::path directory = binary.parent_path();
  if (!fs::is_regular_file(directory / kAgentsName, error))
    throw Error(fmt::format("there is no {} next to {} (GARDENSYNC_MUTAGEN_PATH)", kAgentsName, binary.string()),
                fmt::format("Mutagen looks for its agents beside its executable: copy {} from the same release "
                            "into {}",
                            kAgentsName, directory.string()));
  requireVersion(binary, kOverrideHint);
  return {binary, directory};
}

// Where the asset comes from and the digest it must have.
struct AssetSource {
  std::string fileName;
  std::string url;
  std::string sha256;
  bool fromMirror = false;
};

std::string mirrorBase(std::string mirror) {
  if (mirror.find("://") == std::string::npos)
    throw Error(fmt::format("GARDENSYNC_MUTAGEN_MIRROR is not a URL: {}", mirror),
                "use https://host/path or, for a local folder, file:///path/to/folder");
  while (mirror.ends_with('/')) mirror.pop_back();
  return mirror;
}

// A mirror carries its own SHA256SUMS: its archives may be local builds, whose digests differ
// from the upstream pins.
AssetSource mirrorSource(const InstallOptions& options, const std::string& fileName) {
  const std::string base = mirrorBase(*options.mirror);
  const std::string sumsUrl = base + "/SHA256SUMS";
  DownloadOptions download = options.download;
  download.maxBytes = std::min(download.maxBytes, kMaxSumsBytes);
  download.onProgress = {};
  report(options, "downloading " + sumsUrl);
  std::map<std::string, std::string> sums;
  try {
    sums = parseSha256Sums(downloadText(sumsUrl, download));
  } catch (const Error& error) {
    throw Error(fmt::format("{} (from GARDENSYNC_MUTAGEN_MIRROR={})", error.what(), *options.mirror), error.hint());
  }
  const auto entry = sums.find(fileName);
  if (entry == sums.end())
    throw Error(fmt::format("{} has no entry for {}", sumsUrl, fileName), std::string(kMirrorHint));
  return {fileName, base + "/" + fileName, entry->second, true};
}

AssetSource assetSource(const InstallOptions& options) {
  const ReleaseAsset& asset = hostAsset();
  const std::string fileName(asset.fileName);
  if (options.mirror) return mirrorSource(options, fileName);
  return {fileName, fmt::format("{}/{}", kReleaseBaseUrl, fileName), std::string(asset.sha256), false};
}

// The digest is checked before the archive is opened: libarchive never sees unverified bytes.
void downloadVerified(const InstallOptions& options, const AssetSource& source, const fs::path& file) {
  report(options, "downloading " + source.url);
  const DownloadResult result = downloadFile(source.url, file, options.download);
  report(options, fmt::format("verifying {}", source.fileName));
  if (result.sha256 != source.sha256)
    throw Error(fmt::format("checksum mismatch for {}: expected {}, got {}", source.fileName, source.sha256,
                            result.sha256),
                std::string(source.fromMirror ? kMirrorHint : kUpstreamChecksumHint));
}

// Private whatever the umask: the cache holds a binary gardensync runs, so nobody else may write
// (or swap) anything in it.
void makePrivate(const fs::path& dir) {
  std::error_code error;
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, error);
  if (error)
    throw Error(fmt::format("cannot make {} private (mode 0700): {}", dir.string(), error.message()),
                "check that you own that folder");
}

void unpack(const fs::path& archive, const fs::path& directory, const AssetSource& source) {
  std::error_code error;
  if (!fs::create_directory(directory, error))
    throw Error(fmt::format("cannot create {}: {}", directory.string(), error.message()));
  makePrivate(directory);
  extractArchive(archive, directory);
  for (const std::string_view name : {kBinaryName, kAgentsName})
    if (!isRegularFile(directory / name))
      throw Error(fmt::format("{} has no file {} at its top level", source.fileName, name),
                  std::string(source.fromMirror ? kMirrorHint : kUpstreamChecksumHint));
  fs::permissions(directory / kBinaryName, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                  fs::perm_options::add, error);
  if (error)
    throw Error(fmt::format("cannot make {} executable: {}", (directory / kBinaryName).string(), error.message()));
}

// Installs appear in one rename, so only outside tampering leaves a partial one; it is replaced.
void removeDamagedInstall(const fs::path& installDir) {
  std::error_code error;
  if (!fs::exists(fs::symlink_status(installDir, error))) return;
  fs::remove_all(installDir, error);
  if (error)
    throw Error(fmt::format("cannot remove the incomplete Mutagen install in {}: {}", installDir.string(),
                            error.message()),
                "remove that folder by hand and try again");
}

void publish(const fs::path& staged, const fs::path& installDir) {
  if (::rename(staged.c_str(), installDir.c_str()) == 0) return;
  // Only a process ignoring the lock could get here first; its complete install is as good.
  if ((errno == EEXIST || errno == ENOTEMPTY) && isInstalled(installDir)) return;
  throw Error(fmt::format("cannot move Mutagen into {}: {}", installDir.string(), std::strerror(errno)));
}

// Everything under the lock: a tmp-* folder seen here belongs to an install that crashed.
void removeStaleTempDirs(const fs::path& root) {
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(root, error)) {
    if (!entry.path().filename().string().starts_with(kTempPrefix)) continue;
    std::error_code ignored;  // best effort, like TempDir: a leftover only costs disk space
    fs::remove_all(entry.path(), ignored);
  }
}

void install(const InstallOptions& options, const fs::path& root, const fs::path& installDir) {
  const AssetSource source = assetSource(options);
  const util::TempDir work(root, kTempPrefix);
  const fs::path archive = work.path() / source.fileName;
  downloadVerified(options, source, archive);
  const fs::path staged = work.path() / "extract";
  unpack(archive, staged, source);
  requireVersion(staged / kBinaryName, source.fromMirror ? kMirrorHint : kUpstreamChecksumHint);
  removeDamagedInstall(installDir);
  publish(staged, installDir);
}

fs::path createCacheFolder(const fs::path& cacheRoot) {
  const fs::path root = cacheRoot / "mutagen";
  std::error_code error;
  fs::create_directories(root, error);
  if (error)
    throw Error(fmt::format("cannot create the Mutagen cache {}: {}", root.string(), error.message()),
                "set XDG_CACHE_HOME to a writable folder");
  makePrivate(cacheRoot);  // gardensync's own folder ($XDG_CACHE_HOME/gardensync)
  makePrivate(root);
  return root;
}

}  // namespace

InstallOptions installOptionsFromEnvironment() {
  InstallOptions options;
  // The XDG spec says relative values are invalid and must be ignored.
  const char* cacheHome = util::environmentValue("XDG_CACHE_HOME");
  if (cacheHome && fs::path(cacheHome).is_absolute()) {
    options.cacheRoot = fs::path(cacheHome) / "gardensync";
  } else if (const std::optional<fs::path> home = util::homeDirectory()) {
    options.cacheRoot = *home / ".cache" / "gardensync";
  } else {
    throw Error("cannot find a cache folder for Mutagen: neither XDG_CACHE_HOME nor HOME is set",
                "set XDG_CACHE_HOME, or GARDENSYNC_MUTAGEN_PATH to a Mutagen 0.18.1 binary");
  }
  if (const char* mirror = util::environmentValue("GARDENSYNC_MUTAGEN_MIRROR")) options.mirror = mirror;
  if (const char* path = util::environmentValue("GARDENSYNC_MUTAGEN_PATH")) options.overridePath = path;
  return options;
}

MutagenTool ensureMutagen(const InstallOptions& options) {
  if (options.overridePath) return useOverride(*options.overridePath);
  if (options.cacheRoot.empty()) throw Error("no cache folder given for Mutagen");
  const fs::path installDir = options.cacheRoot / "mutagen" / std::string(kMutagenVersion);
  if (isInstalled(installDir)) return toolIn(installDir);

  const fs::path root = createCacheFolder(options.cacheRoot);
  const util::FileLock lock(root / ".install.lock", [&] {
    report(options, "waiting for another gardensync to finish installing Mutagen");
  });
  if (isInstalled(installDir)) return toolIn(installDir);  // installed while we waited
  removeStaleTempDirs(root);
  install(options, root, installDir);
  report(options, "installed in " + installDir.string());
  return toolIn(installDir);
}

std::string probeMutagenVersion(const fs::path& binary) {
  // A fresh data directory: `version` must never reach (or start) a daemon of the user's.
  const util::TempDir dataDirectory(fs::temp_directory_path(), "gardensync-probe-");
  util::ProcessOptions process;
  process.environment.set["MUTAGEN_DATA_DIRECTORY"] = dataDirectory.path().string();
  process.environment.set["MUTAGEN_DISABLE_AUTOSTART"] = "1";
  process.timeout = std::chrono::seconds(30);
  const std::vector<std::string> argv{binary.string(), "version"};
  constexpr std::string_view hint = "make sure it is a Mutagen binary built for this machine";
  try {
    return util::trim(util::runChecked(argv, process, fmt::format("{} version", binary.string())).stdoutText);
  } catch (const ToolError& error) {
    throw ToolError(error.what(), error.command(), error.stderrText(), std::string(hint));
  } catch (const Error& error) {  // could not start it at all (not executable, wrong format)
    throw Error(error.what(), std::string(hint));
  }
}

}  // namespace gardensync::mutagen
