// Reading what `docker build` prints: its output arrives in chunks, is cut into lines here, and
// the lines that start a step are told apart, so a long build shows its progress and a failed one
// shows the step that failed with that step's output instead of Docker's closing message. Pure,
// for both of Docker's builders: the legacy one ("Step 3/4 : RUN ...") and BuildKit's plain
// progress ("#7 [3/4] RUN ...").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gardensync::providers {

// Cuts chunks into lines (without the newline, colour codes removed).
class LineSplitter {
public:
  std::vector<std::string> add(std::string_view chunk);
  // The unfinished last line, if any.
  std::vector<std::string> finish();

private:
  std::string pending_;
};

// Removes ANSI colour and cursor sequences (the legacy builder colours a step's stderr).
std::string stripTerminalCodes(std::string_view text);

// Whether `line` starts a build step.
bool isBuildStepLine(std::string_view line);

struct BuildFailure {
  std::string step;                 // "Step 3/4 : RUN make", "[3/4] RUN make"; empty when none was found
  std::vector<std::string> output;  // what that step printed (its last lines)
  std::string reason;               // Docker's closing message ("... returned a non-zero code: 1")
};

// The failed step of a build from all its output lines (stdout and stderr in the order they came).
// At most `maxLines` of the step's output are kept, the last ones.
BuildFailure findBuildFailure(const std::vector<std::string>& lines, size_t maxLines = 20);

}  // namespace gardensync::providers
