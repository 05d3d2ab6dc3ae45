#include "gardensync/mutagen/sessions.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "gardensync/mutagen/session_args.h"
#include "gardensync/util/error.h"
#include "gardensync/util/text.h"

namespace gardensync::mutagen {

using namespace std::chrono_literals;

namespace {

std::vector<std::string> withIds(std::vector<std::string> args, const std::vector<std::string>& identifiers) {
  args.insert(args.end(), identifiers.begin(), identifiers.end());
  return args;
}

// Mutagen 0.18.1's daemon sends a new prompter's identifier before it registers the prompter,
// so a create that reaches the agent connection first fails with "prompter not found" (seen on
// a loaded machine). Nothing was created then: trying again is safe.
constexpr int kPrompterAttempts = 3;

bool lostThePrompterRace(const ToolError& error) {
  return error.stderrText().find("prompter not found") != std::string::npos;
}

}  // namespace

std::string projectSelector(const std::string& project, const std::string& deploy) {
  std::vector<std::pair<std::string, std::string>> labels{{sync::kProjectLabel, project}};
  if (!deploy.empty()) labels.emplace_back(sync::kDeployLabel, deploy);
  return labelSelector(labels);
}

std::vector<SessionStatus> SessionClient::list(const std::string& selector) const {
  std::vector<std::string> args{"sync", "list", "--template", "{{ json . }}"};
  if (!selector.empty()) args.insert(args.end(), {"--label-selector", selector});
  return parseSessionList(cli_.run(args, 30s, "mutagen sync list").stdoutText);
}

std::string SessionClient::create(const sync::PlannedSession& session,
                                  const std::function<void(std::string_view)>& onOutput) const {
  std::vector<std::string> argv{cli_.binary().string()};
  const auto args = createArgs(session);
  argv.insert(argv.end(), args.begin(), args.end());
  util::ProcessOptions options;
  options.environment = cli_.environment();
  options.timeout = 3min;  // the first session per container installs Mutagen's agent
  options.onStdout = onOutput;
  util::ProcessResult result;
  for (int attempt = 1;; ++attempt) {
    try {
      result = cli_.runner().runChecked(argv, options, "creating sync session " + session.name);
      break;
    } catch (const ToolError& e) {
      if (isDaemonLoss(e)) throw daemonLossError("creating sync session " + session.name);
      if (attempt < kPrompterAttempts && lostThePrompterRace(e)) continue;
      throw;
    }
  }
  // Mutagen prints progress lines ending in \r, then "Created session sync_...".
  const std::string marker = "Created session ";
  const size_t at = result.stdoutText.rfind(marker);
  if (at == std::string::npos)
    throw ToolError(fmt::format("creating sync session {}: Mutagen did not say which session it created",
                                session.name),
                    util::formatCommand(argv), util::trimEnd(result.stdoutText));
  std::string id = result.stdoutText.substr(at + marker.size());
  id.erase(std::find_if(id.begin(), id.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); }), id.end());
  return id;
}

void SessionClient::terminate(const std::vector<std::string>& identifiers) const {
  if (identifiers.empty()) return;
  cli_.run(withIds({"sync", "terminate"}, identifiers), 60s, "mutagen sync terminate");
}

void SessionClient::flush(const std::vector<std::string>& identifiers, std::chrono::seconds timeout) const {
  if (identifiers.empty()) return;
  cli_.run(withIds({"sync", "flush"}, identifiers), timeout, "mutagen sync flush");
}

void SessionClient::requestFlush(const std::vector<std::string>& identifiers) const {
  if (identifiers.empty()) return;
  cli_.run(withIds({"sync", "flush", "--skip-wait"}, identifiers), 30s, "mutagen sync flush");
}

void SessionClient::pause(const std::vector<std::string>& identifiers) const {
  if (identifiers.empty()) return;
  cli_.run(withIds({"sync", "pause"}, identifiers), 60s, "mutagen sync pause");
}

void SessionClient::resume(const std::vector<std::string>& identifiers) const {
  if (identifiers.empty()) return;
  for (int attempt = 1;; ++attempt) {  // a resume reconnects through a prompter too
    try {
      cli_.run(withIds({"sync", "resume"}, identifiers), 60s, "mutagen sync resume");
      return;
    } catch (const ToolError& e) {
      if (attempt >= kPrompterAttempts || !lostThePrompterRace(e)) throw;
    }
  }
}

void SessionClient::reset(const std::vector<std::string>& identifiers) const {
  if (identifiers.empty()) return;
  cli_.run(withIds({"sync", "reset"}, identifiers), 60s, "mutagen sync reset");
}

SessionChanges diffSessions(const std::vector<SessionStatus>& existing, const std::vector<sync::PlannedSession>& planned,
                            const std::string& project, const std::vector<std::string>& deploys) {
  SessionChanges changes;
  std::set<std::string> kept;  // names already matched by one running session
  for (const auto& session : existing) {
    if (session.label(sync::kProjectLabel) != project) continue;
    if (std::find(deploys.begin(), deploys.end(), session.label(sync::kDeployLabel)) == deploys.end()) continue;
    auto match = std::find_if(planned.begin(), planned.end(), [&](const sync::PlannedSession& p) {
      return p.name == session.name && p.labels.at(sync::kSpecHashLabel) == session.label(sync::kSpecHashLabel);
    });
    if (match != planned.end() && kept.insert(session.name).second) {  // first match wins
      changes.unchangedIds.push_back(session.identifier);
      continue;
    }
    changes.terminate.push_back(session.identifier);
  }
  for (const auto& session : planned) {
    if (kept.count(session.name)) changes.unchanged.push_back(session.name);
    else changes.create.push_back(session);
  }
  return changes;
}

}  // namespace gardensync::mutagen
