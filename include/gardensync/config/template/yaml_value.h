// Template values to and from YAML. Scalars are typed by YAML 1.2's core schema, as Garden's YAML
// parser reads them: plain `8080` is a number, `true` a boolean, `~` null, and anything quoted a
// string. yamlEncode writes YAML as Garden's yamlEncode helper does (js-yaml's dump).
#pragma once

#include <string>

#include <yaml-cpp/yaml.h>

#include "gardensync/config/template/value.h"

namespace gardensync::config::tmpl {

enum class NumberSpelling {
  // Every number YAML 1.2 knows: 0x1f and 0o17 too (yamlDecode).
  Typed,
  // Numbers whose spelling carries meaning stay text: `0644`, `0o600` and `0x1f` remain strings,
  // so `${var.mode}` gives back the permission bits as written, not a decimal (config files).
  KeepUnusual,
};

Value yamlToValue(const YAML::Node& node, NumberSpelling spelling = NumberSpelling::KeepUnusual);

// The type of one plain (unquoted) scalar.
Value plainScalarValue(const std::string& text, NumberSpelling spelling = NumberSpelling::KeepUnusual);

// Fresh YAML nodes holding `value` (numbers and booleans as their text).
YAML::Node valueToYaml(const Value& value);

// js-yaml's block style: "my: simple document\n", lists as "- a\n", nested collections indented
// by two spaces, strings quoted only where YAML would read them otherwise.
std::string yamlEncode(const Value& value);

}  // namespace gardensync::config::tmpl
