// A JSON Schema (draft 2020-12 keywords that draft-07 validators also read) for the documents of
// project and action files, for editors (yaml-language-server's `# yaml-language-server:
// $schema=...`, VS Code's yaml.schemas). It says what gardensync reads and is as strict as
// `validate` where gardensync is (sync settings, modes, keys in the wrong place), and leaves
// the rest of Garden's keys open, so a Garden project still validates. Values may be
// `${...}` templates wherever a number or a mode goes.
#pragma once

#include <nlohmann/json.hpp>

namespace gardensync::config {

// One schema for any document: it dispatches on `kind` (Project, Build, Deploy; Garden's other
// kinds are accepted as they are).
nlohmann::json configJsonSchema();

}  // namespace gardensync::config
