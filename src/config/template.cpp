#include "gardensync/config/template.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

#include <fmt/format.h>

#include "gardensync/config/template/contexts.h"
#include "gardensync/config/template/evaluator.h"
#include "gardensync/config/template/git_info.h"
#include "gardensync/config/template/interpolate.h"
#include "gardensync/config/template/parser.h"

namespace gardensync::config {

namespace {

// Node's process.platform and process.arch for the machine gardensync was built for.
const char* nodePlatform() {
#if defined(__APPLE__)
  return "darwin";
#elif defined(_WIN32)
  return "win32";
#elif defined(__FreeBSD__)
  return "freebsd";
#else
  return "linux";
#endif
}

const char* nodeArch() {
#if defined(__x86_64__)
  return "x64";
#elif defined(__aarch64__)
  return "arm64";
#elif defined(__i386__)
  return "ia32";
#elif defined(__arm__)
  return "arm";
#elif defined(__powerpc64__)
  return "ppc64";
#elif defined(__s390x__)
  return "s390x";
#elif defined(__riscv)
  return "riscv64";
#else
  return "unknown";
#endif
}

// Visits every expression of a template, nested templates and if-blocks included.
template <typename Visit>
void visitExpressions(const std::vector<tmpl::TemplatePart>& parts, Visit& visit);

template <typename Visit>
void visitExpression(const tmpl::Expression& expression, Visit& visit) {
  visit(expression);
  for (const auto& key : expression.keys)
    if (key.expression) visitExpression(*key.expression, visit);
  for (const auto& operand : expression.operands) visitExpression(*operand, visit);
  if (expression.nested) visitExpressions(expression.nested->parts, visit);
}

template <typename Visit>
void visitExpressions(const std::vector<tmpl::TemplatePart>& parts, Visit& visit) {
  for (const auto& part : parts) {
    if (part.expression) visitExpression(*part.expression, visit);
    visitExpressions(part.thenParts, visit);
    visitExpressions(part.elseParts, visit);
  }
}

constexpr std::string_view kEscape = "$${";

}  // namespace

void TemplateContext::describeMachine(const std::filesystem::path& root) {
  projectRoot = root;
  // Garden's `username` package: these variables first, then the account of the process.
  for (const char* variable : {"SUDO_USER", "C9_USER", "LOGNAME", "USER", "LNAME", "USERNAME"}) {
    std::optional<std::string> value;
    if (localEnv) value = localEnv(variable);
    else if (const char* raw = std::getenv(variable)) value = raw;
    if (value && !value->empty()) {
      local.username = *value;
      break;
    }
  }
  if (local.username.empty())
    if (const passwd* account = getpwuid(getuid())) local.username = account->pw_name;
  local.platform = nodePlatform();
  local.arch = nodeArch();
  git = tmpl::readGitInfo(root);
}

std::string resolveLoadTime(std::string_view text, const TemplateContext& context, Escapes escapes) {
  ResolveBudget* budget = context.budget;
  // Whichever limit is nearer decides, and names itself in the error.
  const bool budgetIsNearer = budget && budget->remaining < kMaxResolvedBytes;
  const size_t maxBytes = budgetIsNearer ? budget->remaining : kMaxResolvedBytes;
  auto tooLarge = [&](size_t offset) -> TemplateError {
    if (!budgetIsNearer) return TemplateError(tooLargeMessage(), offset);
    budget->spent = true;
    return TemplateError(budgetSpentMessage(), offset);
  };
  std::string out;
  if (!tmpl::mayHoldTemplate(text)) {
    if (text.size() > maxBytes) throw tooLarge(maxBytes);
    out = text;
  } else {
    const tmpl::Template parsed = tmpl::parseTemplate(text);
    tmpl::ContextScope scope(context);
    tmpl::Rendered rendered;
    try {
      rendered = tmpl::renderTemplate(parsed, scope, {escapes, maxBytes, false});
    } catch (const tmpl::OutputTooLarge& e) {
      throw tooLarge(e.offset);
    }
    if (rendered.kind == tmpl::Rendered::Kind::Value) {
      if (rendered.value.is_array() || rendered.value.is_object())
        throw TemplateError(fmt::format("{} is {}, where text is expected", text, tmpl::describe(rendered.value)), 0);
      out = tmpl::toText(rendered.value);
    }
  }
  if (budget) budget->remaining -= out.size();
  return out;
}

std::vector<BuildOutputRef> findBuildOutputRefs(std::string_view text) {
  std::vector<BuildOutputRef> refs;
  if (!tmpl::mayHoldTemplate(text)) return refs;
  const tmpl::Template parsed = tmpl::parseTemplatePrefix(text);
  for (const auto& part : parsed.parts) {
    if (part.kind != tmpl::TemplatePart::Kind::Expression) continue;
    auto keys = tmpl::staticKeys(*part.expression);
    if (!keys || keys->size() < 4 || (*keys)[0] != "actions" || (*keys)[1] != "build" || !(*keys)[2].is_string())
      continue;
    const std::string build = (*keys)[2].get<std::string>();
    if (keys->size() == 4 && (*keys)[3] == "version") refs.push_back({build, "version"});
    if (keys->size() == 5 && (*keys)[3] == "outputs" && (*keys)[4].is_string()) {
      std::string output = (*keys)[4].get<std::string>();
      if (output == "deployment-image-id") output = "deploymentImageId";
      refs.push_back({build, output});
    }
  }
  return refs;
}

std::vector<std::string> findVariableRefs(std::string_view text) {
  std::vector<std::string> names;
  if (!tmpl::mayHoldTemplate(text)) return names;
  const tmpl::Template parsed = tmpl::parseTemplatePrefix(text);
  auto visit = [&](const tmpl::Expression& expression) {
    if (expression.kind != tmpl::ExpressionKind::Lookup) return;
    if (expression.name != "var" && expression.name != "variables") return;
    if (expression.keys.empty() || expression.keys[0].expression) return;
    names.push_back(tmpl::toText(expression.keys[0].name));
  };
  visitExpressions(parsed.parts, visit);
  return names;
}

std::string resolveBuildOutputs(std::string_view text, const std::map<std::string, std::string>& outputs) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, kEscape.size(), kEscape) == 0) {
      // As at load time, an escape is literal up to the first `}` (or the end).
      size_t close = text.find('}', i + kEscape.size());
      size_t end = close == std::string_view::npos ? text.size() : close + 1;
      out += text.substr(i + 1, end - i - 1);
      i = end;
      continue;
    }
    if (text.compare(i, 2, "${") != 0) {
      size_t next = std::min(text.find('$', i + 1), text.size());
      out += text.substr(i, next - i);
      i = next;
      continue;
    }
    size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos)
      throw TemplateError(fmt::format("unterminated template expression \"{}\"", text.substr(i)), i);
    const std::string_view reference = text.substr(i, close + 1 - i);
    const auto refs = findBuildOutputRefs(reference);
    if (refs.empty()) {
      out += reference;
    } else {
      auto it = outputs.find(refs[0].build + "." + refs[0].output);
      out += it == outputs.end()
                 ? fmt::format("<pending:actions.build.{}.outputs.{}>", refs[0].build, refs[0].output)
                 : it->second;
    }
    i = close + 1;
  }
  return out;
}

}  // namespace gardensync::config
