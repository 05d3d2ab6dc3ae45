#include "gardensync/mutagen/session_monitor.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "gardensync/util/error.h"
#include "gardensync/util/text.h"

namespace gardensync::mutagen {

SessionMonitor::SessionMonitor(const MutagenCli& cli, std::string selector) {
  if (::pipe2(pipe_, O_CLOEXEC | O_NONBLOCK) != 0)
    throw Error(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
  thread_ = std::thread([this, &cli, selector = std::move(selector)] { run(cli, selector); });
}

SessionMonitor::~SessionMonitor() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  for (int fd : pipe_)
    if (fd >= 0) ::close(fd);
}

void SessionMonitor::wake() {
  const char byte = 1;
  // A full pipe already says "something happened"; nothing to do about EAGAIN.
  [[maybe_unused]] auto written = ::write(pipe_[1], &byte, 1);
}

bool SessionMonitor::drain() {
  char buffer[256];
  bool any = false;
  while (::read(pipe_[0], buffer, sizeof buffer) > 0) any = true;
  return any;
}

std::string SessionMonitor::endReason() const { return ended_ ? endReason_ : std::string(); }

void SessionMonitor::run(const MutagenCli& cli, const std::string& selector) {
  std::vector<std::string> argv{cli.binary().string(), "sync", "monitor"};
  if (!selector.empty()) argv.insert(argv.end(), {"--label-selector", selector});
  util::ProcessOptions options;
  options.environment = cli.environment();
  options.timeout = std::chrono::milliseconds(0);
  // Every status line Mutagen prints is a change; only the fact matters, not the text.
  options.onStdout = [this](std::string_view) { wake(); };
  options.cancelled = [this] { return stop_.load(); };
  try {
    auto result = cli.runner().run(argv, options);
    endReason_ = util::trim(result.stderrText);
  } catch (const std::exception& e) {
    endReason_ = e.what();
  }
  ended_ = true;
  wake();
}

}  // namespace gardensync::mutagen
