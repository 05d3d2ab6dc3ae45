#include "gardensync/config/template/limits.h"

#include <fmt/format.h>

namespace gardensync::config {

std::string sizeLimit(size_t bytes) { return fmt::format("{} MiB ({} bytes)", bytes >> 20, bytes); }

std::string tooLargeMessage() {
  return fmt::format("resolves to more than {}; gardensync stops here to protect memory", sizeLimit(kMaxResolvedBytes));
}

std::string budgetSpentMessage() {
  return fmt::format("the strings resolved in this project would pass {} in total; gardensync stops here to "
                     "protect memory",
                     sizeLimit(kMaxResolvedBytesPerLoad));
}

}  // namespace gardensync::config
