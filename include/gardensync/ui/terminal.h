// The one place that draws on the terminal beyond plain log lines: a status line that is redrawn
// in place on a TTY (and printed as plain lines, only when it changes, elsewhere), and yes/no
// prompts. Like ninja's LinePrinter, it owns "is this a TTY, redraw the line, print above it",
// so commands only say what to show.
#pragma once

#include <string>
#include <string_view>

namespace gardensync::ui {

class StatusLine {
public:
  StatusLine();
  ~StatusLine();  // leaves the terminal on a fresh line
  StatusLine(const StatusLine&) = delete;
  StatusLine& operator=(const StatusLine&) = delete;

  // On a TTY: replaces the line. Otherwise: prints `plain` (or `text` when empty) as a line of
  // its own, unless it is the same as the last one printed.
  void show(std::string_view text, std::string_view plain = {});
  // Removes the line (TTY); the next output starts at the line's beginning.
  void clear();
  // Keeps the line as it is and moves below it (TTY), e.g. before an error is printed.
  void keep();

private:
  bool tty_;
  bool drawn_ = false;
  std::string lastPlain_;
};

// Asks on stderr and reads the answer from stdin; false (without asking) when stdin is not a
// terminal, so scripts never hang on a question.
bool confirm(std::string_view question);

// Whether stdin is a terminal (an interactive `exec` gets a TTY of its own then).
bool stdinIsTty();

}  // namespace gardensync::ui
