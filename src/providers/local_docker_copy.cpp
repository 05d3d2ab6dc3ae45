// LocalDockerProvider::copyInitialFiles: the first sync of new sessions into empty container
// folders as one `docker cp -a -` stream each (providers/initial_copy.h decides what goes in).
#include <algorithm>
#include <chrono>
#include <map>

#include <fmt/format.h>

#include "gardensync/providers/container_spec.h"
#include "gardensync/providers/local_docker.h"
#include "gardensync/util/error.h"
#include "gardensync/util/parallel.h"
#include "gardensync/util/process.h"
#include "gardensync/util/termination.h"
#include "gardensync/util/text.h"

namespace gardensync::providers {

namespace {

struct Candidate {
  const sync::PlannedSession* session = nullptr;
  std::string container;
  std::string path;  // the container folder, without a trailing `/`
  std::vector<LocalEntry> entries;
  TargetAnswer answer;
};

bool inside(const std::string& path, const std::string& folder) {
  return path == folder || folder == "/" || (path.starts_with(folder) && path[folder.size()] == '/');
}

// Whether the Engine's API shows one of the first few top-level names of the local tree in the
// candidate's container folder (a stat each, nothing run in the container).
bool holdsOneOf(const DockerCli& docker, const Candidate& candidate) {
  constexpr size_t kNamesTried = 3;
  std::vector<std::string> names;
  for (const auto& entry : candidate.entries) {
    const std::string top = entry.path.substr(0, entry.path.find('/'));
    if (std::find(names.begin(), names.end(), top) != names.end()) continue;
    const auto exists = docker.pathExists(candidate.container, candidate.path + "/" + top);
    if (!exists) return false;  // the API is not open: the look inside tells
    if (*exists) return true;
    names.push_back(top);
    if (names.size() == kNamesTried) return false;
  }
  return false;
}

std::string megabytes(std::uint64_t bytes) { return fmt::format("{:.1f} MB", static_cast<double>(bytes) / 1e6); }

// Removes `paths` (relative to `root`) in the container, a few hundred per `docker exec`.
void removeIn(const DockerCli& docker, const std::string& container, const std::string& root,
              const std::vector<std::string>& paths) {
  constexpr size_t kPerCall = 500;
  for (size_t from = 0; from < paths.size(); from += kPerCall) {
    std::vector<std::string> command{"sh", "-c", "cd \"$1\" && shift && rm -rf -- \"$@\"", "sh", root};
    const auto end = paths.begin() + static_cast<long>(std::min(paths.size(), from + kPerCall));
    command.insert(command.end(), paths.begin() + static_cast<long>(from), end);
    const auto result = docker.exec(container, command, std::chrono::seconds(120));
    if (!result.ok())
      throw ToolError(fmt::format("cannot remove files gardensync copied into {}:{}", container, root),
                      util::formatCommand(DockerCli::execArgv(container, {"sh", "-c", "rm -rf ..."}, false)),
                      result.stderrText);
  }
}

}  // namespace

std::vector<InitialCopy> LocalDockerProvider::copyInitialFiles(const std::vector<sync::PlannedSession>& fresh,
                                                               const StatusFunction& onStatus) const {
  std::vector<InitialCopy> copies;
  if (!initialCopyWanted()) return copies;
  std::vector<Candidate> candidates;
  for (const auto& session : fresh) {
    if (!copiesIntoContainer(session)) continue;
    candidates.push_back({&session, containerName(config_.project.name, session.deploy), containerFolder(session), {}, {}});
  }
  // Two new sessions in one folder tree of a container would each copy into the other's.
  std::vector<Candidate> separate;
  for (const auto& candidate : candidates) {
    const bool overlaps = std::any_of(candidates.begin(), candidates.end(), [&](const Candidate& other) {
      return &other != &candidate && other.container == candidate.container &&
             (inside(other.path, candidate.path) || inside(candidate.path, other.path));
    });
    if (overlaps) continue;
    Candidate kept = candidate;
    kept.entries = scanLocalTree(kept.session->localPath, sync::IgnoreMatcher(kept.session->ignore));
    if (!kept.entries.empty()) separate.push_back(std::move(kept));
  }
  if (separate.empty()) return copies;

  // A folder that holds anything is left to Mutagen. Where the Engine's API shows one of the
  // local tree's top-level names in it, it does, and nothing needs to run in the container (the
  // usual case when syncs start again); every other folder (absent, empty, holding other names,
  // or the API closed) is looked at with one `docker exec` per container, containers side by
  // side, which also checks that the container can host Mutagen's agent.
  std::map<std::string, std::vector<Candidate*>> byContainer;
  for (auto& candidate : separate) {
    if (holdsOneOf(docker_, candidate)) candidate.answer.state = TargetState::NotEmpty;
    else byContainer[candidate.container].push_back(&candidate);
  }
  std::vector<std::pair<std::string, std::vector<Candidate*>>> groups(byContainer.begin(), byContainer.end());
  util::runAllInParallel(groups.size(), kParallelContainerChecks, [&](size_t i) {
    const auto& [container, itsCandidates] = groups[i];
    std::vector<TargetQuestion> questions;
    for (const Candidate* candidate : itsCandidates) questions.push_back(targetQuestion(*candidate->session));
    const auto answers = probeContainer(container, *itsCandidates.front()->session, questions);
    for (size_t k = 0; k < itsCandidates.size(); ++k) itsCandidates[k]->answer = answers[k];
  });

  for (const auto& candidate : separate) {
    const sync::PlannedSession& session = *candidate.session;
    const TargetAnswer& answer = candidate.answer;
    if (answer.state != TargetState::Absent && answer.state != TargetState::Empty) continue;
    if (!answer.ownership) continue;  // an owner or group name the container does not know: Mutagen says so
    // Mutagen's agent runs as the container's user; only as root can it give files to another.
    if ((session.defaultOwner || session.defaultGroup) && !answer.runsAsRoot) continue;
    const auto ownership = withSessionModes(*answer.ownership, session);
    if (!ownership) continue;

    const bool createRoot = answer.state == TargetState::Absent;
    const std::string parent = candidate.path.substr(0, candidate.path.rfind('/'));
    const std::string folder = createRoot ? (parent.empty() ? "/" : parent) : candidate.path;
    const std::string prefix = createRoot ? candidate.path.substr(candidate.path.rfind('/') + 1) + "/" : "";
    size_t totalFiles = 0;
    std::uint64_t totalBytes = 0;
    std::vector<std::string> topLevel;  // what an interrupted copy into the existing folder made
    for (const auto& entry : candidate.entries) {
      if (entry.type == util::TarHeader::Type::File) ++totalFiles, totalBytes += entry.size;
      if (entry.path.find('/') == std::string::npos) topLevel.push_back(entry.path);
    }

    InitialCopy copy;
    copy.session = session.name;
    copy.where = candidate.container + ":" + candidate.path;
    copy.localRoot = session.localPath;
    const std::string container = candidate.container;
    const std::string root = candidate.path;
    const DockerCli& docker = docker_;
    copy.removeInContainer = [&docker, container, root](const std::vector<std::string>& paths) {
      removeIn(docker, container, root, paths);
    };
    auto undo = [&] {
      if (createRoot) removeIn(docker_, container, folder, {prefix.substr(0, prefix.size() - 1)});
      else removeIn(docker_, container, root, topLevel);
    };

    TarStream stream(session.localPath, candidate.entries, *ownership, prefix, createRoot);
    const auto started = std::chrono::steady_clock::now();
    util::ProcessResult result;
    try {
      result = docker_.copyInto(container, folder, [&] {
        std::string chunk = stream.next();
        onStatus(fmt::format("copying {} into {} ({} of {} files, {} of {})", session.name, copy.where,
                             stream.filesDone(), totalFiles, megabytes(stream.bytesRead()), megabytes(totalBytes)));
        return chunk;
      });
    } catch (const util::Interrupted&) {
      throw;  // gardensync stops at once: what was copied stays, and the next deploy leaves it to Mutagen
    } catch (...) {  // what is half copied must not become a conflict in Mutagen's first cycle
      try {
        undo();
      } catch (const std::exception&) {
      }
      throw;
    }
    copy.took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    copy.bytes = stream.bytesRead();
    if (result.ok()) {
      copy.files = stream.copied();
    } else {
      copy.failure = fmt::format("{} failed: {}", util::formatCommand(DockerCli::copyIntoArgv(container, folder)),
                                 util::trimEnd(result.stderrText));
      try {
        undo();
      } catch (const Error& e) {
        copy.failure += fmt::format("; removing what it copied failed too: {}", e.what());
      }
    }
    copies.push_back(std::move(copy));
  }
  return copies;
}

}  // namespace gardensync::providers
