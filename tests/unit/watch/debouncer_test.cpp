#include "gardensync/watch/debouncer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace gardensync::watch {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

const Clock::time_point t0 = Clock::time_point() + 1h;
const DebounceSettings settings{20ms, 250ms, 1000ms, 30000ms};

TEST(Debouncer, AWriteIsFlushedOnceTheFolderIsQuiet) {
  Debouncer debouncer(2, t0, settings);
  debouncer.record(1, Change::Write, t0);
  EXPECT_EQ(debouncer.nextDeadline(), t0 + 20ms);
  EXPECT_THAT(debouncer.takeDue(t0 + 19ms), IsEmpty());
  EXPECT_THAT(debouncer.takeDue(t0 + 20ms), ElementsAre(1u));
  EXPECT_THAT(debouncer.takeDue(t0 + 40ms), IsEmpty());  // nothing new
  EXPECT_FALSE(debouncer.pending(1));
}

TEST(Debouncer, ABurstIsOneFlushAfterItsLastChange) {
  Debouncer debouncer(1, t0, settings);
  for (int i = 0; i < 1000; ++i) debouncer.record(0, Change::Write, t0 + std::chrono::microseconds(i * 10));
  const auto last = t0 + 9990us;
  EXPECT_THAT(debouncer.takeDue(last + 19ms), IsEmpty());
  EXPECT_THAT(debouncer.takeDue(last + 20ms), ElementsAre(0u));
}

TEST(Debouncer, OnlyTheSessionsThatChangedAreFlushed) {
  Debouncer debouncer(3, t0, settings);
  debouncer.record(0, Change::Write, t0);
  debouncer.record(2, Change::Write, t0 + 5ms);
  EXPECT_THAT(debouncer.takeDue(t0 + 20ms), ElementsAre(0u));
  EXPECT_THAT(debouncer.takeDue(t0 + 25ms), ElementsAre(2u));
}

TEST(Debouncer, AStreamOfWritesStillSyncsAfterTheMaximumDelay) {
  Debouncer debouncer(1, t0, settings);
  auto now = t0;
  for (; now < t0 + 999ms; now += 10ms) {
    debouncer.record(0, Change::Write, now);
    ASSERT_THAT(debouncer.takeDue(now), IsEmpty());
  }
  debouncer.record(0, Change::Write, t0 + 1000ms);
  EXPECT_THAT(debouncer.takeDue(t0 + 1000ms), ElementsAre(0u));
}

// A mass deletion must reach Mutagen whole: a burst holding removals waits for the longer quiet
// period and has no maximum delay, however long it goes on.
TEST(Debouncer, RemovalsWaitUntilTheFolderIsQuietWithoutAMaximum) {
  Debouncer debouncer(1, t0, settings);
  auto now = t0;
  debouncer.record(0, Change::Write, now);
  for (; now < t0 + 5000ms; now += 200ms) {
    debouncer.record(0, Change::Removal, now);
    ASSERT_THAT(debouncer.takeDue(now + 199ms), IsEmpty());
  }
  const auto last = now - 200ms;
  EXPECT_EQ(debouncer.nextDeadline(), last + 250ms);
  EXPECT_THAT(debouncer.takeDue(last + 249ms), IsEmpty());
  EXPECT_THAT(debouncer.takeDue(last + 250ms), ElementsAre(0u));
}

TEST(Debouncer, AnOverflowFlushesEverySessionAsIfRemovalsHappened) {
  Debouncer debouncer(3, t0, settings);
  debouncer.recordAll(t0);
  EXPECT_THAT(debouncer.takeDue(t0 + 249ms), IsEmpty());
  EXPECT_THAT(debouncer.takeDue(t0 + 250ms), ElementsAre(0u, 1u, 2u));
}

TEST(Debouncer, IdleSessionsAreFlushedEverySafetyInterval) {
  Debouncer debouncer(2, t0, settings);
  EXPECT_EQ(debouncer.nextDeadline(), t0 + 30s);
  debouncer.record(0, Change::Write, t0 + 10s);
  EXPECT_THAT(debouncer.takeDue(t0 + 10s + 20ms), ElementsAre(0u));
  EXPECT_THAT(debouncer.takeDue(t0 + 30s), ElementsAre(1u));  // 0 was flushed 20 s ago
  EXPECT_THAT(debouncer.takeDue(t0 + 40s + 20ms), ElementsAre(0u));
}

TEST(Debouncer, ASafetyFlushNeverCutsIntoAPendingBurst) {
  Debouncer debouncer(1, t0, settings);
  debouncer.record(0, Change::Removal, t0 + 29900ms);
  EXPECT_THAT(debouncer.takeDue(t0 + 30s), IsEmpty());
  EXPECT_THAT(debouncer.takeDue(t0 + 30150ms), ElementsAre(0u));
}

TEST(Debouncer, WithoutASafetyIntervalAnIdleDebouncerHasNoDeadline) {
  Debouncer debouncer(1, t0, {20ms, 250ms, 1000ms, 0ms});
  EXPECT_FALSE(debouncer.nextDeadline());
  EXPECT_THAT(debouncer.takeDue(t0 + 24h), IsEmpty());
}

}  // namespace
}  // namespace gardensync::watch
