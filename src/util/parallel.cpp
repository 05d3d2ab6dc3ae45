#include "gardensync/util/parallel.h"

#include <algorithm>
#include <atomic>
#include <thread>

namespace gardensync::util {

std::vector<std::exception_ptr> runInParallel(size_t count, size_t maxThreads,
                                              const std::function<void(size_t)>& task) {
  std::vector<std::exception_ptr> errors(count);
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < count; i = next++) {
      try {
        task(i);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  const size_t threads = std::min(count, std::max<size_t>(maxThreads, 1));
  if (threads <= 1) {
    worker();  // no thread for a single piece of work
    return errors;
  }
  std::vector<std::thread> workers;
  for (size_t n = 0; n < threads; ++n) workers.emplace_back(worker);
  for (auto& thread : workers) thread.join();
  return errors;
}

void runAllInParallel(size_t count, size_t maxThreads, const std::function<void(size_t)>& task) {
  for (const auto& error : runInParallel(count, maxThreads, task))
    if (error) std::rethrow_exception(error);
}

}  // namespace gardensync::util
