#include "gardensync/config/yaml_reader.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "gardensync/config/template/suggest.h"
#include "gardensync/config/template/yaml_render.h"
#include "gardensync/util/text.h"

namespace gardensync::config {

namespace {

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Null: return "null";
    case YAML::NodeType::Scalar: return fmt::format("\"{}\"", node.Scalar());
    default: return "nothing";
  }
}

}  // namespace

// Records for a YamlReader what rendering a tree finds.
class RenderSink : public tmpl::YamlRenderSink {
public:
  explicit RenderSink(YamlReader& reader) : reader_(reader) {}

  void error(const YAML::Node& at, const std::string& keyPath, const std::string& message) override {
    reader_.error(at, keyPath, message);
  }
  void failed(const YAML::Node& at) override { reader_.unresolved_.push_back({at, {}}); }
  void deferred(const YAML::Node& at, const std::string& message) override {
    reader_.unresolved_.push_back({at, message});
  }
  void created(const YAML::Node& node, const YAML::Node& origin) override {
    reader_.placed_.emplace_back(node, reader_.position(origin));
  }

private:
  YamlReader& reader_;
};

void YamlReader::render(YAML::Node& node, std::string_view keyPath, const tmpl::Scope& scope) {
  RenderSink sink(*this);
  tmpl::TreeOptions options{Escapes::Keep, true, templates_ ? templates_->budget : nullptr};
  tmpl::renderYaml(node, std::string(keyPath), scope, options, sink);
}

YamlReader::YamlReader(std::string displayFile, Diagnostics& diagnostics,
                       const TemplateContext* templates)
    : file_(std::move(displayFile)), diagnostics_(diagnostics), templates_(templates) {}

Position YamlReader::position(const YAML::Node& node) const {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) {
    if (node.IsDefined())
      for (const auto& [placed, position] : placed_)
        if (placed.is(node)) return position;
    return {file_, 0, 0};
  }
  return {file_, mark.line + 1, mark.column + 1};
}

YamlReader YamlReader::readerFor(std::string displayFile) const {
  YamlReader reader(std::move(displayFile), diagnostics_, templates_);
  reader.keepEscapes_ = keepEscapes_;
  return reader;
}

void YamlReader::error(const YAML::Node& at, std::string_view keyPath, std::string message) {
  // A value whose template failed is not also of the wrong type, or missing a key.
  if (!unresolved_.empty() && at.IsDefined() && explainUnresolved(at, keyPath)) return;
  Position pos = position(at);
  diagnostics_.errors.push_back({pos.file, pos.line, pos.column, std::string(keyPath), std::move(message)});
}

void YamlReader::report(ConfigIssue issue) { diagnostics_.errors.push_back(std::move(issue)); }

void YamlReader::warning(const YAML::Node& at, std::string_view keyPath, std::string message) {
  Position pos = position(at);
  diagnostics_.warnings.push_back({pos.file, pos.line, pos.column, std::string(keyPath), std::move(message)});
}

