// Mutagen's `sync list` JSON: whatever the daemon prints, parsing ends in a list or an Error.
#include <string_view>

#include "fuzz_target.h"
#include "gardensync/mutagen/session_status.h"
#include "gardensync/mutagen/sessions.h"
#include "gardensync/ui/session_view.h"
#include "gardensync/util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gardensync;
  try {
    for (const auto& session : mutagen::parseSessionList(std::string_view(reinterpret_cast<const char*>(data), size))) {
      (void)mutagen::isSynced(session);
      (void)mutagen::haltAdvice(session);
      const auto view = ui::viewOf(session);
      (void)ui::describeConflicts(view);
      (void)ui::describeProblems(view);
      (void)ui::toJson(view).dump();
    }
  } catch (const Error&) {
  }
  return 0;
}
