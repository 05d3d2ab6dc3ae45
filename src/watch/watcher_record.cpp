#include "gardensync/watch/watcher_record.h"

#include <charconv>
#include <fstream>
#include <iterator>
#include <map>

#include <fmt/format.h>

#include "gardensync/util/error.h"

namespace gardensync::watch {

namespace fs = std::filesystem;

namespace {

template <typename Number>
std::optional<Number> parseNumber(const std::string& text) {
  Number value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

}  // namespace

std::string formatRecord(const WatcherRecord& record) {
  return fmt::format("pid={}\nstarted={}\nbinary={}\ndataDir={}\n", record.pid, record.started, record.binary,
                     record.dataDir);
}

std::optional<WatcherRecord> parseRecord(std::string_view text) {
  std::map<std::string, std::string> values;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    const size_t eq = line.find('=');
    if (eq != std::string_view::npos) values[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
    start = end + 1;
  }
  auto pid = parseNumber<int>(values["pid"]);
  auto started = parseNumber<unsigned long long>(values["started"]);
  if (!pid || !started || values["binary"].empty() || values["dataDir"].empty()) return std::nullopt;
  return WatcherRecord{*pid, *started, values["binary"], values["dataDir"]};
}

bool isRecordedWatcher(const WatcherRecord& record, const util::ProcessInfo& info) {
  if (info.startTime != record.started) return false;
  if (info.argv.size() < 4 || info.argv[0] != record.binary || info.argv[1] != kWatchCommand) return false;
  for (size_t i = 2; i + 1 < info.argv.size(); ++i)
    if (info.argv[i] == "--data-dir") return info.argv[i + 1] == record.dataDir;
  return false;
}

fs::path recordPath(const fs::path& dataDir) { return dataDir / "gardensync-watcher"; }

std::optional<WatcherRecord> readRecord(const fs::path& dataDir) {
  std::ifstream in(recordPath(dataDir), std::ios::binary);
  if (!in) return std::nullopt;
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parseRecord(text);
}

void writeRecord(const fs::path& dataDir, const WatcherRecord& record) {
  const fs::path temp = recordPath(dataDir).string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << formatRecord(record);
    if (!out) throw Error(fmt::format("cannot write {}", temp.string()), "check that $HOME is writable");
  }
  std::error_code ec;
  fs::rename(temp, recordPath(dataDir), ec);
  if (ec) throw Error(fmt::format("cannot write {}: {}", recordPath(dataDir).string(), ec.message()));
}

void removeRecord(const fs::path& dataDir) {
  std::error_code ec;
  fs::remove(recordPath(dataDir), ec);
}

}  // namespace gardensync::watch
