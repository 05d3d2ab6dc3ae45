// Following a project's syncs after `deploy --sync`, or with `sync status --watch`: one event per
// thing that happens (docs/status-json.md#events), as lines for people on stderr or as JSON Lines
// on stdout. Woken by Mutagen's own monitoring (mutagen::SessionMonitor) rather than by polling;
// the local folders are watched too, so that events name the files that moved and the direction.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "gardensync/mutagen/mutagen_cli.h"
#include "gardensync/sync/sync_events.h"

namespace gardensync::cli {

struct FollowOptions {
  std::vector<std::string> deploys;  // only these Deploys' sessions; all of the project's when empty
  bool jsonLines = false;            // one JSON object per event on stdout
  // Sees every event once it is printed (after-sync actions), and may report events of its own
  // through `emit`.
  std::function<void(const sync::SyncEvent& event, const std::function<void(const sync::SyncEvent&)>& emit)> onEvent;
  // Called at least every 250 ms while following.
  std::function<void()> onTick;
};

// Follows until Ctrl-C or SIGTERM, or until none of the sessions is left (stopped from another
// terminal, `cleanup deploy`), and says which with a last `ended` event. The syncs keep running.
void followSessions(const mutagen::MutagenCli& cli, const std::string& project, const FollowOptions& options);

}  // namespace gardensync::cli
