#include "gardensync/providers/local_process.h"

#include <signal.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gardensync/util/error.h"
#include "gardensync/util/process.h"
#include "gardensync/util/process_info.h"

namespace gardensync::providers {

namespace fs = std::filesystem;

namespace {

constexpr const char* kMarker = "GARDENSYNC_EXEC_DEPLOY";

fs::path recordPath(const fs::path& dir, const std::string& deploy) { return dir / (deploy + ".json"); }
fs::path logPath(const fs::path& dir, const std::string& deploy) { return dir / (deploy + ".log"); }

std::optional<LocalProcessRecord> parseRecord(const fs::path& file) {
  std::ifstream in(file);
  if (!in) return std::nullopt;
  const nlohmann::json json = nlohmann::json::parse(in, nullptr, false);
  if (!json.is_object() || !json.contains("pid") || !json["pid"].is_number_integer()) return std::nullopt;
  LocalProcessRecord record;
  record.deploy = json.value("deploy", "");
  record.pid = json["pid"].get<int>();
  record.startTime = json.value("startTime", 0ULL);
  record.specHash = json.value("specHash", "");
  if (json.contains("argv") && json["argv"].is_array())
    for (const auto& item : json["argv"])
      if (item.is_string()) record.argv.push_back(item.get<std::string>());
  if (record.deploy.empty() || record.pid <= 0) return std::nullopt;
  return record;
}

// The recorded process is provably the one gardensync started for this deploy.
bool isOurs(const LocalProcessRecord& record) {
  const auto info = util::readProcessInfo(record.pid);
  if (!info || info->startTime != record.startTime) return false;
  return util::environmentValue(*info, kMarker) == record.deploy;
}

bool alive(int pid) { return ::kill(pid, 0) == 0 || errno == EPERM; }

}  // namespace

fs::path localProcessDir(const fs::path& projectRoot) { return projectRoot / ".garden" / "gardensync" / "exec"; }

std::optional<LocalProcessRecord> readLocalProcess(const fs::path& dir, const std::string& deploy) {
  return parseRecord(recordPath(dir, deploy));
}

std::vector<LocalProcessRecord> readLocalProcesses(const fs::path& dir) {
  std::vector<LocalProcessRecord> records;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".json") continue;
    if (auto record = parseRecord(entry.path())) records.push_back(std::move(*record));
  }
  return records;
}

bool isRunning(const LocalProcessRecord& record) { return isOurs(record); }

LocalProcessRecord startLocalProcess(const fs::path& dir, const std::string& deploy,
                                     const std::vector<std::string>& argv,
                                     const std::map<std::string, std::string>& environment,
                                     const fs::path& workingDirectory, const std::string& specHash) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(fmt::format("cannot create {}: {}", dir.string(), ec.message()));
  util::Environment env;
  env.set = environment;
  env.set[kMarker] = deploy;
  LocalProcessRecord record;
  record.deploy = deploy;
  record.argv = argv;
  record.specHash = specHash;
  record.pid = util::spawnDetached(argv, env, logPath(dir, deploy), workingDirectory);
  if (const auto info = util::readProcessInfo(record.pid)) record.startTime = info->startTime;
  const nlohmann::json json{{"deploy", deploy},
                            {"pid", record.pid},
                            {"startTime", record.startTime},
                            {"specHash", specHash},
                            {"argv", argv}};
  const fs::path file = recordPath(dir, deploy);
  const fs::path temporary = file.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << json.dump(2) << "\n";
    if (!out) throw Error(fmt::format("cannot write {}", temporary.string()));
  }
  fs::rename(temporary, file, ec);
  if (ec) throw Error(fmt::format("cannot write {}: {}", file.string(), ec.message()));
  return record;
}

std::optional<LocalProcessRecord> stopLocalProcess(const fs::path& dir, const std::string& deploy) {
  auto record = readLocalProcess(dir, deploy);
  std::error_code ec;
  if (!record) {
    fs::remove(recordPath(dir, deploy), ec);
    return std::nullopt;
  }
  const bool running = isOurs(*record);
  if (running) {
    // It leads its own session and process group (spawnDetached): the group holds what it started.
    ::kill(-record->pid, SIGTERM);
    ::kill(record->pid, SIGTERM);
    for (int i = 0; i < 100 && alive(record->pid) && isOurs(*record); ++i) {
      ::waitpid(record->pid, nullptr, WNOHANG);  // reaps it when gardensync itself started it
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (alive(record->pid) && isOurs(*record)) {
      ::kill(-record->pid, SIGKILL);
      ::kill(record->pid, SIGKILL);
    }
    ::waitpid(record->pid, nullptr, WNOHANG);
  }
  fs::remove(recordPath(dir, deploy), ec);
  if (!running) return std::nullopt;
  return record;
}

std::string localProcessLog(const fs::path& dir, const std::string& deploy, int lines) {
  std::ifstream in(logPath(dir, deploy));
  if (!in) return {};
  std::vector<std::string> all;
  for (std::string line; std::getline(in, line);) all.push_back(line);
  std::string text;
  const size_t from = lines > 0 && all.size() > static_cast<size_t>(lines) ? all.size() - lines : 0;
  for (size_t i = from; i < all.size(); ++i) text += all[i] + "\n";
  return text;
}

}  // namespace gardensync::providers
