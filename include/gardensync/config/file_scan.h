// Finds the action files of a project: every `garden.yml` and `*.garden.yml` below the root,
// skipping `.garden/`, `.git/`, `node_modules/` and the project's `scan.exclude` globs.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace gardensync::config {

// Sorted, absolute paths.
std::vector<std::filesystem::path> findConfigFiles(const std::filesystem::path& root,
                                                   const std::vector<std::string>& excludeGlobs);

// Glob match on '/'-separated relative paths: `*` and `?` stay within a segment, `**` spans
// segments. A pattern also matches every path below a matching folder.
bool globMatch(std::string_view pattern, std::string_view path);

// garden.yml, garden.yaml, *.garden.yml, *.garden.yaml: the files Garden reads actions from.
bool isConfigFileName(std::string_view name);

// Where a project's `kind: Project` document may be, in the order they are looked for.
inline constexpr const char* kProjectFileNames[] = {"project.garden.yml", "project.garden.yaml", "garden.yml",
                                                    "garden.yaml"};

}  // namespace gardensync::config
