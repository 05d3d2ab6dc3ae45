// When to ask Mutagen for a sync cycle, given the file changes the watcher saw. Pure logic with
// the clock passed in, so tests can step through bursts.
//
// Each session collects a burst of changes and is flushed once its folder has been quiet for a
// while: `quiet` after writes, the longer `removalQuiet` once the burst holds a removal. The
// difference is about safety, not speed: Mutagen halts a session whose local folder was emptied
// (`rm -rf src/*`) instead of emptying the container, but only when one scan sees the whole
// deletion; a cycle in the middle of it would propagate the first half. A burst of writes alone
// is flushed after `maxDelay` even while it goes on, so a steadily growing file still syncs;
// a burst with removals waits until the folder is quiet. Independently, every session is flushed
// every `safetyInterval` while nothing is pending (a change the watch missed is picked up then).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <vector>

namespace gardensync::watch {

using Clock = std::chrono::steady_clock;

struct DebounceSettings {
  std::chrono::milliseconds quiet{20};
  std::chrono::milliseconds removalQuiet{250};
  std::chrono::milliseconds maxDelay{1000};
  std::chrono::milliseconds safetyInterval{30000};  // 0: never
};

enum class Change { Write, Removal };

class Debouncer {
public:
  Debouncer(size_t sessions, Clock::time_point now, DebounceSettings settings = {});

  void record(size_t session, Change change, Clock::time_point now);
  // The kernel's queue overflowed: anything may have changed, removals included.
  void recordAll(Clock::time_point now);

  // The sessions to flush now (their bursts end, or their safety interval passed), in order.
  std::vector<size_t> takeDue(Clock::time_point now);
  // When takeDue next has something to return; nullopt when nothing ever will (no bursts, no
  // safety interval).
  std::optional<Clock::time_point> nextDeadline() const;

  bool pending(size_t session) const { return sessions_.at(session).active; }

private:
  struct Burst {
    bool active = false;
    bool removal = false;
    Clock::time_point first;
    Clock::time_point last;
    Clock::time_point lastFlush;
  };
  Clock::time_point dueAt(const Burst& burst) const;

  DebounceSettings settings_;
  std::vector<Burst> sessions_;
};

}  // namespace gardensync::watch
