#include "gardensync/ui/progress.h"

#include <cstdio>

#include <fmt/format.h>

#include "gardensync/ui/output.h"

namespace gardensync::ui {

using Clock = std::chrono::steady_clock;

std::string formatBytes(uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 3) value /= 1024, ++unit;
  return unit == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", value, units[unit]);
}

std::string formatDuration(std::chrono::milliseconds duration) {
  const auto ms = duration.count();
  if (ms < 1000) return fmt::format("{} ms", ms);
  if (ms < 60000) return fmt::format("{:.1f} s", static_cast<double>(ms) / 1000);
  return fmt::format("{}m{:02}s", ms / 60000, (ms / 1000) % 60);
}

ByteProgress::ByteProgress(std::string label)
    : label_(std::move(label)), tty_(stderrIsTty()), start_(Clock::now()), lastDraw_(Clock::time_point{}) {}

ByteProgress::~ByteProgress() {
  if (!finished_ && tty_) std::fputs("\n", stderr);
}

void ByteProgress::update(uint64_t done, uint64_t total) {
  const auto now = Clock::now();
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  if (tty_) {
    if (now - lastDraw_ < std::chrono::milliseconds(100)) return;
    lastDraw_ = now;
    std::string line = fmt::format("{} {}", label_, formatBytes(done));
    if (total > 0) {
      const int width = 24;
      const int filled = static_cast<int>(width * done / total);
      line += fmt::format(" / {} [{}{}] {:3}%", formatBytes(total), std::string(filled, '#'),
                          std::string(width - filled, '.'), 100 * done / total);
      if (rate > 0 && done < total)
        line += " ETA " + formatDuration(std::chrono::milliseconds(static_cast<long long>(1000 * (total - done) / rate)));
    }
    line += fmt::format(" {}/s", formatBytes(static_cast<uint64_t>(rate)));
    std::fprintf(stderr, "\r\033[K%s", line.c_str());
    std::fflush(stderr);
    return;
  }
  // Without a TTY: one line per quarter, when the size is known.
  if (total == 0) return;
  const int quarter = static_cast<int>(4 * done / total);
  if (quarter == lastQuarter_ || quarter == 0) return;
  lastQuarter_ = quarter;
  std::fprintf(stderr, "%s %s / %s (%d%%)\n", label_.c_str(), formatBytes(done).c_str(), formatBytes(total).c_str(),
               quarter * 25);
}

void ByteProgress::finish() {
  if (finished_) return;
  finished_ = true;
  if (tty_) std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
}

}  // namespace gardensync::ui
