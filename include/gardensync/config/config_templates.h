// Garden's ConfigTemplate and RenderTemplate kinds (0.13/0.14, docs/config-guides/config-templates):
// a ConfigTemplate holds action configs (`configs`) and optionally a JSON Schema for its inputs
// (`inputsSchemaPath`); each RenderTemplate names a template, gives `inputs` (and a `matrix` of
// them) and gets one copy of every config, in which `${inputs.*}`, `${parent.name}` (the
// RenderTemplate's name) and `${template.name}` resolve. The copies count as written in the
// RenderTemplate's file, in its folder (or the config's `path` below it, as a `source.path`);
// their positions are in the ConfigTemplate's file, where they are written. A 0.12 `kind: Module, type: templated` renders
// the same way.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "gardensync/config/template.h"
#include "gardensync/config/yaml_reader.h"

namespace gardensync::config {

// One document of the project, as the loader reads it.
struct SourceDocument {
  YAML::Node document;
  std::filesystem::path file;  // the file it counts as written in: relative paths resolve against its folder
  std::string display;         // the file its positions are in, as errors show it
  size_t index = 0;            // its place among the documents of that file
  // For a config rendered from a ConfigTemplate: {inputs, parent: {name}, template: {name}}.
  tmpl::Value rendered = nullptr;
  // Nodes the loader made (a converted Module's action), each with the written node it stands for.
  std::vector<std::pair<YAML::Node, YAML::Node>> origins = {};
};

// Replaces the ConfigTemplates and RenderTemplates (and templated Modules) among `documents` by the
// configs they render, in place of each RenderTemplate; other documents stay as they are. Names,
// kinds and types of the rendered configs are resolved (they identify the actions); the rest is
// resolved with the other actions, with `rendered` in scope. Errors go to `diagnostics`.
std::vector<SourceDocument> expandConfigTemplates(const std::vector<SourceDocument>& documents,
                                                  const TemplateContext& templates, Diagnostics& diagnostics);

}  // namespace gardensync::config
