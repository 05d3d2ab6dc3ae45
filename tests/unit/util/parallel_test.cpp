#include "gardensync/util/parallel.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>

#include <gtest/gtest.h>

namespace gardensync::util {
namespace {

TEST(Parallel, EveryTaskRunsOnceAndNoMoreThanTheLimitAtOnce) {
  std::mutex mutex;
  std::multiset<size_t> ran;
  std::atomic<int> running{0};
  std::atomic<int> mostAtOnce{0};
  const auto errors = runInParallel(20, 3, [&](size_t i) {
    const int now = ++running;
    for (int seen = mostAtOnce; now > seen && !mostAtOnce.compare_exchange_weak(seen, now);) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    --running;
    std::lock_guard lock(mutex);
    ran.insert(i);
  });
  ASSERT_EQ(errors.size(), 20u);
  for (const auto& error : errors) EXPECT_FALSE(error);
  EXPECT_EQ(ran.size(), 20u);
  for (size_t i = 0; i < 20; ++i) EXPECT_EQ(ran.count(i), 1u) << i;
  EXPECT_LE(mostAtOnce.load(), 3);
  EXPECT_GE(mostAtOnce.load(), 2);  // they did overlap
}

TEST(Parallel, ErrorsStayWithTheirTaskAndTheLowestIndexIsRethrown) {
  const auto errors = runInParallel(5, 4, [](size_t i) {
    if (i == 1 || i == 3) throw std::runtime_error("task " + std::to_string(i));
  });
  EXPECT_FALSE(errors[0]);
  EXPECT_TRUE(errors[1]);
  EXPECT_FALSE(errors[2]);
  EXPECT_TRUE(errors[3]);
  std::atomic<int> finished{0};
  try {
    runAllInParallel(5, 4, [&](size_t i) {
      // The later failure happens first; the earlier index is still the one reported, after all ended.
      if (i == 1) std::this_thread::sleep_for(std::chrono::milliseconds(20));
      ++finished;
      if (i == 1 || i == 3) throw std::runtime_error("task " + std::to_string(i));
    });
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "task 1");
  }
  EXPECT_EQ(finished.load(), 5);
}

TEST(Parallel, NothingToDoAndOneThreadWork) {
  EXPECT_TRUE(runInParallel(0, 8, [](size_t) { FAIL(); }).empty());
  std::vector<size_t> order;
  runAllInParallel(4, 1, [&](size_t i) { order.push_back(i); });  // in order, on the calling thread
  EXPECT_EQ(order, (std::vector<size_t>{0, 1, 2, 3}));
}

}  // namespace
}  // namespace gardensync::util
