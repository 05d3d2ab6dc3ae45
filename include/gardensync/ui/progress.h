// Progress display for long work: a redrawn bar on a TTY (bytes, rate, ETA), and a few plain
// lines otherwise so logs in CI stay readable.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace gardensync::ui {

class ByteProgress {
public:
  explicit ByteProgress(std::string label);
  ~ByteProgress();
  ByteProgress(const ByteProgress&) = delete;
  ByteProgress& operator=(const ByteProgress&) = delete;

  void update(uint64_t done, uint64_t total);  // total 0: unknown
  void finish();

private:
  std::string label_;
  bool tty_;
  bool finished_ = false;
  int lastQuarter_ = -1;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point lastDraw_;
};

std::string formatBytes(uint64_t bytes);
std::string formatDuration(std::chrono::milliseconds duration);

}  // namespace gardensync::ui
