// Gets the project's Mutagen ready for a command: installs the pinned binary (with progress),
// prepares the project's data directory and links, and starts the daemon when asked.
#pragma once

#include <memory>

#include "gardensync/cli/context.h"
#include "gardensync/mutagen/data_dir.h"
#include "gardensync/mutagen/installer.h"
#include "gardensync/mutagen/mutagen_cli.h"

namespace gardensync::cli {

struct Engine {
  mutagen::MutagenTool tool;
  mutagen::PreparedDataDir dataDir;
  std::unique_ptr<mutagen::MutagenCli> mutagen;
};

Engine openEngine(Context& context, bool startDaemon);

// The user's home folder, where the data directories live; throws Error when there is none.
std::filesystem::path requireHome();

}  // namespace gardensync::cli
