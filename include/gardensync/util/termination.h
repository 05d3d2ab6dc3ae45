// What happens when gardensync is told to stop (SIGTERM, SIGHUP, SIGINT) while a child runs: the
// signal is passed on to the child (a `docker build`, a `mutagen sync create`), gardensync waits
// briefly for it to end and then stops itself, so no child is left running on its own. With no
// child running, the signal has its default effect at once.
#pragma once

#include <string>

#include "gardensync/util/error.h"

namespace gardensync::util {

// Installs the handlers for as long as it lives (main holds one), restoring the previous ones.
class TerminationSignals {
public:
  TerminationSignals();
  ~TerminationSignals();
  TerminationSignals(const TerminationSignals&) = delete;
  TerminationSignals& operator=(const TerminationSignals&) = delete;
};

// While alive, SIGINT and SIGTERM only set requested() (for a loop that Ctrl-C should end, such
// as following sync events); the previous handlers come back when it goes.
class InterruptWatch {
public:
  InterruptWatch();
  ~InterruptWatch();
  InterruptWatch(const InterruptWatch&) = delete;
  InterruptWatch& operator=(const InterruptWatch&) = delete;
  bool requested() const;
};

// Marks a child as running while it lives: a signal then waits for the child to be stopped.
class RunningChild {
public:
  RunningChild();
  ~RunningChild();
  RunningChild(const RunningChild&) = delete;
  RunningChild& operator=(const RunningChild&) = delete;
};

// The terminating signal received while a child ran, or 0.
int pendingTerminationSignal();

// "SIGTERM", "SIGHUP", "SIGINT", else "signal N".
std::string signalName(int signal);

// Thrown once a child has been stopped because gardensync was told to stop. Exit code 128+signal.
class Interrupted : public Error {
public:
  Interrupted(int signal, const std::string& command);
  int signal() const { return signal_; }

private:
  int signal_;
};

}  // namespace gardensync::util
