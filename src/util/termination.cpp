#include "gardensync/util/termination.h"

#include <signal.h>

#include <atomic>

#include <fmt/format.h>

namespace gardensync::util {

namespace {

constexpr int kSignals[] = {SIGTERM, SIGHUP, SIGINT};

std::atomic<int> pendingSignal{0};
std::atomic<int> runningChildren{0};
struct sigaction previous[std::size(kSignals)];

// Async-signal-safe: atomics, signal() and raise() only.
void onTerminationSignal(int signal) {
  pendingSignal.store(signal);
  if (runningChildren.load() == 0) {
    ::signal(signal, SIG_DFL);
    ::raise(signal);
  }
}

}  // namespace

TerminationSignals::TerminationSignals() {
  struct sigaction action {};
  action.sa_handler = onTerminationSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: a blocking poll or waitpid returns EINTR and looks
  for (size_t i = 0; i < std::size(kSignals); ++i) sigaction(kSignals[i], &action, &previous[i]);
}

TerminationSignals::~TerminationSignals() {
  for (size_t i = 0; i < std::size(kSignals); ++i) sigaction(kSignals[i], &previous[i], nullptr);
}

namespace {

std::atomic<bool> interruptRequested{false};
struct sigaction watchPrevious[2];

void onInterruptRequest(int) { interruptRequested.store(true); }

}  // namespace

InterruptWatch::InterruptWatch() {
  interruptRequested = false;
  struct sigaction action {};
  action.sa_handler = onInterruptRequest;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &watchPrevious[0]);
  sigaction(SIGTERM, &action, &watchPrevious[1]);
}

InterruptWatch::~InterruptWatch() {
  sigaction(SIGINT, &watchPrevious[0], nullptr);
  sigaction(SIGTERM, &watchPrevious[1], nullptr);
}

bool InterruptWatch::requested() const { return interruptRequested.load(); }

RunningChild::RunningChild() { ++runningChildren; }
RunningChild::~RunningChild() { --runningChildren; }

int pendingTerminationSignal() { return pendingSignal.load(); }

std::string signalName(int signal) {
  switch (signal) {
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    case SIGINT: return "SIGINT";
    default: return fmt::format("signal {}", signal);
  }
}

Interrupted::Interrupted(int signal, const std::string& command)
    : Error(fmt::format("stopped by {} while running {}; it was stopped too", signalName(signal), command)),
      signal_(signal) {}

}  // namespace gardensync::util
