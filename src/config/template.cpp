#include "gardensync/config/template.h"

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

#include "gardensync/util/text.h"

namespace gardensync::config {

namespace {

std::vector<std::string> splitDots(std::string_view expr) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t dot = expr.find('.', start);
    parts.emplace_back(expr.substr(start, dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts;
}

bool isBuildOutput(const std::vector<std::string>& parts) {
  return parts.size() == 5 && parts[0] == "actions" && parts[1] == "build" && parts[3] == "outputs";
}

constexpr std::string_view kEscape = "$${";  // Garden's escape for a literal ${

// What a scan does with `$${`, with a `${` that has no closing brace, and with output that grows
// too large.
struct ScanRules {
  std::string_view escapeBecomes;  // "${" to unescape, "$${" to keep the escape
  bool unterminatedThrows = true;  // false: the rest of the text is literal
  size_t maxOutput = std::string::npos;  // expand throws OutputTooLarge rather than pass it
};

// Thrown by expand; the caller knows which limit maxOutput was.
struct OutputTooLarge {
  size_t offset;
};

// Calls `onExpr(expr, offset)` for each `${...}` and appends literal text to `out`; the callback
// returns the replacement. The size is checked before each append, so the output never holds
// more than maxOutput bytes.
template <typename OnExpr>
std::string expand(std::string_view text, ScanRules rules, OnExpr onExpr) {
  std::string out;
  size_t i = 0;
  auto append = [&](std::string_view piece, size_t offset) {
    if (piece.size() > rules.maxOutput - out.size()) throw OutputTooLarge{offset};
    out += piece;
  };
  while (i < text.size()) {
    if (text.compare(i, kEscape.size(), kEscape) == 0) {
      append(rules.escapeBecomes, i);
      i += kEscape.size();
      continue;
    }
    if (text.compare(i, 2, "${") != 0) {
      size_t next = std::min(text.find('$', i + 1), text.size());  // a run of literal text
      append(text.substr(i, next - i), i);
      i = next;
      continue;
    }
    size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos) {
      if (rules.unterminatedThrows)
        throw TemplateError(fmt::format("unterminated template expression \"{}\"", text.substr(i)), i);
      append(text.substr(i), i);
      break;
    }
    append(onExpr(util::trim(text.substr(i + 2, close - i - 2)), i), i);
    i = close + 1;
  }
  return out;
}

// "1 MiB (1048576 bytes)"
std::string sizeLimit(size_t bytes) { return fmt::format("{} MiB ({} bytes)", bytes >> 20, bytes); }

// A substituted value in a string that is resolved again later must stay literal there.
std::string escape(std::string_view value) {
  std::string out;
  size_t i = 0;
  while (i < value.size()) {
    if (value.compare(i, 2, "${") == 0) {
      out += kEscape;
      i += 2;
    } else {
      out += value[i++];
    }
  }
  return out;
}

const char* kSupported =
    "supported: var.<name>, project.name, environment.name, local.env.<NAME>, "
    "actions.build.<name>.outputs.deploymentImageId|version";

// The load-time value of one `${expr}` at `offset`, as written (not yet escaped).
std::string resolveReference(const std::string& expr, size_t offset, const TemplateContext& context) {
  auto parts = splitDots(expr);
  if (parts.size() == 2 && parts[0] == "var") {
    auto it = context.variables.find(parts[1]);
    if (it == context.variables.end())
      throw TemplateError(fmt::format("${{{}}}: no variable named \"{}\" is defined", expr, parts[1]), offset);
    return it->second;
  }
  if (expr == "project.name") return context.projectName;
  if (expr == "environment.name") return context.environmentName;
  if (parts.size() == 3 && parts[0] == "local" && parts[1] == "env") {
    std::optional<std::string> found;
    if (context.localEnv) {
      found = context.localEnv(parts[2]);
    } else if (const char* raw = std::getenv(parts[2].c_str())) {
      found = raw;
    }
    if (!found)
      throw TemplateError(fmt::format("${{{}}}: environment variable {} is not set", expr, parts[2]), offset);
    return *found;
  }
  throw TemplateError(fmt::format("${{{}}} is not a known reference ({})", expr, kSupported), offset);
}

// A build output reference, checked and kept as written: it is resolved after the build has run.
std::string checkBuildOutput(const std::string& expr, const std::vector<std::string>& parts, size_t offset,
                             const TemplateContext& context) {
  if (!context.buildNames.count(parts[2]))
    throw TemplateError(fmt::format("${{{}}}: no Build action named \"{}\"", expr, parts[2]), offset);
  if (parts[4] != "deploymentImageId" && parts[4] != "version")
    throw TemplateError(fmt::format("${{{}}}: Build outputs are deploymentImageId and version", expr), offset);
  return "${" + expr + "}";
}

}  // namespace

std::string budgetSpentMessage() {
  return fmt::format("the strings resolved in this project would pass {} in total; gardensync stops here to "
                     "protect memory",
                     sizeLimit(kMaxResolvedBytesPerLoad));
}

std::string resolveLoadTime(std::string_view text, const TemplateContext& context, Escapes escapes) {
  const bool keep = escapes == Escapes::Keep;
  ResolveBudget* budget = context.budget;
  // Whichever limit is nearer decides, and names itself in the error.
  const bool budgetIsNearer = budget && budget->remaining < kMaxResolvedBytes;
  const ScanRules rules{keep ? kEscape : "${", true, budgetIsNearer ? budget->remaining : kMaxResolvedBytes};
  try {
    std::string out = expand(text, rules, [&](const std::string& expr, size_t offset) -> std::string {
      auto parts = splitDots(expr);
      if (isBuildOutput(parts)) return checkBuildOutput(expr, parts, offset, context);
      std::string value = resolveReference(expr, offset, context);
      return keep ? escape(value) : value;
    });
    if (budget) budget->remaining -= out.size();
    return out;
  } catch (const OutputTooLarge& e) {
    if (!budgetIsNearer)
      throw TemplateError(fmt::format("resolves to more than {}; gardensync stops here to protect memory",
                                      sizeLimit(kMaxResolvedBytes)),
                          e.offset);
    budget->spent = true;
    throw TemplateError(budgetSpentMessage(), e.offset);
  }
}

std::vector<BuildOutputRef> findBuildOutputRefs(std::string_view text) {
  std::vector<BuildOutputRef> refs;
  expand(text, {kEscape, false}, [&](const std::string& expr, size_t) -> std::string {
    auto parts = splitDots(expr);
    if (isBuildOutput(parts)) refs.push_back({parts[2], parts[4]});
    return {};
  });
  return refs;
}

std::vector<std::string> findVariableRefs(std::string_view text) {
  std::vector<std::string> names;
  expand(text, {kEscape, false}, [&](const std::string& expr, size_t) -> std::string {
    auto parts = splitDots(expr);
    if (parts.size() == 2 && parts[0] == "var") names.push_back(parts[1]);
    return {};
  });
  return names;
}

std::string resolveBuildOutputs(std::string_view text,
                                const std::map<std::string, std::string>& outputs) {
  return expand(text, {"${", true}, [&](const std::string& expr, size_t) -> std::string {
    auto parts = splitDots(expr);
    if (!isBuildOutput(parts)) return "${" + expr + "}";
    auto it = outputs.find(parts[2] + "." + parts[4]);
    if (it == outputs.end()) return "<pending:" + expr + ">";
    return it->second;
  });
}

}  // namespace gardensync::config