YAML::Node YamlReader::child(const YAML::Node& map, const char* key) {
  if (!map.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  for (const auto& entry : map)
    if (entry.first.IsScalar() && entry.first.Scalar() == key) return entry.second;
  return YAML::Node(YAML::NodeType::Undefined);
}

std::string YamlReader::join(std::string_view path, std::string_view key) {
  if (path.empty()) return std::string(key);
  return fmt::format("{}.{}", path, key);
}

std::string YamlReader::index(std::string_view path, size_t i) { return fmt::format("{}[{}]", path, i); }

bool YamlReader::isMap(const YAML::Node& node, std::string_view keyPath) {
  if (node.IsMap()) return true;
  error(node, keyPath, fmt::format("expected a mapping, got {}", describe(node)));
  return false;
}

std::optional<std::string> YamlReader::scalarText(const YAML::Node& node, std::string_view keyPath,
                                                  const char* expected) {
  if (node.IsScalar()) return node.Scalar();
  error(node, keyPath, fmt::format("expected {}, got {}", expected, describe(node)));
  return std::nullopt;
}

void YamlReader::skipTemplates(const YAML::Node& node) {
  if (node.IsScalar()) {
    if (node.Scalar().find("${") != std::string::npos) unresolved_.push_back({node, {}});
  } else if (node.IsSequence()) {
    for (const auto& item : node) skipTemplates(item);
  } else if (node.IsMap()) {
    for (const auto& entry : node) skipTemplates(entry.second);
  }
}

bool YamlReader::explainUnresolved(const YAML::Node& node, std::string_view keyPath) {
  for (auto& unresolved : unresolved_) {
    if (!unresolved.node.is(node)) continue;
    // Reported when it was rendered, or now that it is read, once.
    std::string message = std::move(unresolved.message);
    unresolved.message.clear();
    if (!message.empty()) {
      const Position pos = position(node);
      diagnostics_.errors.push_back({pos.file, pos.line, pos.column, std::string(keyPath), std::move(message)});
    }
    return true;
  }
  return false;
}

std::string YamlReader::resolve(const YAML::Node& node, std::string_view keyPath,
                                const std::string& raw, bool& ok) {
  ok = true;
  std::string value = raw;
  if (explainUnresolved(node, keyPath)) {
    ok = false;
    return raw;
  }
  if (templates_ && raw.find("${") != std::string::npos) {
    try {
      value = resolveLoadTime(raw, *templates_, keepEscapes_ ? Escapes::Keep : Escapes::Unescape);
    } catch (const TemplateError& e) {
      error(node, keyPath, e.what());
      ok = false;
      return raw;
    }
  }
  if (size_t nul = value.find('\0'); nul != std::string::npos) {
    error(node, keyPath,
          fmt::format("contains a NUL byte (at byte {}), which no command-line argument can carry", nul));
    ok = false;
  }
  return value;
}

bool YamlReader::checkPlainText(const YAML::Node& at, std::string_view keyPath, std::string_view value) {
  if (auto bad = util::findInvalidUtf8(value)) {
    error(at, keyPath, fmt::format("is not valid UTF-8 (byte {} is 0x{:02x})", *bad,
                                   static_cast<unsigned char>(value[*bad])));
    return false;
  }
  if (auto control = util::findControlCharacter(value)) {
    error(at, keyPath,
          fmt::format("contains the control character {} at byte {}; paths, names, patterns and labels "
                      "must be printable text",
                      util::describeControlCharacter(value[*control]), *control));
    return false;
  }
  return true;
}

std::optional<std::string> YamlReader::plainString(const YAML::Node& map, const char* key,
                                                   std::string_view path, bool required) {
  auto value = string(map, key, path, required);
  if (!value || !checkPlainText(child(map, key), join(path, key), *value)) return std::nullopt;
  return value;
}

std::optional<std::vector<std::string>> YamlReader::plainStringList(const YAML::Node& map, const char* key,
                                                                    std::string_view path) {
  auto values = stringList(map, key, path);
  if (!values) return std::nullopt;
  const YAML::Node list = child(map, key);
  bool allOk = true;
  for (size_t i = 0; i < values->size(); ++i)
    allOk = checkPlainText(list[i], index(join(path, key), i), (*values)[i]) && allOk;
  if (!allOk) return std::nullopt;
  return values;
}

std::optional<std::string> YamlReader::string(const YAML::Node& map, const char* key,
                                              std::string_view path, bool required) {
  const std::string keyPath = join(path, key);
  YAML::Node node = child(map, key);
  if (!node.IsDefined() || node.IsNull()) {
    if (required) error(map, keyPath, "is required");
    return std::nullopt;
  }
  auto text = scalarText(node, keyPath, "a string");
  if (!text) return std::nullopt;
  bool ok = false;
  std::string value = resolve(node, keyPath, *text, ok);
  if (!ok) return std::nullopt;
  return value;
}

std::optional<std::string> YamlReader::scalar(const YAML::Node& node, std::string_view keyPath) {
  auto text = scalarText(node, keyPath, "a string");
  if (!text) return std::nullopt;
  bool ok = false;
  std::string value = resolve(node, keyPath, *text, ok);
  if (!ok) return std::nullopt;
  return value;
}

std::optional<std::vector<std::string>> YamlReader::stringList(const YAML::Node& map, const char* key,
                                                               std::string_view path) {
  const std::string keyPath = join(path, key);
  YAML::Node node = child(map, key);
  if (!node.IsDefined() || node.IsNull()) return std::nullopt;
  if (!node.IsSequence()) {
    error(node, keyPath, fmt::format("expected a list of strings, got {}", describe(node)));
    return std::nullopt;
  }
  std::vector<std::string> values;
  bool allOk = true;
  for (size_t i = 0; i < node.size(); ++i) {
    const std::string itemPath = index(keyPath, i);
    auto text = scalarText(node[i], itemPath, "a string");
    if (!text) {
      allOk = false;
      continue;
    }
    bool ok = false;
    values.push_back(resolve(node[i], itemPath, *text, ok));
    allOk = allOk && ok;
  }
  if (!allOk) return std::nullopt;
  return values;
}

std::optional<std::vector<std::pair<std::string, std::string>>> YamlReader::stringMap(
    const YAML::Node& map, const char* key, std::string_view path) {
  const std::string keyPath = join(path, key);
  YAML::Node node = child(map, key);
  if (!node.IsDefined() || node.IsNull()) return std::nullopt;
  if (!isMap(node, keyPath)) return std::nullopt;
  std::vector<std::pair<std::string, std::string>> values;
  for (const auto& entry : node) {
    const std::string name = entry.first.Scalar();
    const std::string itemPath = join(keyPath, name);
    if (!checkPlainText(entry.first, itemPath, name)) continue;
    auto text = scalarText(entry.second, itemPath, "a string, number or boolean");
    if (!text) continue;
    bool ok = false;
    std::string value = resolve(entry.second, itemPath, *text, ok);
    if (ok) values.emplace_back(name, std::move(value));
  }
  return values;
}

std::optional<int> YamlReader::integer(const YAML::Node& map, const char* key, std::string_view path,
                                       bool required) {
  const std::string keyPath = join(path, key);
  YAML::Node node = child(map, key);
  if (!node.IsDefined() || node.IsNull()) {
    if (required) error(map, keyPath, "is required");
    return std::nullopt;
  }
  auto text = scalarText(node, keyPath, "an integer");
  if (!text) return std::nullopt;
  int value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size()) {
    error(node, keyPath, fmt::format("expected an integer, got \"{}\"", *text));
    return std::nullopt;
  }
  return value;
}

