#include "gardensync/watch/debouncer.h"

#include <algorithm>

namespace gardensync::watch {

Debouncer::Debouncer(size_t sessions, Clock::time_point now, DebounceSettings settings)
    : settings_(settings), sessions_(sessions) {
  for (auto& burst : sessions_) burst.lastFlush = now;
}

void Debouncer::record(size_t session, Change change, Clock::time_point now) {
  Burst& burst = sessions_.at(session);
  if (!burst.active) {
    burst.active = true;
    burst.removal = false;
    burst.first = now;
  }
  burst.last = now;
  if (change == Change::Removal) burst.removal = true;
}

void Debouncer::recordAll(Clock::time_point now) {
  for (size_t i = 0; i < sessions_.size(); ++i) record(i, Change::Removal, now);
}

Clock::time_point Debouncer::dueAt(const Burst& burst) const {
  if (!burst.active) {
    if (settings_.safetyInterval.count() <= 0) return Clock::time_point::max();
    return burst.lastFlush + settings_.safetyInterval;
  }
  if (burst.removal) return burst.last + settings_.removalQuiet;
  return std::min(burst.last + settings_.quiet, burst.first + settings_.maxDelay);
}

std::vector<size_t> Debouncer::takeDue(Clock::time_point now) {
  std::vector<size_t> due;
  for (size_t i = 0; i < sessions_.size(); ++i) {
    Burst& burst = sessions_[i];
    if (dueAt(burst) > now) continue;
    due.push_back(i);
    burst.active = false;
    burst.removal = false;
    burst.lastFlush = now;
  }
  return due;
}

std::optional<Clock::time_point> Debouncer::nextDeadline() const {
  std::optional<Clock::time_point> next;
  for (const auto& burst : sessions_) {
    const auto at = dueAt(burst);
    if (at == Clock::time_point::max()) continue;
    if (!next || at < *next) next = at;
  }
  return next;
}

}  // namespace gardensync::watch
