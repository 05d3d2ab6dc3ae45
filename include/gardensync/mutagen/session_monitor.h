// Waking up when sync sessions change, from Mutagen's own monitoring rather than by polling:
// `mutagen sync monitor` long-polls the daemon, which answers whenever the state of any of its
// sessions changes (one state index for all of them), and prints a line each time. A thread runs
// it and turns its output into readability of a file descriptor that a poll() loop can wait on
// next to others (inotify); the loop then lists the sessions to see what changed.
#pragma once

#include <atomic>
#include <string>
#include <thread>

#include "gardensync/mutagen/mutagen_cli.h"

namespace gardensync::mutagen {

class SessionMonitor {
public:
  // Monitors through the newest session matching `selector` (any change of any session of the
  // daemon wakes it).
  SessionMonitor(const MutagenCli& cli, std::string selector);
  ~SessionMonitor();
  SessionMonitor(const SessionMonitor&) = delete;
  SessionMonitor& operator=(const SessionMonitor&) = delete;

  // Readable after a change, and when the monitor has ended.
  int fd() const { return pipe_[0]; }
  // Empties fd(); true when something happened since the last call.
  bool drain();
  // `sync monitor` exited: its session was terminated, or the daemon stopped. Start another
  // SessionMonitor to go on.
  bool ended() const { return ended_; }
  // Why it ended (Mutagen's stderr), for debugging.
  std::string endReason() const;

private:
  void run(const MutagenCli& cli, const std::string& selector);
  void wake();

  int pipe_[2] = {-1, -1};
  std::atomic<bool> stop_{false};
  std::atomic<bool> ended_{false};
  std::string endReason_;  // written by the thread before ended_ is set
  std::thread thread_;
};

}  // namespace gardensync::mutagen
