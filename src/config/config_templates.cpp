#include "gardensync/config/config_templates.h"

#include <fstream>
#include <map>

#include <fmt/format.h>

#include "gardensync/config/action_parser.h"
#include "gardensync/config/inputs_schema.h"
#include "gardensync/config/template/contexts.h"
#include "gardensync/config/template/structure.h"
#include "gardensync/config/template/suggest.h"
#include "gardensync/config/template/yaml_render.h"
#include "gardensync/config/template/yaml_value.h"
#include "gardensync/config/yaml_text.h"

namespace gardensync::config {

namespace fs = std::filesystem;

namespace {

std::string scalarOf(const YAML::Node& map, const char* key) {
  const YAML::Node node = YamlReader::child(map, key);
  return node.IsScalar() ? node.Scalar() : std::string();
}

bool isRenderDocument(const YAML::Node& doc) {
  if (!doc.IsMap()) return false;
  const std::string kind = scalarOf(doc, "kind");
  return kind == "RenderTemplate" || (kind == "Module" && scalarOf(doc, "type") == "templated");
}

struct ConfigTemplate {
  const SourceDocument* source = nullptr;
  std::string name;
  bool schemaRead = false;
  bool schemaBroken = false;
  tmpl::Value schema = nullptr;  // null: every input is allowed
};

// The inputs schema of a template, read once; its problems are reported once, at the template.
const tmpl::Value* schemaOf(ConfigTemplate& configTemplate, const TemplateContext& templates,
                            Diagnostics& diagnostics) {
  if (configTemplate.schemaRead) return configTemplate.schemaBroken ? nullptr : &configTemplate.schema;
  configTemplate.schemaRead = true;
  const SourceDocument& source = *configTemplate.source;
  YamlReader reader(source.display, diagnostics, &templates);
  const YAML::Node pathNode = YamlReader::child(source.document, "inputsSchemaPath");
  if (!pathNode.IsDefined() || pathNode.IsNull()) return &configTemplate.schema;
  auto written = reader.string(source.document, "inputsSchemaPath", "");
  if (!written) {
    configTemplate.schemaBroken = true;
    return nullptr;
  }
  const fs::path file = (source.file.parent_path() / *written).lexically_normal();
  std::ifstream in(file);
  if (!in) {
    reader.error(pathNode, "inputsSchemaPath", fmt::format("cannot read the inputs schema {}", file.string()));
    configTemplate.schemaBroken = true;
    return nullptr;
  }
  const tmpl::Value schema = tmpl::Value::parse(in, nullptr, false);
  std::string problem = schema.is_discarded() ? std::string("is not valid JSON") : checkInputsSchema(schema);
  if (!problem.empty()) {
    reader.error(pathNode, "inputsSchemaPath", fmt::format("the inputs schema {} {}", file.string(), problem));
    configTemplate.schemaBroken = true;
    return nullptr;
  }
  configTemplate.schema = schema;
  return &configTemplate.schema;
}

// Every combination of the `matrix` values (keys in the order written), each under `inputs`, which
// win; just `inputs` without a matrix.
std::vector<tmpl::Value> inputCombinations(const tmpl::Value& inputs, const tmpl::Value& matrix) {
  std::vector<tmpl::Value> combinations{tmpl::Value::object()};
  if (matrix.is_object())
    for (const auto& [key, values] : matrix.items()) {
      std::vector<tmpl::Value> next;
      for (const auto& combination : combinations)
        for (const auto& value : values) {
          tmpl::Value extended = combination;
          extended[key] = value;
          next.push_back(std::move(extended));
        }
      combinations = std::move(next);
    }
  for (auto& combination : combinations)
    for (const auto& [key, value] : inputs.items()) combination[key] = value;
  return combinations;
}

class Expander {
public:
  Expander(const TemplateContext& templates, Diagnostics& diagnostics)
      : templates_(templates), diagnostics_(diagnostics) {}

