#include "gardensync/mutagen/mutagen_cli.h"

#include <signal.h>

#include <charconv>
#include <fstream>
#include <map>
#include <thread>

#include <fmt/format.h>

#include "gardensync/mutagen/manifest.h"
#include "gardensync/util/error.h"
#include "gardensync/util/process_info.h"
#include "gardensync/util/text.h"

namespace gardensync::mutagen {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// What gardensync knows about the daemon it started: which binary and version, its pid and
// when that process started (so a reused pid is never mistaken for it).
struct DaemonRecord {
  std::string version;
  std::string binary;
  int pid = 0;
  unsigned long long started = 0;
  std::map<std::string, std::string> transport;  // environment the transports need
};

constexpr std::string_view kTransportPrefix = "env.";

fs::path recordPath(const fs::path& dataDir) { return dataDir / "gardensync-daemon"; }

template <typename Number>
Number parseNumber(const std::string& text) {
  Number value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() ? value : 0;
}

std::optional<DaemonRecord> readRecord(const fs::path& dataDir) {
  std::ifstream in(recordPath(dataDir));
  if (!in) return std::nullopt;
  std::map<std::string, std::string> values;
  std::string line;
  while (std::getline(in, line)) {
    size_t eq = line.find('=');
    if (eq != std::string::npos) values[line.substr(0, eq)] = line.substr(eq + 1);
  }
  std::map<std::string, std::string> transport;
  for (const auto& [key, value] : values)
    if (key.starts_with(kTransportPrefix)) transport[key.substr(kTransportPrefix.size())] = value;
  // A damaged pid or start time reads as 0: "no process known", never a process to signal.
  return DaemonRecord{values["version"], values["binary"], parseNumber<int>(values["pid"]),
                      parseNumber<unsigned long long>(values["started"]), transport};
}

void writeRecord(const fs::path& dataDir, const DaemonRecord& record) {
  const fs::path temp = recordPath(dataDir).string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << "version=" << record.version << "\nbinary=" << record.binary << "\npid=" << record.pid
        << "\nstarted=" << record.started << "\n";
    for (const auto& [key, value] : record.transport) out << kTransportPrefix << key << "=" << value << "\n";
    if (!out) throw Error(fmt::format("cannot write {}", temp.string()), "check that $HOME is writable");
  }
  fs::rename(temp, recordPath(dataDir));
}

// True only while `record.pid` is still the `mutagen daemon run` that gardensync started for
// `dataDir`: same binary, same data directory, same start time.
bool isRecordedDaemon(const DaemonRecord& record, const fs::path& dataDir) {
  auto info = util::readProcessInfo(record.pid);
  if (!info || info->argv.size() < 3) return false;
  if (info->argv[0] != record.binary || info->argv[1] != "daemon" || info->argv[2] != "run") return false;
  if (util::environmentValue(*info, "MUTAGEN_DATA_DIRECTORY") != dataDir.string()) return false;
  return record.started == 0 || info->startTime == record.started;
}

bool processAlive(int pid) { return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM); }

unsigned long long startTimeOf(int pid) {
  auto info = util::readProcessInfo(pid);
  return info ? info->startTime : 0;
}

std::string tail(const fs::path& file, size_t maxBytes) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return "";
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.size() > maxBytes) text = text.substr(text.size() - maxBytes);
  return util::trimEnd(text);
}

}  // namespace

bool isDaemonLoss(const ToolError& error) {
  const std::string& text = error.stderrText();
  return text.find("unable to connect to daemon") != std::string::npos ||
         text.find("error reading from server: EOF") != std::string::npos ||
         text.find("connection reset by peer") != std::string::npos;
}

Error daemonLossError(const std::string& during) {
  return Error(fmt::format("the project's Mutagen daemon stopped while {} (it was killed or stopped from "
                           "elsewhere); the syncs are not running",
                           during),
               "run `gardensync sync start` to start the daemon and the syncs again");
}

MutagenCli::MutagenCli(fs::path binary, fs::path dataDir, const util::CommandRunner& runner)
    : binary_(std::move(binary)), dataDir_(std::move(dataDir)), runner_(runner) {}

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
  return runner_.runChecked(argv, options, what);
}

bool MutagenCli::daemonResponds() const {
  util::ProcessOptions options;
  options.environment = environment();
  options.timeout = 10s;
  return runner_.run({binary_.string(), "sync", "list", "--template", "{{ json . }}"}, options).ok();
}

void MutagenCli::stopDaemon() const {
  auto record = readRecord(dataDir_);
  const fs::path binary = record && fs::exists(record->binary) ? fs::path(record->binary) : binary_;
  util::ProcessOptions options;
  options.environment = environment();
  options.timeout = 15s;
  runner_.run({binary.string(), "daemon", "stop"}, options);
  // `mutagen daemon stop` returns before the daemon has exited: wait for it. The recorded pid is
  // only waited for, and killed as a last resort, while it is still provably that daemon.
  if (record && record->pid > 0) {
    auto ours = [&] { return isRecordedDaemon(*record, dataDir_); };
    for (int i = 0; i < 100 && ours(); ++i) std::this_thread::sleep_for(100ms);
    if (ours()) ::kill(record->pid, SIGKILL);
    // An exited daemon stays a zombie until its parent reaps it; wait for that briefly so that
    // "stopped" means gone. A pid that shows a command line again belongs to a new process.
    auto exiting = [&] {
      auto info = util::readProcessInfo(record->pid);
      return processAlive(record->pid) && (!info || info->argv.empty());
    };
    for (int i = 0; i < 10 && exiting(); ++i) std::this_thread::sleep_for(100ms);
  }
  std::error_code ec;
  fs::remove(recordPath(dataDir_), ec);
}

void MutagenCli::ensureDaemon(const std::optional<std::map<std::string, std::string>>& transport) const {
  auto record = readRecord(dataDir_);
  if (record && (record->version != kMutagenVersion || record->binary != binary_.string())) {
    stopDaemon();  // started by another Mutagen: its clients and ours can't talk
    record.reset();
  }
  const auto environment = transport ? *transport : record ? record->transport : std::map<std::string, std::string>{};
  if (daemonResponds()) {
    if (record && record->transport == environment) return;
    if (!record && environment.empty()) {  // one gardensync did not start: keep using it
      writeRecord(dataDir_, {std::string(kMutagenVersion), binary_.string(), 0, 0, environment});
      return;
    }
    // It inherited its environment when it started: without the transports' it cannot reach the
    // endpoints. Its sessions resume in the new one.
    stopDaemon();
    for (int i = 0; i < 50 && daemonResponds(); ++i) std::this_thread::sleep_for(100ms);  // one not started by us
  }
  util::Environment env;
  env.set = environment;
  env.set["MUTAGEN_DATA_DIRECTORY"] = dataDir_.string();
  env.unset.push_back("MUTAGEN_DISABLE_AUTOSTART");
  const fs::path log = dataDir_ / "daemon.log";
  const int pid = util::spawnDetached({binary_.string(), "daemon", "run"}, env, log);
  writeRecord(dataDir_, {std::string(kMutagenVersion), binary_.string(), pid, startTimeOf(pid), environment});
  for (int i = 0; i < 150; ++i) {
    if (daemonResponds()) return;
    if (!processAlive(pid)) break;
    std::this_thread::sleep_for(100ms);
  }
  throw ToolError("the Mutagen daemon did not start", util::formatCommand({binary_.string(), "daemon", "run"}),
                  tail(log, 2000), fmt::format("its log is {}", log.string()));
}

}  // namespace gardensync::mutagen
