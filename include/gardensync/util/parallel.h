// Independent pieces of work that mostly wait on other processes (docker, kubectl, Mutagen), run
// side by side on a few threads.
#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <vector>

namespace gardensync::util {

// Runs task(0) ... task(count - 1) on at most `maxThreads` threads and waits for all of them.
// Returns what each threw (null where it returned), by index, so that the caller can report
// failures in a fixed order rather than in the order they happened.
std::vector<std::exception_ptr> runInParallel(size_t count, size_t maxThreads,
                                              const std::function<void(size_t)>& task);

// runInParallel, then rethrows the error of the lowest index, if any.
void runAllInParallel(size_t count, size_t maxThreads, const std::function<void(size_t)>& task);

}  // namespace gardensync::util
