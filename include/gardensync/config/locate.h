// Where a key of an action is written, found again in its file: for problems that show up only
// when the config is used (a host port Docker refuses), so the message can point at the line.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "gardensync/config/model.h"

namespace gardensync::config {

// The position of the first of `keyPaths` ("spec.ports[0].hostPort") written in the action's
// document, its file shown relative to `projectRoot`; nullopt when none is (the file changed
// since it was loaded, or cannot be read).
std::optional<Position> locateActionKey(const Action& action, const std::vector<std::string>& keyPaths,
                                        const std::filesystem::path& projectRoot);

}  // namespace gardensync::config
