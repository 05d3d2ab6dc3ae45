// A Docker Engine and a Mutagen daemon in memory, behind the CommandRunner seam, for unit tests
// of the commands' orchestration (deploy, replace, start, stop, cleanup): `docker` calls read and
// change a table of containers, `mutagen sync` calls a table of sessions, and every call is
// recorded in order so a test can check what happened before what. A call that holds a word of
// `failOn` fails the way the real tool would.
#pragma once

#include <algorithm>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gardensync/util/command_runner.h"
#include "gardensync/util/process.h"

namespace gardensync::testing {

class FakeWorld : public util::CommandRunner {
public:
  struct Container {
    std::map<std::string, std::string> labels;
    bool running = true;
  };
  struct Session {
    std::string name;
    std::map<std::string, std::string> labels;
    std::string status = "watching";
    int cycles = 1;
  };

  mutable std::map<std::string, Container> containers;  // by name
  mutable std::map<std::string, Session> sessions;      // by identifier
  std::map<std::string, util::ProcessResult> failOn;    // a word of the argv -> the answer

  util::ProcessResult run(const std::vector<std::string>& argv, const util::ProcessOptions&) const override {
    std::lock_guard lock(mutex_);
    calls_.push_back(util::formatCommand(argv));
    for (const auto& [word, result] : failOn)
      if (std::find(argv.begin(), argv.end(), word) != argv.end()) return result;
    if (!argv.empty() && argv[0] == "docker") return docker({argv.begin() + 1, argv.end()});
    return mutagen(argv);
  }

  std::vector<std::string> calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  // The position of the first call holding `text`, or -1.
  int indexOf(const std::string& text) const {
    std::lock_guard lock(mutex_);
    for (size_t i = 0; i < calls_.size(); ++i)
      if (calls_[i].find(text) != std::string::npos) return static_cast<int>(i);
    return -1;
  }
  size_t count(const std::string& text) const {
    std::lock_guard lock(mutex_);
    return static_cast<size_t>(
        std::count_if(calls_.begin(), calls_.end(), [&](const auto& c) { return c.find(text) != std::string::npos; }));
  }

private:
  static util::ProcessResult answer(int exitCode, std::string out = {}, std::string err = {}) {
    util::ProcessResult result;
    result.exitCode = exitCode;
    result.stdoutText = std::move(out);
    result.stderrText = std::move(err);
    return result;
  }

  // `--flag value` pairs of an argv.
  static std::vector<std::string> values(const std::vector<std::string>& args, const std::string& flag) {
    std::vector<std::string> found;
    for (size_t i = 0; i + 1 < args.size(); ++i)
      if (args[i] == flag) found.push_back(args[i + 1]);
    return found;
  }
  static std::map<std::string, std::string> labelsOf(const std::vector<std::string>& args) {
    std::map<std::string, std::string> labels;
    for (const auto& label : values(args, "--label")) {
      const size_t eq = label.find('=');
      labels[label.substr(0, eq)] = eq == std::string::npos ? "" : label.substr(eq + 1);
    }
    return labels;
  }

  nlohmann::json inspectJson(const std::string& name) const {
    const Container& c = containers.at(name);
    return {{"Id", name}, {"Name", "/" + name}, {"State", {{"Running", c.running}, {"Status", c.running ? "running" : "exited"}}},
            {"Config", {{"Labels", c.labels}}}};
  }

  util::ProcessResult docker(const std::vector<std::string>& args) const {
    if (args.empty()) return answer(1, "", "docker: no command");
    const std::string& command = args[0];
    if (command == "version") return answer(0, "28.0.0\n");
    if (command == "image") return answer(0, "sha256:image\n");
    if (command == "container" && args.size() > 1 && args[1] == "inspect") {
      nlohmann::json list = nlohmann::json::array();
      for (size_t i = 2; i < args.size(); ++i) {
        if (!containers.count(args[i])) return answer(1, "[]\n", "Error: No such container: " + args[i] + "\n");
        list.push_back(inspectJson(args[i]));
      }
      return answer(0, list.dump() + "\n");
    }
    if (command == "ps") {
      std::string ids;
      for (const auto& [name, container] : containers) {
        bool matches = true;
        for (const auto& filter : values(args, "--filter")) {
          const std::string wanted = filter.substr(6);  // label=key=value
          const size_t eq = wanted.find('=');
          auto it = container.labels.find(wanted.substr(0, eq));
          matches = matches && it != container.labels.end() && it->second == wanted.substr(eq + 1);
        }
        if (matches) ids += name + "\n";
      }
      return answer(0, ids);
    }
    if (command == "rm") {
      containers.erase(args.back());
      return answer(0, args.back() + "\n");
    }
    if (command == "run") {
      const auto names = values(args, "--name");
      if (names.empty()) return answer(125, "", "docker run: no --name");
      containers[names.front()] = {labelsOf(args), true};
      return answer(0, "id-" + names.front() + "\n");
    }
    if (command == "start") {
      containers.at(args.back()).running = true;
      return answer(0, args.back() + "\n");
    }
    if (command == "exec") {  // the agent probe (nothing missing), mkdir -p
      auto it = containers.find(args.size() > 1 ? args[1] : "");
      if (it == containers.end() || !it->second.running)
        return answer(1, "", "Error response from daemon: container " + (args.size() > 1 ? args[1] : "") + " is not running");
      return answer(0);
    }
    return answer(1, "", "docker " + command + ": not scripted in FakeWorld");
  }

  util::ProcessResult mutagen(const std::vector<std::string>& argv) const {
    auto at = std::find(argv.begin(), argv.end(), "sync");
    if (at == argv.end()) return answer(0);  // daemon start/stop and the like
    const std::vector<std::string> args(at + 1, argv.end());
    const std::string command = args.empty() ? "" : args[0];
    if (command == "list") {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& [id, s] : sessions) {
        nlohmann::json item = {{"identifier", id},
                               {"name", s.name},
                               {"labels", s.labels},
                               {"status", s.status},
                               {"alpha", {{"protocol", "local"}, {"connected", true}}},
                               {"beta", {{"protocol", "docker"}, {"connected", true}}}};
        if (s.cycles) item["successfulCycles"] = s.cycles;
        list.push_back(item);
      }
      return answer(0, list.dump() + "\n");
    }
    if (command == "create") {
      const auto names = values(args, "--name");
      const std::string id = "sync_" + (names.empty() ? std::string("unnamed") : names.front());
      sessions[id] = {names.empty() ? "" : names.front(), labelsOf(args)};
      return answer(0, "Created session " + id + "\n");
    }
    if (command == "terminate") {
      for (size_t i = 1; i < args.size(); ++i) sessions.erase(args[i]);
      return answer(0);
    }
    return answer(0);  // flush, pause, resume, reset
  }

  mutable std::mutex mutex_;
  mutable std::vector<std::string> calls_;
};

}  // namespace gardensync::testing
