// The whole config loader on one project file: any bytes load, or fail with the errors shown to
// users (ConfigError with positions, UsageError). The file lives in a fixed folder that is
// rewritten for each input, so the loader runs exactly as it does for `gardensync validate`.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_target.h"
#include "gardensync/config/loader.h"
#include "gardensync/providers/provider.h"
#include "gardensync/sync/plan.h"
#include "gardensync/util/error.h"

namespace {

const std::filesystem::path& projectDir() {
  static const std::filesystem::path dir = [] {
    const auto base = std::filesystem::exists("/dev/shm") ? std::filesystem::path("/dev/shm")
                                                           : std::filesystem::temp_directory_path();
    auto path = base / ("gardensync-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path / "src");
    return path;
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gardensync;
  const auto& dir = projectDir();
  {
    std::ofstream out(dir / "project.garden.yml", std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  config::LoadOptions options;
  options.root = dir;
  options.cwd = dir;
  options.localEnv = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  try {
    const config::ProjectConfig project = config::loadProject(options);
    // What a dry run does next: select every Deploy with syncs and plan its sessions, with the
    // provider's endpoints.
    const auto provider = providers::makeProvider(project);
    const auto sessions = sync::planSessions(project, sync::selectSyncDeploys(project, {"*"}),
                                             [&](const auto& deploy, const auto& path, const auto& name) {
                                               return provider->syncEndpoint(deploy, path, name);
                                             });
    for (const auto& session : sessions) (void)sync::toJson(session).dump();
  } catch (const Error&) {
  }
  return 0;
}