std::optional<bool> YamlReader::boolean(const YAML::Node& map, const char* key, std::string_view path) {
  const std::string keyPath = join(path, key);
  YAML::Node node = child(map, key);
  if (!node.IsDefined() || node.IsNull()) return std::nullopt;
  auto text = scalarText(node, keyPath, "true or false");
  if (!text) return std::nullopt;
  if (*text == "true") return true;
  if (*text == "false") return false;
  error(node, keyPath, fmt::format("expected true or false, got \"{}\"", *text));
  return std::nullopt;
}

std::optional<unsigned> YamlReader::permissionBits(const YAML::Node& map, const char* key,
                                                   std::string_view path) {
  const std::string keyPath = join(path, key);
  YAML::Node node = child(map, key);
  if (!node.IsDefined() || node.IsNull()) return std::nullopt;
  auto text = scalarText(node, keyPath, "octal permission bits such as 0644");
  if (!text) return std::nullopt;
  std::string_view digits = *text;
  const bool decimal = !digits.empty() && digits.find_first_not_of("0123456789") == std::string_view::npos;
  if (digits.starts_with("0o") || digits.starts_with("0O")) {
    digits.remove_prefix(2);
  } else if (decimal && !digits.starts_with("0")) {
    // Garden's schema is an integer and YAML 1.2 reads 400 as decimal (0620), which is never what
    // was meant; the example is the value with a leading 0 when that is valid.
    const bool octal = !digits.empty() && digits.size() <= 3 &&
                       digits.find_first_not_of("01234567") == std::string_view::npos;
    error(node, keyPath,
          fmt::format("\"{}\" is ambiguous: write permission bits in octal with a leading 0 (e.g. 0{})", *text,
                      octal ? *text : std::string("644")));
    return std::nullopt;
  }
  // Octal, as YAML 1.1 and Garden's examples write it (`0644`).
  unsigned value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, 8);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
    error(node, keyPath, fmt::format("\"{}\" is not valid permission bits (expected octal, e.g. 0644)", *text));
    return std::nullopt;
  }
  if (value > 0777) {
    error(node, keyPath,
          fmt::format("\"{}\" is out of range (expected 0000-0777; write octal with a leading 0, e.g. 0644)",
                      *text));
    return std::nullopt;
  }
  return value;
}

std::optional<std::string> YamlReader::ownerOrGroup(const YAML::Node& map, const char* key,
                                                    std::string_view path) {
  const std::string keyPath = join(path, key);
  YAML::Node node = child(map, key);
  if (!node.IsDefined() || node.IsNull()) return std::nullopt;
  auto text = scalarText(node, keyPath, "a user/group id or name");
  if (!text) return std::nullopt;
  bool ok = false;
  std::string value = resolve(node, keyPath, *text, ok);
  if (!ok) return std::nullopt;
  const bool numeric = !value.empty() && std::all_of(value.begin(), value.end(), ::isdigit);
  const bool name = !value.empty() && (std::isalpha(static_cast<unsigned char>(value[0])) || value[0] == '_') &&
                    std::all_of(value.begin(), value.end(), [](char c) {
                      return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
                    });
  if (!numeric && !name) {
    error(node, keyPath, fmt::format("\"{}\" is not a user/group id (integer) or name", value));
    return std::nullopt;
  }
  return value;
}

void YamlReader::rejectUnknownKeys(const YAML::Node& map, std::string_view path,
                                   const std::set<std::string>& allowed,
                                   const std::map<std::string, std::string>& renamed) {
  if (!map.IsMap()) return;
  for (const auto& entry : map) {
    const std::string key = entry.first.Scalar();
    if (allowed.count(key)) continue;
    if (auto it = renamed.find(key); it != renamed.end()) {
      error(entry.first, join(path, key), fmt::format("is not a known key here (did you mean \"{}\"?)", it->second));
      continue;
    }
    std::string closest;
    size_t best = 3;  // suggest only near misses
    for (const auto& candidate : allowed) {
      size_t distance = editDistance(key, candidate);
      if (distance < best) best = distance, closest = candidate;
    }
    std::string message = "is not a known key";
    if (!closest.empty()) message += fmt::format(" (did you mean \"{}\"?)", closest);
    else {
      message += " (expected one of: ";
      bool first = true;
      for (const auto& candidate : allowed) {
        message += (first ? "" : ", ") + candidate;
        first = false;
      }
      message += ")";
    }
    error(entry.first, join(path, key), message);
  }
}

}  // namespace gardensync::config
