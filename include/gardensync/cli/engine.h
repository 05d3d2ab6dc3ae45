// Gets the project's Mutagen ready for a command: installs the pinned binary (with progress),
// prepares the project's data directory and links, writes what the provider's sync transport
// needs into it, and starts the daemon (with the transport's environment) when asked.
#pragma once

#include <memory>
#include <optional>

#include "gardensync/cli/context.h"
#include "gardensync/mutagen/data_dir.h"
#include "gardensync/mutagen/installer.h"
#include "gardensync/mutagen/mutagen_cli.h"
#include "gardensync/providers/provider.h"

namespace gardensync::cli {

struct Engine {
  mutagen::MutagenTool tool;
  mutagen::PreparedDataDir dataDir;
  std::unique_ptr<mutagen::MutagenCli> mutagen;
  providers::TransportContext transport;
};

// When the project's config loads, its provider prepares the transport and the daemon gets the
// environment it asks for; otherwise (a broken config file) the daemon is used as it runs. With
// the daemon started, the file watcher is started too when sessions rely on it and it does not
// run (it died, or the daemon was stopped), unless `reviveWatcher` is false (a command about to
// stop sessions).
Engine openEngine(Context& context, bool startDaemon, bool reviveWatcher = true);

// The user's home folder, where the data directories live; throws Error when there is none.
std::filesystem::path requireHome();

}  // namespace gardensync::cli
