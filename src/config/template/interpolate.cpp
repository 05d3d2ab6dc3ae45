#include "gardensync/config/template/interpolate.h"

#include <fmt/format.h>

#include "gardensync/config/template/error.h"
#include "gardensync/config/template/evaluator.h"

namespace gardensync::config {

std::string escapeTemplateText(std::string_view value) {
  std::string out;
  size_t i = 0;
  while (i < value.size()) {
    if (value.compare(i, 2, "${") == 0) {
      out += "$${";
      i += 2;
    } else {
      out += value[i++];
    }
  }
  return out;
}

}  // namespace gardensync::config

namespace gardensync::config::tmpl {

namespace {

// Thrown out of a part whose value gardensync cannot have yet; renderTemplate returns Deferred.
struct Unsupported {
  std::string reason;
};

std::string canonical(const BuildOutput& output) {
  return fmt::format("${{actions.build.{}.outputs.{}}}", output.build, output.output);
}

class Renderer {
public:
  Renderer(const Scope& scope, const RenderOptions& options) : scope_(scope), options_(options) {}

  // The value of one `${...}` part; nullopt when it is optional and found nothing. A plain build
  // output reference gives its canonical text, marked by `isBuildOutput`.
  std::optional<Value> value(const TemplatePart& part, bool& isBuildOutput) {
    isBuildOutput = false;
    try {
      Result r = evaluate(*part.expression, scope_, part.optional);
      if (r.state != Result::State::Found) return std::nullopt;
      return std::move(r.value);
    } catch (const EvaluationError& e) {
      throw TemplateError(fmt::format("{}: {}", part.text, e.what()), part.begin);
    } catch (const DeferredLookup& deferred) {
      if (!deferred.lookup.buildOutput) {
        const std::string reason = fmt::format("{}: {}", part.text, deferred.lookup.message);
        if (options_.deferUnsupported) throw Unsupported{reason};
        throw TemplateError(reason, part.begin);
      }
      // gardensync fills in build outputs after the build by replacing the reference in the text,
      // so it must stand alone: `${actions.build.api.outputs.version}`, not inside an expression.
      // A key may be computed (`actions.build["${parent.name}"].outputs.x`, as Garden's config
      // templates write it): the lookup has named the build by now.
      const Expression& reference = *part.expression;
      if (reference.kind != ExpressionKind::Lookup || reference.keys.size() < 3 || part.optional)
        throw TemplateError(
            fmt::format("{}: a build output can only be used as a reference by itself, "
                        "`${{actions.build.<name>.outputs.<output>}}`; gardensync fills it in after the build",
                        part.text),
            part.begin);
      isBuildOutput = true;
      return Value(canonical(*deferred.lookup.buildOutput));
    }
  }

  void append(const std::string& piece, size_t offset) {
    if (piece.size() > options_.maxBytes - std::min(out_.size(), options_.maxBytes)) throw OutputTooLarge{offset};
    out_ += piece;
  }

  void appendParts(const std::vector<TemplatePart>& parts) {
    const bool keep = options_.escapes == Escapes::Keep;
    for (const auto& part : parts) {
      switch (part.kind) {
        case TemplatePart::Kind::Text: append(part.text, part.begin); break;
        case TemplatePart::Kind::Escaped: append(keep ? part.text : part.text.substr(1), part.begin); break;
        case TemplatePart::Kind::Expression: {
          bool isBuildOutput = false;
          std::optional<Value> v = value(part, isBuildOutput);
          if (!v) break;
          const std::string text = toText(*v);
          append(keep && !isBuildOutput ? escapeTemplateText(text) : text, part.begin);
          break;
        }
        case TemplatePart::Kind::If: {
          bool isBuildOutput = false;
          std::optional<Value> test = value(part, isBuildOutput);
          appendParts(test && isTruthy(*test) ? part.thenParts : part.elseParts);
          break;
        }
      }
    }
  }

  Rendered render(const Template& parsed) {
    if (parsed.isWholeValue()) {
      const TemplatePart& part = parsed.parts[0];
      bool isBuildOutput = false;
      std::optional<Value> v = value(part, isBuildOutput);
      if (!v) return {Rendered::Kind::Undefined, nullptr, {}};
      if (approximateSize(*v) > options_.maxBytes) throw OutputTooLarge{part.begin};
      if (options_.escapes == Escapes::Keep && !isBuildOutput) *v = escapeStrings(std::move(*v));
      return {Rendered::Kind::Value, std::move(*v), {}};
    }
    appendParts(parsed.parts);
    return {Rendered::Kind::Value, std::move(out_), {}};
  }

private:
  const Scope& scope_;
  const RenderOptions& options_;
  std::string out_;
};

}  // namespace

Rendered renderTemplate(const Template& parsed, const Scope& scope, const RenderOptions& options) {
  try {
    Renderer renderer(scope, options);
    return renderer.render(parsed);
  } catch (const Unsupported& unsupported) {
    return {Rendered::Kind::Deferred, nullptr, unsupported.reason};
  }
}

Value escapeStrings(Value value) {
  if (value.is_string()) return escapeTemplateText(value.get_ref<const std::string&>());
  if (value.is_array() || value.is_object())
    for (auto& item : value) item = escapeStrings(std::move(item));
  return value;
}

}  // namespace gardensync::config::tmpl
