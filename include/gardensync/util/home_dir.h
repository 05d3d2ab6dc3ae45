// The user's home folder: $HOME, else the password database (HOME can be missing under cron or
// systemd).
#pragma once

#include <filesystem>
#include <optional>

namespace gardensync::util {

std::optional<std::filesystem::path> homeDirectory();

}  // namespace gardensync::util
