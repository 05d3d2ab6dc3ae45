// The inputs schema of a ConfigTemplate (`inputsSchemaPath`, a JSON Schema file): checks the
// `inputs` of a RenderTemplate against it and fills in `default` values, as Garden does with ajv
// (`useDefaults`). The keywords Garden's examples and users rely on are supported: type (one or a
// list), properties, required, default, additionalProperties (boolean or schema), items, enum,
// const, minimum, maximum, exclusiveMinimum, exclusiveMaximum, minLength, maxLength, pattern,
// minItems, maxItems. Others are ignored. Pure.
#pragma once

#include <string>
#include <vector>

#include "gardensync/config/template/value.h"

namespace gardensync::config {

struct SchemaIssue {
  std::vector<tmpl::Value> path;  // keys below `inputs` ("port", 0, ...); empty: inputs itself
  std::string message;            // "must be an integer, got \"x\""
};

// Checks `schema` itself: a mapping with `type: object` (or no type). Returns the problem, or "".
std::string checkInputsSchema(const tmpl::Value& schema);

// Validates `inputs` against `schema`, filling in defaults; returns every problem found.
std::vector<SchemaIssue> applyInputsSchema(const tmpl::Value& schema, tmpl::Value& inputs);

}  // namespace gardensync::config
