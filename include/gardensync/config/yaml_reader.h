// Typed reads from a yaml-cpp document that record positioned problems instead of stopping at the
// first one, so a run reports every configuration error together. Every string read passes
// through load-time template resolution; render() resolves a whole tree first (whole values,
// `$merge`, `$forEach`, ...), so the reads see its result.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "gardensync/config/model.h"
#include "gardensync/config/template.h"
#include "gardensync/config/template/scope.h"
#include "gardensync/util/error.h"

namespace gardensync::config {

// Collects errors and warnings of one load.
struct Diagnostics {
  std::vector<ConfigIssue> errors;
  std::vector<ConfigIssue> warnings;
};

class YamlReader {
public:
  YamlReader(std::string displayFile, Diagnostics& diagnostics, const TemplateContext* templates);

  // While one is alive, strings read keep their `$${` escapes (Escapes::Keep in template.h): for
  // the fields whose build output references resolve only after the builds have run.
  class KeepEscapes {
  public:
    explicit KeepEscapes(YamlReader& reader) : reader_(reader), previous_(reader.keepEscapes_) {
      reader_.keepEscapes_ = true;
    }
    ~KeepEscapes() { reader_.keepEscapes_ = previous_; }
    KeepEscapes(const KeepEscapes&) = delete;
    KeepEscapes& operator=(const KeepEscapes&) = delete;

  private:
    YamlReader& reader_;
    bool previous_;
  };

  const std::string& file() const { return file_; }
  // Where `node` is written; a node that rendering made or replaced is where its template was.
  Position position(const YAML::Node& node) const;

  // A reader for another file of the same load (a manifest file a Deploy names): same
  // diagnostics, templates and escape handling, positions in `displayFile`.
  YamlReader readerFor(std::string displayFile) const;

  void error(const YAML::Node& at, std::string_view keyPath, std::string message);
  // An error positioned already (one found while resolving variables).
  void report(ConfigIssue issue);
  void warning(const YAML::Node& at, std::string_view keyPath, std::string message);

  // Each returns nullopt when the key is absent (after an error if `required`) or malformed. No
  // string read may hold a NUL byte: no command-line argument can carry one, so it would be cut
  // short where it is used.
  bool isMap(const YAML::Node& node, std::string_view keyPath);
  std::optional<std::string> string(const YAML::Node& map, const char* key, std::string_view path,
                                    bool required = false);
  // The resolved text of a scalar node itself (an item of a free-form tree such as a manifest).
  std::optional<std::string> scalar(const YAML::Node& node, std::string_view keyPath);
  std::optional<std::vector<std::string>> stringList(const YAML::Node& map, const char* key,
                                                     std::string_view path);
  std::optional<std::vector<std::pair<std::string, std::string>>> stringMap(
      const YAML::Node& map, const char* key, std::string_view path);
  std::optional<int> integer(const YAML::Node& map, const char* key, std::string_view path,
                             bool required = false);
  std::optional<bool> boolean(const YAML::Node& map, const char* key, std::string_view path);
  // A string that names something on disk or in a container, a pattern or a label: besides
  // string(), it must be valid UTF-8 without control characters (0x00-0x1f, 0x7f).
  std::optional<std::string> plainString(const YAML::Node& map, const char* key, std::string_view path,
                                         bool required = false);
  std::optional<std::vector<std::string>> plainStringList(const YAML::Node& map, const char* key,
                                                          std::string_view path);
  // Reports `value` (read from `at`) unless it is plain text as above; returns whether it is.
  bool checkPlainText(const YAML::Node& at, std::string_view keyPath, std::string_view value);
  // Permission bits: `0644`, "0644" and `0o644` read as octal and must fit 0-0777; `0` is 0. A
  // plain decimal such as `400` is an error: YAML 1.2 reads it as decimal 400 (0620), which is
  // never what was meant.
  std::optional<unsigned> permissionBits(const YAML::Node& map, const char* key, std::string_view path);
  // A user or group: a non-negative integer id or a name.
  std::optional<std::string> ownerOrGroup(const YAML::Node& map, const char* key, std::string_view path);

  // Reports every key of `map` not in `allowed`, naming the closest allowed key, or for a key in
  // `renamed` (another spelling that is valid elsewhere) the key to write here instead.
  void rejectUnknownKeys(const YAML::Node& map, std::string_view path,
                         const std::set<std::string>& allowed,
                         const std::map<std::string, std::string>& renamed = {});

  // Resolves the tree at `node` in place (template.h), as a Garden config is resolved before it is
  // read: strings keep their `$${` escapes until they are read (Escapes::Keep), build outputs stay
  // for the second step. Errors go to the diagnostics, positioned; a template that needs a value
  // gardensync does not have (provider outputs) is left as written and an error only if read.
  void render(YAML::Node& node, std::string_view keyPath, const tmpl::Scope& scope);
  // Records that `node`, made by the loader (a converted Module's action), is where `origin` is.
  void place(const YAML::Node& node, const YAML::Node& origin) { placed_.emplace_back(node, position(origin)); }

  // Leaves the templates under `node` unresolved, and reading them no error: for configs that do
  // not apply (a provider of another environment), which Garden does not resolve either.
  void skipTemplates(const YAML::Node& node);

  // The node for `key` in `map`, or an undefined node; also the key's own node, for positions.
  static YAML::Node child(const YAML::Node& map, const char* key);
  static std::string join(std::string_view path, std::string_view key);
  static std::string index(std::string_view path, size_t i);

private:
  std::optional<std::string> scalarText(const YAML::Node& node, std::string_view keyPath,
                                        const char* expected);
  std::string resolve(const YAML::Node& node, std::string_view keyPath, const std::string& raw, bool& ok);
  // Whether render() left `node` unresolved; reports why the first time it is read.
  bool explainUnresolved(const YAML::Node& node, std::string_view keyPath);

  friend class RenderSink;

  std::string file_;
  Diagnostics& diagnostics_;
  const TemplateContext* templates_;
  bool keepEscapes_ = false;
  // Nodes render() made or replaced, with their template's position. Looked up only for nodes
  // without a position of their own.
  std::vector<std::pair<YAML::Node, Position>> placed_;
  // Strings render() left as written: already reported (no message), or to report when read.
  struct Unresolved {
    YAML::Node node;
    std::string message;
  };
  std::vector<Unresolved> unresolved_;
};

}  // namespace gardensync::config
