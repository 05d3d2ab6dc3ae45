#include "gardensync/ui/terminal.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "gardensync/ui/output.h"

namespace gardensync::ui {

StatusLine::StatusLine() : tty_(stderrIsTty()) {}

StatusLine::~StatusLine() { clear(); }

void StatusLine::show(std::string_view text, std::string_view plain) {
  if (tty_) {
    std::fprintf(stderr, "\r\033[K%.*s", static_cast<int>(text.size()), text.data());
    std::fflush(stderr);
    drawn_ = true;
    return;
  }
  const std::string_view line = plain.empty() ? text : plain;
  if (line == lastPlain_) return;
  lastPlain_ = line;
  std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
}

void StatusLine::clear() {
  if (!drawn_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

void StatusLine::keep() {
  if (!drawn_) return;
  std::fputs("\n", stderr);
  drawn_ = false;
}

bool stdinIsTty() { return isatty(STDIN_FILENO) == 1; }

bool confirm(std::string_view question) {
  if (!::isatty(STDIN_FILENO)) return false;
  std::cerr << question << " [y/N] " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y" || answer == "yes";
}

}  // namespace gardensync::ui
