// A CommandRunner that runs nothing: each call is matched against scripted answers (first rule
// whose argv contains every given word, in order of registration; a rule may answer several
// times in turn) and recorded, so orchestration is tested with docker's and Mutagen's answers,
// failures and timeouts written down in the test.
#pragma once

#include <algorithm>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "gardensync/util/command_runner.h"
#include "gardensync/util/process.h"

namespace gardensync::testing {

inline util::ProcessResult answer(int exitCode, std::string out = {}, std::string err = {}) {
  util::ProcessResult result;
  result.exitCode = exitCode;
  result.stdoutText = std::move(out);
  result.stderrText = std::move(err);
  return result;
}

inline util::ProcessResult timedOut() {
  util::ProcessResult result;
  result.timedOut = true;
  return result;
}

class FakeRunner : public util::CommandRunner {
public:
  // Calls whose argv holds every word of `match` get `answers` in turn; the last one repeats.
  void on(std::vector<std::string> match, std::vector<util::ProcessResult> answers) {
    rules_.push_back({std::move(match), std::move(answers), 0});
  }

  util::ProcessResult run(const std::vector<std::string>& argv, const util::ProcessOptions&) const override {
    std::lock_guard lock(mutex_);
    calls_.push_back(argv);
    for (auto& rule : rules_) {
      bool matches = true;
      for (const auto& word : rule.match)
        matches = matches && std::find(argv.begin(), argv.end(), word) != argv.end();
      if (!matches) continue;
      const size_t index = std::min(rule.next, rule.answers.size() - 1);
      ++rule.next;
      return rule.answers[index];
    }
    throw std::logic_error("FakeRunner: no answer scripted for " + util::formatCommand(argv));
  }

  // Every call so far, as "program arg arg".
  std::vector<std::string> calls() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> lines;
    for (const auto& argv : calls_) lines.push_back(util::formatCommand(argv));
    return lines;
  }
  size_t countCalls(const std::string& word) const {
    std::lock_guard lock(mutex_);
    size_t count = 0;
    for (const auto& argv : calls_)
      if (std::find(argv.begin(), argv.end(), word) != argv.end()) ++count;
    return count;
  }

  // Engine API requests whose "METHOD path" contains `part` get `response`; without a matching
  // rule the API is "not open", as for a remote Engine.
  void onEngine(std::string part, util::EngineResponse response) {
    std::lock_guard lock(mutex_);
    engineRules_.emplace_back(std::move(part), std::move(response));
  }
  std::optional<util::EngineResponse> dockerEngineRequest(const std::string& method, const std::string& path) const override {
    std::lock_guard lock(mutex_);
    const std::string request = method + " " + path;
    engineCalls_.push_back(request);
    for (const auto& [part, response] : engineRules_)
      if (request.find(part) != std::string::npos) return response;
    return std::nullopt;
  }
  std::vector<std::string> engineCalls() const {
    std::lock_guard lock(mutex_);
    return engineCalls_;
  }

private:
  struct Rule {
    std::vector<std::string> match;
    std::vector<util::ProcessResult> answers;
    size_t next;
  };
  mutable std::mutex mutex_;
  mutable std::vector<Rule> rules_;
  mutable std::vector<std::vector<std::string>> calls_;
  std::vector<std::pair<std::string, util::EngineResponse>> engineRules_;
  mutable std::vector<std::string> engineCalls_;
};

}  // namespace gardensync::testing
