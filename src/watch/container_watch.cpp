#include "gardensync/watch/container_watch.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <utility>

#include <fmt/format.h>

#include "gardensync/util/process.h"
#include "gardensync/util/text.h"

namespace gardensync::watch {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// How long to wait before starting a helper again that ended; doubled, up to a minute, while it
// cannot start (a stopped container), so that such a container costs next to nothing.
constexpr auto kRetryAfter = 5s;
constexpr auto kLongestRetry = 60s;
// A helper that ran at least this long had started.
constexpr auto kStarted = 10s;

}  // namespace

fs::path containerWatchProgram() { return util::selfExecutable().parent_path() / "gardensync-container-watch"; }

ContainerWatch::ContainerWatch(HelperLaunch launch, std::string path, int wakeFd)
    : launch_(std::move(launch)), path_(std::move(path)), wakeFd_(wakeFd) {
  thread_ = std::thread([this] { run(); });
}

ContainerWatch::~ContainerWatch() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

std::vector<std::string> ContainerWatch::takeNotes() {
  const std::lock_guard lock(mutex_);
  return std::exchange(notes_, {});
}

void ContainerWatch::note(std::string text) {
  {
    const std::lock_guard lock(mutex_);
    if (text == lastNote_) return;  // a container that stays stopped is said once, not every retry
    lastNote_ = text;
    notes_.push_back(fmt::format("{}:{}: {}", launch_.where, path_, text));
  }
  const char byte = 0;
  (void)!::write(wakeFd_, &byte, 1);
}

void ContainerWatch::run() {
  std::chrono::milliseconds retry = kRetryAfter;
  while (!stop_) {
    const auto started = std::chrono::steady_clock::now();
    runHelperOnce(retry);
    retry = std::chrono::steady_clock::now() - started >= kStarted
                ? std::chrono::milliseconds(kRetryAfter)
                : std::min<std::chrono::milliseconds>(retry * 2, kLongestRetry);
    for (auto waited = 0ms; waited < retry && !stop_; waited += 100ms) std::this_thread::sleep_for(100ms);
  }
}

bool ContainerWatch::install() {
  util::ProcessOptions options;
  options.timeout = 60s;
  options.cancelled = [this] { return stop_.load(); };
  // True when `result` went well; otherwise notes why (unless stopping) and returns false.
  const auto succeeded = [&](const std::vector<std::string>& argv, const util::ProcessResult& result) {
    if (result.ok()) return true;
    if (!stop_)
      note(fmt::format("cannot put the helper there, so its changes wait for Mutagen's rescan: {} failed: {}",
                       util::formatCommand(argv), util::trimEnd(result.stderrText)));
    return false;
  };
  if (launch_.check.empty()) return succeeded(launch_.install, util::runProcess(launch_.install, options));
  // Sessions that share a pod would otherwise copy at once, and one copy would meet the other's
  // running helper (a running program cannot be overwritten).
  static std::mutex installing;
  const std::lock_guard lock(installing);
  const auto check = util::runProcess(launch_.check, options);
  if (check.exitCode == kOtherArchitecture) {
    note(fmt::format("it runs on {} and the helper is built for {}, so its changes wait for Mutagen's rescan",
                     util::trimEnd(check.stdoutText), helperMachine()));
    return false;
  }
  if (check.exitCode != kHelperMissing) return succeeded(launch_.check, check);
  return succeeded(launch_.install, util::runProcess(launch_.install, options));
}

void ContainerWatch::runHelperOnce(std::chrono::milliseconds retry) {
  if (!install()) return;
  util::ProcessOptions options;
  options.timeout = 0ms;
  options.holdStdin = true;
  options.cancelled = [this] { return stop_.load(); };
  std::string partial;
  options.onStdout = [&](std::string_view chunk) {
    partial.append(chunk);
    for (size_t end; (end = partial.find('\n')) != std::string::npos; partial.erase(0, end + 1)) {
      const std::string line = partial.substr(0, end);
      if (line == "change") {
        changed_ = true;
        const char byte = 1;
        (void)!::write(wakeFd_, &byte, 1);
      } else if (unsigned watched = 0, failed = 0; std::sscanf(line.c_str(), "watching %u %u", &watched, &failed) == 2) {
        note(failed == 0 ? fmt::format("watching its changes ({} folders)", watched)
                         : fmt::format("watching its changes ({} folders; {} could not be watched, raise "
                                       "fs.inotify.max_user_watches)",
                                       watched, failed));
      }
    }
  };
  const auto result = util::runProcess(launch_.run, options);
  if (!stop_)
    note(fmt::format("the helper ended ({}); starting it again within {} s",
                     result.exitCode >= 0 ? fmt::format("exit {}: {}", result.exitCode, util::trimEnd(result.stderrText))
                                          : "killed",
                     std::chrono::duration_cast<std::chrono::seconds>(std::min<std::chrono::milliseconds>(
                                                                          retry * 2, kLongestRetry))
                         .count()));
}

}  // namespace gardensync::watch
