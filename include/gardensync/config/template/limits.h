// How much text a load may resolve. A template can repeat a value (`v1: ${var.v0}${var.v0}`, and
// so on), so a few lines can ask for gigabytes, as in YAML's "billion laughs". Load-time
// resolution therefore limits each string (or list, or mapping) it produces, and every one of a
// load together; helper functions that can multiply their input (replace, indent, range, ...)
// stop at the per-string limit too.
#pragma once

#include <cstddef>
#include <string>

namespace gardensync::config {

constexpr size_t kMaxResolvedBytes = size_t{1} << 20;          // one string: 1 MiB
constexpr size_t kMaxResolvedBytesPerLoad = size_t{64} << 20;  // all strings of one load: 64 MiB

// What one load may still resolve, shared by all its strings.
struct ResolveBudget {
  size_t remaining = kMaxResolvedBytesPerLoad;
  bool spent = false;  // a string was refused for want of budget
};

// "1 MiB (1048576 bytes)"
std::string sizeLimit(size_t bytes);

// The message of a string that passes kMaxResolvedBytes.
std::string tooLargeMessage();

// The message of the TemplateError for a spent budget. Every later string of the load fails the
// same way, so a loader reports it once.
std::string budgetSpentMessage();

}  // namespace gardensync::config
