#include "gardensync/mutagen/session_status.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gardensync/util/error.h"

namespace gardensync::mutagen {

namespace {

using nlohmann::json;

std::string text(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

uint64_t number(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_number_unsigned() ? it->get<uint64_t>()
         : it != object.end() && it->is_number_integer() ? static_cast<uint64_t>(std::max<int64_t>(0, it->get<int64_t>()))
                                                          : 0;
}

bool flag(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

std::vector<Problem> problems(const json& object, const char* key) {
  std::vector<Problem> list;
  auto it = object.find(key);
  if (it == object.end() || !it->is_array()) return list;
  for (const auto& item : *it) list.push_back({text(item, "path"), text(item, "error")});
  return list;
}

// Mutagen's entry kinds: an absent entry is null/omitted.
std::string entryKind(const json& change, const char* key) {
  auto it = change.find(key);
  if (it == change.end() || !it->is_object()) return "";
  std::string kind = text(*it, "kind");
  return kind.empty() ? "directory" : kind;  // kind 0 (directory) is omitted as a zero value
}

std::vector<ConflictChange> changes(const json& conflict, const char* key) {
  std::vector<ConflictChange> list;
  auto it = conflict.find(key);
  if (it == conflict.end() || !it->is_array()) return list;
  for (const auto& change : *it) list.push_back({text(change, "path"), entryKind(change, "old"), entryKind(change, "new")});
  return list;
}

EndpointStatus endpoint(const json& object) {
  EndpointStatus state;
  if (!object.is_object()) return state;
  state.protocol = text(object, "protocol");
  state.host = text(object, "host");
  state.path = text(object, "path");
  state.connected = flag(object, "connected");
  state.scanned = flag(object, "scanned");
  state.directories = number(object, "directories");
  state.files = number(object, "files");
  state.totalFileSize = number(object, "totalFileSize");
  state.scanProblems = problems(object, "scanProblems");
  state.transitionProblems = problems(object, "transitionProblems");
  if (auto it = object.find("watch"); it != object.end() && it->is_object()) state.watchMode = text(*it, "mode");
  if (auto it = object.find("stagingProgress"); it != object.end() && it->is_object()) {
    state.stagedFiles = number(*it, "receivedFiles");
    state.totalStageFiles = number(*it, "expectedFiles");
    state.stagedBytes = number(*it, "totalReceivedSize");
  }
  return state;
}

}  // namespace

std::vector<SessionStatus> parseSessionList(std::string_view input) {
  json document;
  try {
    document = json::parse(input);
  } catch (const json::exception& e) {  // a syntax error, or a number out of range such as 1e999
    throw Error(fmt::format("cannot parse Mutagen's session list: {}", e.what()),
                "run `gardensync util mutagen sync list` to see what Mutagen reports");
  }
  if (document.is_null()) return {};
  if (!document.is_array()) throw Error("cannot parse Mutagen's session list: expected a JSON array");
  std::vector<SessionStatus> sessions;
  for (const auto& item : document) {
    if (!item.is_object()) throw Error("cannot parse Mutagen's session list: expected a JSON object per session");
    SessionStatus session;
    session.identifier = text(item, "identifier");
    session.name = text(item, "name");
    if (auto it = item.find("labels"); it != item.end() && it->is_object())
      for (const auto& [key, value] : it->items())
        if (value.is_string()) session.labels[key] = value.get<std::string>();
    session.mode = text(item, "mode");
    session.paused = flag(item, "paused");
    session.status = text(item, "status");
    session.lastError = text(item, "lastError");
    session.successfulCycles = number(item, "successfulCycles");
    session.alpha = endpoint(item.value("alpha", json::object()));
    session.beta = endpoint(item.value("beta", json::object()));
    if (auto it = item.find("conflicts"); it != item.end() && it->is_array())
      for (const auto& conflict : *it)
        session.conflicts.push_back({text(conflict, "root"), changes(conflict, "alphaChanges"), changes(conflict, "betaChanges")});
    session.excludedConflicts = number(item, "excludedConflicts");
    if (auto it = item.find("ignore"); it != item.end() && it->is_object())
      if (auto paths = it->find("paths"); paths != it->end() && paths->is_array())
        for (const auto& path : *paths)
          if (path.is_string()) session.ignores.push_back(path.get<std::string>());
    sessions.push_back(std::move(session));
  }
  return sessions;
}

std::string SessionStatus::label(const std::string& key) const {
  auto it = labels.find(key);
  return it == labels.end() ? std::string() : it->second;
}

bool isSynced(const SessionStatus& session) {
  return session.status == "watching" && session.successfulCycles > 0 && session.alpha.connected &&
         session.beta.connected;
}

bool isHalted(const SessionStatus& session) { return session.status.starts_with("halted-"); }

std::string haltAdvice(const SessionStatus& session) {
  if (session.status == "halted-on-root-emptied")
    return "one side's folder became empty while the other still has files; Mutagen stopped instead of "
           "deleting everything. Restore the files, then run `gardensync sync restart`";
  if (session.status == "halted-on-root-deletion")
    return "one side's folder was deleted; Mutagen stopped instead of deleting the other side. Recreate it, "
           "then run `gardensync sync restart`";
  if (session.status == "halted-on-root-type-change")
    return "one side's root changed type (file vs folder); fix it, then run `gardensync sync restart`";
  return "";
}

}  // namespace gardensync::mutagen
