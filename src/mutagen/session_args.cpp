#include "gardensync/mutagen/session_args.h"

#include "gardensync/util/text.h"

namespace gardensync::mutagen {

std::vector<std::string> createArgs(const sync::PlannedSession& session) {
  // --no-global-configuration: a user's ~/.mutagen.yml must not change what the plan says.
  std::vector<std::string> args{"sync", "create", "--no-global-configuration", "--name", session.name};
  for (const auto& [key, value] : session.labels) args.insert(args.end(), {"--label", key + "=" + value});
  args.insert(args.end(), {"--mode", session.mode});
  for (const auto& pattern : session.ignore) args.insert(args.end(), {"--ignore", util::csvField(pattern)});
  // Ownership and permissions belong to the container side: beta, or alpha in the reverse modes.
  const std::string side = session.containerIsAlpha ? "-alpha" : "-beta";
  if (session.defaultOwner) args.insert(args.end(), {"--default-owner" + side, *session.defaultOwner});
  if (session.defaultGroup) args.insert(args.end(), {"--default-group" + side, *session.defaultGroup});
  if (session.defaultFileMode) args.insert(args.end(), {"--default-file-mode" + side, *session.defaultFileMode});
  if (session.defaultDirectoryMode)
    args.insert(args.end(), {"--default-directory-mode" + side, *session.defaultDirectoryMode});
  const std::string localSide = session.containerIsAlpha ? "-beta" : "-alpha";
  if (session.localFileMode) args.insert(args.end(), {"--default-file-mode" + localSide, *session.localFileMode});
  if (session.localDirectoryMode)
    args.insert(args.end(), {"--default-directory-mode" + localSide, *session.localDirectoryMode});
  // With gardensync's watcher, Mutagen runs a cycle only when asked (`sync flush`), so a change
  // reaches it whole once the folder is quiet: Mutagen's own Linux watching rescans every 10 s
  // and could scan a half-done `rm -rf`, propagating its first half before the root-emptied
  // check can halt the session. In the one-way modes the container side's changes never travel,
  // so Mutagen need not watch it either; in the two-way modes it must (container -> local).
  if (session.localWatcher) {
    args.insert(args.end(), {"--watch-mode-alpha", "no-watch"});
    if (session.mode == "one-way-safe" || session.mode == "one-way-replica")
      args.insert(args.end(), {"--watch-mode-beta", "no-watch"});
  }
  args.push_back(session.alpha);
  args.push_back(session.beta);
  return args;
}

std::string labelSelector(const std::vector<std::pair<std::string, std::string>>& labels) {
  std::string selector;
  for (const auto& [key, value] : labels) selector += (selector.empty() ? "" : ",") + key + "=" + value;
  return selector;
}

}  // namespace gardensync::mutagen
