#include "gardensync/mutagen/mutagen_cli.h"

#include <signal.h>

#include <fstream>
#include <map>
#include <thread>

#include <fmt/format.h>

#include "gardensync/mutagen/manifest.h"
#include "gardensync/util/error.h"
#include "gardensync/util/text.h"

namespace gardensync::mutagen {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// What gardensync knows about the daemon it started: which binary and version, and its pid.
struct DaemonRecord {
  std::string version;
  std::string binary;
  int pid = 0;
};

fs::path recordPath(const fs::path& dataDir) { return dataDir / "gardensync-daemon"; }

std::optional<DaemonRecord> readRecord(const fs::path& dataDir) {
  std::ifstream in(recordPath(dataDir));
  if (!in) return std::nullopt;
  std::map<std::string, std::string> values;
  std::string line;
  while (std::getline(in, line)) {
    size_t eq = line.find('=');
    if (eq != std::string::npos) values[line.substr(0, eq)] = line.substr(eq + 1);
  }
  DaemonRecord record{values["version"], values["binary"], 0};
  try {
    record.pid = std::stoi(values["pid"]);
  } catch (...) {
    record.pid = 0;
  }
  return record;
}

void writeRecord(const fs::path& dataDir, const DaemonRecord& record) {
  const fs::path temp = recordPath(dataDir).string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << "version=" << record.version << "\nbinary=" << record.binary << "\npid=" << record.pid << "\n";
  }
  fs::rename(temp, recordPath(dataDir));
}

bool processAlive(int pid) { return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM); }

std::string tail(const fs::path& file, size_t maxBytes) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return "";
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.size() > maxBytes) text = text.substr(text.size() - maxBytes);
  return util::trimEnd(text);
}

}  // namespace

MutagenCli::MutagenCli(fs::path binary, fs::path dataDir) : binary_(std::move(binary)), dataDir_(std::move(dataDir)) {}

util::Environment MutagenCli::environment() const {
  util::Environment env;
  env.set["MUTAGEN_DATA_DIRECTORY"] = dataDir_.string();
  env.set["MUTAGEN_DISABLE_AUTOSTART"] = "1";
  return env;
}

util::ProcessResult MutagenCli::run(const std::vector<std::string>& args, std::chrono::milliseconds timeout,
                                    const std::string& what) const {
  std::vector<std::string> argv{binary_.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  util::ProcessOptions options;
  options.environment = environment();
  options.timeout = timeout;
  return util::runChecked(argv, options, what);
}

bool MutagenCli::daemonResponds() const {
  util::ProcessOptions options;
  options.environment = environment();
  options.timeout = 10s;
  return util::runProcess({binary_.string(), "sync", "list", "--template", "{{ json . }}"}, options).ok();
}

void MutagenCli::stopDaemon() const {
  auto record = readRecord(dataDir_);
  const fs::path binary = record && fs::exists(record->binary) ? fs::path(record->binary) : binary_;
  util::ProcessOptions options;
  options.environment = environment();
  options.timeout = 15s;
  util::runProcess({binary.string(), "daemon", "stop"}, options);
  // `mutagen daemon stop` returns before the daemon has exited: wait for it.
  const int pid = record ? record->pid : 0;
  for (int i = 0; i < 100 && processAlive(pid); ++i) std::this_thread::sleep_for(100ms);
  if (processAlive(pid)) ::kill(pid, SIGKILL);
  std::error_code ec;
  fs::remove(recordPath(dataDir_), ec);
}

void MutagenCli::ensureDaemon() const {
  auto record = readRecord(dataDir_);
  const bool ours = record && record->version == kMutagenVersion && record->binary == binary_.string();
  if (record && !ours) stopDaemon();  // started by another Mutagen: its clients and ours can't talk
  if (daemonResponds()) {
    if (!ours) writeRecord(dataDir_, {std::string(kMutagenVersion), binary_.string(), 0});
    return;
  }
  util::Environment env;
  env.set["MUTAGEN_DATA_DIRECTORY"] = dataDir_.string();
  env.unset.push_back("MUTAGEN_DISABLE_AUTOSTART");
  const fs::path log = dataDir_ / "daemon.log";
  const int pid = util::spawnDetached({binary_.string(), "daemon", "run"}, env, log);
  writeRecord(dataDir_, {std::string(kMutagenVersion), binary_.string(), pid});
  for (int i = 0; i < 150; ++i) {
    if (daemonResponds()) return;
    if (!processAlive(pid)) break;
    std::this_thread::sleep_for(100ms);
  }
  throw ToolError("the Mutagen daemon did not start", util::formatCommand({binary_.string(), "daemon", "run"}),
                  tail(log, 2000), fmt::format("its log is {}", log.string()));
}

}  // namespace gardensync::mutagen
