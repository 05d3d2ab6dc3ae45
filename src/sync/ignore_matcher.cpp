#include "gardensync/sync/ignore_matcher.h"

#include <optional>

namespace gardensync::sync {

namespace {

// The index just past the `]` closing the class that starts at `open`, or npos.
size_t classEnd(std::string_view glob, size_t open) {
  size_t i = open + 1;
  if (i < glob.size() && (glob[i] == '!' || glob[i] == '^')) ++i;
  if (i < glob.size() && glob[i] == ']') ++i;  // a leading ] is a member
  for (; i < glob.size(); ++i) {
    if (glob[i] == '\\') ++i;
    else if (glob[i] == ']') return i + 1;
  }
  return std::string_view::npos;
}

bool classMatches(std::string_view body, char c) {
  bool negated = false;
  size_t i = 0;
  if (!body.empty() && (body[0] == '!' || body[0] == '^')) {
    negated = true;
    i = 1;
  }
  bool found = false;
  for (bool first = true; i < body.size(); first = false) {
    char low = body[i];
    if (low == '\\' && i + 1 < body.size()) low = body[++i];
    else if (low == ']' && !first) break;
    ++i;
    char high = low;
    if (i + 1 < body.size() && body[i] == '-') {
      high = body[i + 1];
      if (high == '\\' && i + 2 < body.size()) {
        high = body[i + 2];
        ++i;
      }
      i += 2;
    }
    if (c >= low && c <= high) found = true;
  }
  return found != negated;
}

// The index of the `}` closing the brace at `open`, or npos.
size_t braceEnd(std::string_view glob, size_t open) {
  int depth = 0;
  for (size_t i = open; i < glob.size(); ++i) {
    if (glob[i] == '\\') ++i;
    else if (glob[i] == '{') ++depth;
    else if (glob[i] == '}' && --depth == 0) return i;
  }
  return std::string_view::npos;
}

// The alternatives of the brace body between `open` and `close`, split at top-level commas.
std::vector<std::string_view> alternatives(std::string_view glob, size_t open, size_t close) {
  std::vector<std::string_view> result;
  int depth = 0;
  size_t start = open + 1;
  for (size_t i = open + 1; i < close; ++i) {
    if (glob[i] == '\\') ++i;
    else if (glob[i] == '{') ++depth;
    else if (glob[i] == '}') --depth;
    else if (glob[i] == ',' && depth == 0) {
      result.push_back(glob.substr(start, i - start));
      start = i + 1;
    }
  }
  result.push_back(glob.substr(start, close - start));
  return result;
}

bool match(std::string_view glob, std::string_view path, bool atComponentStart) {
  while (!glob.empty()) {
    const char c = glob[0];
    // `**` as a whole component: zero or more folders.
    if (c == '*' && glob.size() >= 2 && glob[1] == '*' && atComponentStart && (glob.size() == 2 || glob[2] == '/')) {
      if (glob.size() == 2) return true;
      const std::string_view rest = glob.substr(3);
      if (match(rest, path, true)) return true;
      for (size_t i = 0; i < path.size(); ++i)
        if (path[i] == '/' && match(rest, path.substr(i + 1), true)) return true;
      return false;
    }
    if (c == '*') {
      size_t stars = 1;
      while (stars < glob.size() && glob[stars] == '*') ++stars;
      const std::string_view rest = glob.substr(stars);
      for (size_t i = 0;; ++i) {
        if (match(rest, path.substr(i), false)) return true;
        if (i == path.size() || path[i] == '/') return false;
      }
    }
    if (c == '{') {
      const size_t close = braceEnd(glob, 0);
      if (close != std::string_view::npos) {
        const std::string_view rest = glob.substr(close + 1);
        for (std::string_view alternative : alternatives(glob, 0, close)) {
          std::string expanded(alternative);
          expanded += rest;
          if (match(expanded, path, atComponentStart)) return true;
        }
        return false;
      }
    }
    if (path.empty()) return false;
    if (c == '?') {
      if (path[0] == '/') return false;
      glob.remove_prefix(1);
    } else if (c == '[') {
      const size_t end = classEnd(glob, 0);
      if (end == std::string_view::npos) {  // not a class: a literal [
        if (path[0] != '[') return false;
        glob.remove_prefix(1);
      } else {
        if (path[0] == '/' || !classMatches(glob.substr(1, end - 2), path[0])) return false;
        glob.remove_prefix(end);
      }
    } else {
      char literal = c;
      if (c == '\\' && glob.size() >= 2) {
        literal = glob[1];
        glob.remove_prefix(1);
      }
      if (path[0] != literal) return false;
      glob.remove_prefix(1);
    }
    atComponentStart = path[0] == '/';
    path.remove_prefix(1);
  }
  return path.empty();
}

// Go's path.Clean, keeping a trailing slash (which marks a folder-only pattern).
std::string cleanPattern(std::string_view pattern) {
  const bool absolute = !pattern.empty() && pattern[0] == '/';
  const bool trailing = pattern.size() > 1 && pattern.back() == '/';
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= pattern.size()) {
    size_t end = pattern.find('/', start);
    if (end == std::string_view::npos) end = pattern.size();
    const std::string_view part = pattern.substr(start, end - start);
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") parts.pop_back();
      else if (!absolute) parts.push_back(part);
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string cleaned = absolute ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) cleaned += (i ? "/" : "") + std::string(parts[i]);
  if (cleaned.empty()) cleaned = ".";
  if (trailing && cleaned != "/") cleaned += "/";
  return cleaned;
}

}  // namespace

bool globMatch(std::string_view glob, std::string_view path) { return match(glob, path, true); }

IgnoreMatcher::IgnoreMatcher(const std::vector<std::string>& patterns) {
  for (std::string_view text : patterns) {
    Pattern pattern;
    if (!text.empty() && text[0] == '!') {
      pattern.negated = true;
      text.remove_prefix(1);
    }
    if (text.empty()) continue;
    std::string cleaned = cleanPattern(text);
    if (cleaned == "/" || cleaned == "//") continue;
    bool absolute = false;
    if (cleaned[0] == '/') {
      absolute = true;
      cleaned.erase(0, 1);
    }
    if (!cleaned.empty() && cleaned.back() == '/') {
      pattern.directoryOnly = true;
      cleaned.pop_back();
    }
    if (cleaned.empty()) continue;
    pattern.matchLeaf = !absolute && cleaned.find('/') == std::string::npos;
    pattern.glob = std::move(cleaned);
    patterns_.push_back(std::move(pattern));
  }
}

bool IgnoreMatcher::ignored(std::string_view path, bool directory) const {
  bool ignored = false;
  const size_t slash = path.rfind('/');
  const std::string_view leaf = slash == std::string_view::npos ? path : path.substr(slash + 1);
  for (const auto& pattern : patterns_) {
    if (pattern.negated != ignored) continue;  // cannot change the outcome
    if (pattern.directoryOnly && !directory) continue;
    if (globMatch(pattern.glob, path) || (pattern.matchLeaf && !path.empty() && globMatch(pattern.glob, leaf)))
      ignored = !pattern.negated;
  }
  return ignored;
}

}  // namespace gardensync::sync
