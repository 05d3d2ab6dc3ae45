// Parses one `kind: Build` or `kind: Deploy` document into an Action.
#pragma once

#include <filesystem>
#include <optional>

#include <yaml-cpp/yaml.h>

#include "gardensync/config/model.h"
#include "gardensync/config/yaml_reader.h"

namespace gardensync::config {

// Garden's identifier rule for project, action and environment names: lowercase letters, digits
// and single dashes, starting with a letter, at most 63 characters (they become labels).
bool isValidIdentifier(std::string_view name);

// `doc` is a mapping whose `kind` is Build or Deploy. Errors go to the reader's diagnostics.
std::optional<Action> parseAction(YamlReader& reader, const YAML::Node& doc,
                                  const std::filesystem::path& file,
                                  const std::filesystem::path& projectRoot);

}  // namespace gardensync::config