  void addTemplate(const SourceDocument& source) {
    YamlReader reader(source.display, diagnostics_, &templates_);
    auto name = reader.string(source.document, "name", "", true);
    if (!name) return;
    if (auto it = templates_by_name_.find(*name); it != templates_by_name_.end()) {
      const Position first = reader.position(it->second.source->document);
      reader.error(YamlReader::child(source.document, "name"), "name",
                   fmt::format("ConfigTemplate \"{}\" is already defined at {}:{}:{}", *name,
                               it->second.source->display, first.line, first.column));
      return;
    }
    const YAML::Node configs = YamlReader::child(source.document, "configs");
    if (configs.IsDefined() && !configs.IsNull() && !configs.IsSequence())
      reader.error(configs, "configs", "expected a list of action configs");
    templates_by_name_.emplace(*name, ConfigTemplate{&source, *name});
  }

  void render(const SourceDocument& source, std::vector<SourceDocument>& out) {
    YamlReader reader(source.display, diagnostics_, &templates_);
    YAML::Node doc = source.document;
    const tmpl::ContextScope scope(templates_);
    const bool module = scalarOf(doc, "kind") == "Module";
    if (YAML::Node disabled = YamlReader::child(doc, "disabled"); disabled.IsDefined()) {
      reader.render(disabled, "disabled", scope);
      if (disabled.IsScalar() && disabled.Scalar() == "true") return;
    }
    auto name = reader.string(doc, "name", "", true);
    auto templateName = reader.string(doc, "template", "", true);
    if (!name || !templateName) return;
    if (!isValidIdentifier(*name)) {
      reader.error(YamlReader::child(doc, "name"), "name",
                   fmt::format("\"{}\" is not a valid name (lowercase letters, digits and dashes, starting with a "
                               "letter, at most 63 characters)",
                               *name));
      return;
    }
    auto found = templates_by_name_.find(*templateName);
    if (found == templates_by_name_.end()) {
      std::vector<std::string> names;
      for (const auto& [known, t] : templates_by_name_) names.push_back(known);
      std::string message = fmt::format("\"{}\" is not a ConfigTemplate of this project", *templateName);
      if (auto close = closestName(*templateName, names)) message += fmt::format(" (did you mean \"{}\"?)", *close);
      else if (!names.empty()) {
        std::string list;
        for (const auto& known : names) list += (list.empty() ? "" : ", ") + known;
        message += fmt::format(" (defined: {})", list);
      }
      reader.error(YamlReader::child(doc, "template"), "template", message);
      return;
    }
    ConfigTemplate& configTemplate = found->second;

    // Inputs (and a matrix of them) are resolved in the project's context, as Garden does when it
    // scans for configs.
    tmpl::Value inputs = tmpl::Value::object();
    YAML::Node inputsNode = YamlReader::child(doc, "inputs");
    if (inputsNode.IsDefined() && !inputsNode.IsNull()) {
      reader.render(inputsNode, "inputs", scope);
      inputsNode = YamlReader::child(doc, "inputs");
      if (!inputsNode.IsMap()) {
        reader.error(inputsNode, "inputs", "expected a mapping of inputs");
        return;
      }
      inputs = tmpl::yamlToValue(inputsNode);
    }
    tmpl::Value matrix = nullptr;
    if (YAML::Node matrixNode = YamlReader::child(doc, "matrix"); matrixNode.IsDefined() && !matrixNode.IsNull() && !module) {
      reader.render(matrixNode, "matrix", scope);
      matrixNode = YamlReader::child(doc, "matrix");
      matrix = tmpl::yamlToValue(matrixNode);
      bool ok = matrix.is_object();
      if (ok)
        for (const auto& [key, values] : matrix.items()) ok = ok && values.is_array();
      if (!ok) {
        reader.error(matrixNode, "matrix", "expected a mapping of input names to lists of values");
        return;
      }
    }
    const tmpl::Value* schema = schemaOf(configTemplate, templates_, diagnostics_);
    if (!schema) return;

    for (tmpl::Value combination : inputCombinations(inputs, matrix)) {
      bool valid = true;
      if (!schema->is_null()) {
        for (const auto& issue : applyInputsSchema(*schema, combination)) {
          const YAML::Node at = inputsNode.IsMap() ? tmpl::nodeAt(inputsNode, issue.path) : doc;
          reader.error(at, tmpl::pathText("inputs", issue.path),
                       fmt::format("{} (inputs schema of ConfigTemplate {})", issue.message, configTemplate.name));
          valid = false;
        }
      }
      if (!valid) continue;
      // Fresh nodes for each copy, with their positions in the template's file.
      std::vector<YAML::Node> templateDocuments;
      try {
        templateDocuments = loadYamlDocuments(configTemplate.source->file);
      } catch (const YAML::Exception& e) {
        reader.error(YamlReader::child(doc, "template"), "template",
                     fmt::format("cannot read ConfigTemplate {} again: {}", configTemplate.name, e.what()));
        return;
      }
      const size_t index = configTemplate.source->index;
      if (index >= templateDocuments.size()) return;
      const tmpl::Value rendered{{"inputs", combination},
                                 {"parent", {{"name", *name}}},
                                 {"template", {{"name", configTemplate.name}}}};
      renderConfigs(YamlReader::child(templateDocuments[index], "configs"), source, *configTemplate.source, rendered,
                    out);
    }
  }

private:
  void renderConfigs(const YAML::Node& configs, const SourceDocument& render, const SourceDocument& configTemplate,
                     const tmpl::Value& rendered, std::vector<SourceDocument>& out) {
    if (!configs.IsSequence()) return;
    YamlReader reader(configTemplate.display, diagnostics_, &templates_);
    const tmpl::ContextScope scope(templates_, nullptr, nullptr, &rendered);
    for (size_t i = 0; i < configs.size(); ++i) {
      YAML::Node config = configs[i];
      const std::string path = YamlReader::index("configs", i);
      if (!reader.isMap(config, path)) continue;
      // What identifies the action is resolved now; the rest later, with the other actions.
      for (const char* key : {"kind", "type", "name", "path"}) {
        YAML::Node value = YamlReader::child(config, key);
        if (value.IsDefined()) reader.render(value, key, scope);
      }
      // The config's `path` (a folder below the RenderTemplate's) becomes its source folder, in
      // front of a `source.path` of its own.
      SourceDocument rendered_config{config, render.file, configTemplate.display, i, rendered};
      if (auto sub = reader.string(config, "path", ""); sub && !sub->empty()) {
        YAML::Node source = YamlReader::child(config, "source");
        const YAML::Node own = YamlReader::child(source, "path");
        const std::string path = own.IsScalar() ? (fs::path(*sub) / own.Scalar()).generic_string() : *sub;
        if (!source.IsMap()) {
          config["source"] = YAML::Node(YAML::NodeType::Map);
          rendered_config.origins.emplace_back(config["source"], YamlReader::child(config, "path"));
        }
        config["source"]["path"] = path;
        rendered_config.origins.emplace_back(config["source"]["path"], YamlReader::child(config, "path"));
      }
      out.push_back(std::move(rendered_config));
    }
  }

  const TemplateContext& templates_;
  Diagnostics& diagnostics_;
  std::map<std::string, ConfigTemplate> templates_by_name_;
};

}  // namespace

std::vector<SourceDocument> expandConfigTemplates(const std::vector<SourceDocument>& documents,
                                                  const TemplateContext& templates, Diagnostics& diagnostics) {
  Expander expander(templates, diagnostics);
  for (const auto& source : documents)
    if (source.document.IsMap() && scalarOf(source.document, "kind") == "ConfigTemplate") expander.addTemplate(source);
  std::vector<SourceDocument> result;
  for (const auto& source : documents) {
    if (source.document.IsMap() && scalarOf(source.document, "kind") == "ConfigTemplate") continue;
    if (isRenderDocument(source.document)) {
      expander.render(source, result);
      continue;
    }
    result.push_back(source);
  }
  return result;
}

}  // namespace gardensync::config
