#include "gardensync/ui/session_view.h"

#include <fmt/format.h>

#include "gardensync/sync/plan.h"
#include "gardensync/ui/output.h"
#include "gardensync/ui/progress.h"

namespace gardensync::ui {

namespace {

std::string endpointText(const mutagen::EndpointStatus& endpoint) {
  if (endpoint.protocol == "docker") return fmt::format("docker://{}{}", endpoint.host, endpoint.path);
  if (endpoint.protocol == "local" || endpoint.protocol.empty()) return endpoint.path;
  return fmt::format("{}://{}{}", endpoint.protocol, endpoint.host, endpoint.path);
}

nlohmann::json changesJson(const std::vector<mutagen::ConflictChange>& changes) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& change : changes)
    list.push_back({{"path", change.path}, {"old", change.oldEntry.empty() ? nlohmann::json(nullptr) : nlohmann::json(change.oldEntry)},
                    {"new", change.newEntry.empty() ? nlohmann::json(nullptr) : nlohmann::json(change.newEntry)}});
  return list;
}

void addProblems(nlohmann::json& list, const char* side, const mutagen::EndpointStatus& endpoint) {
  for (const auto& p : endpoint.scanProblems) list.push_back({{"side", side}, {"kind", "scan"}, {"path", p.path}, {"error", p.error}});
  for (const auto& p : endpoint.transitionProblems)
    list.push_back({{"side", side}, {"kind", "transition"}, {"path", p.path}, {"error", p.error}});
}

std::string describeChange(const nlohmann::json& change) {
  const bool hadOld = !change["old"].is_null(), hasNew = !change["new"].is_null();
  if (hadOld && hasNew) return fmt::format("modified {}", change["new"].get<std::string>());
  if (hasNew) return fmt::format("created {}", change["new"].get<std::string>());
  if (hadOld) return fmt::format("deleted {}", change["old"].get<std::string>());
  return "changed";
}

}  // namespace

SessionView viewOf(const mutagen::SessionStatus& session) {
  SessionView view;
  view.deploy = session.label(sync::kDeployLabel);
  view.name = session.name;
  view.identifier = session.identifier;
  view.gardenMode = session.label(sync::kGardenModeLabel);
  view.localWatcher = session.label(sync::kWatcherLabel) == "on" && session.alpha.protocol == "local";
  view.mode = session.mode;
  const bool containerIsAlpha = view.gardenMode == "one-way-reverse" || view.gardenMode == "one-way-replica-reverse";
  const auto& local = containerIsAlpha ? session.beta : session.alpha;
  const auto& container = containerIsAlpha ? session.alpha : session.beta;
  view.source = endpointText(local);
  view.target = endpointText(container);
  view.state = session.paused ? "paused" : session.status.empty() ? "disconnected" : session.status;
  view.paused = session.paused;
  view.successfulCycles = session.successfulCycles;
  view.lastError = session.lastError;
  view.files = local.files;
  view.directories = local.directories;
  view.bytes = local.totalFileSize;
  for (const auto& conflict : session.conflicts) {
    const auto& sourceChanges = containerIsAlpha ? conflict.betaChanges : conflict.alphaChanges;
    const auto& targetChanges = containerIsAlpha ? conflict.alphaChanges : conflict.betaChanges;
    view.conflicts.push_back({{"root", conflict.root},
                              {"sourceChanges", changesJson(sourceChanges)},
                              {"targetChanges", changesJson(targetChanges)}});
  }
  addProblems(view.problems, "source", local);
  addProblems(view.problems, "target", container);
  return view;
}

nlohmann::json toJson(const SessionView& view) {
  return {{"deploy", view.deploy},
          {"name", view.name},
          {"identifier", view.identifier},
          {"source", view.source},
          {"target", view.target},
          {"gardenMode", view.gardenMode},
          {"mode", view.mode},
          {"state", view.state},
          {"paused", view.paused},
          {"localWatcher", view.localWatcher},
          {"successfulCycles", view.successfulCycles},
          {"lastError", view.lastError.empty() ? nlohmann::json(nullptr) : nlohmann::json(view.lastError)},
          {"files", view.files},
          {"directories", view.directories},
          {"bytes", view.bytes},
          {"conflicts", view.conflicts},
          {"problems", view.problems}};
}

std::string statusTable(const std::vector<SessionView>& views) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& v : views) {
    std::string notes;
    if (!v.conflicts.empty()) notes += fmt::format("{} conflict(s) ", v.conflicts.size());
    if (!v.problems.empty()) notes += fmt::format("{} problem(s) ", v.problems.size());
    if (!v.lastError.empty()) notes += "error: " + v.lastError;
    rows.push_back({v.deploy, v.name, v.source, v.target, v.gardenMode, v.state,
                    fmt::format("{} files, {}", v.files, formatBytes(v.bytes)), notes.empty() ? "-" : notes});
  }
  return formatTable({"DEPLOY", "SESSION", "SOURCE", "TARGET", "MODE", "STATE", "CONTENT", "NOTES"}, rows);
}

std::vector<std::string> describeConflicts(const SessionView& view) {
  std::vector<std::string> lines;
  for (const auto& conflict : view.conflicts) {
    std::string source, target;
    for (const auto& change : conflict["sourceChanges"])
      source += (source.empty() ? "" : "; ") + fmt::format("{} {}", describeChange(change), change["path"].get<std::string>());
    for (const auto& change : conflict["targetChanges"])
      target += (target.empty() ? "" : "; ") + fmt::format("{} {}", describeChange(change), change["path"].get<std::string>());
    lines.push_back(fmt::format("{}: conflict at {}: source (local) {}, target (container) {}; neither side was "
                                "overwritten — resolve by editing or deleting one side",
                                view.name, conflict["root"].get<std::string>(), source.empty() ? "-" : source,
                                target.empty() ? "-" : target));
  }
  return lines;
}

std::vector<std::string> describeProblems(const SessionView& view) {
  std::vector<std::string> lines;
  for (const auto& problem : view.problems)
    lines.push_back(fmt::format("{}: {} problem on the {} side at {}: {}", view.name, problem["kind"].get<std::string>(),
                                problem["side"].get<std::string>(), problem["path"].get<std::string>(),
                                problem["error"].get<std::string>()));
  return lines;
}

}  // namespace gardensync::ui
