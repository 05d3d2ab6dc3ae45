#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "gardensync/cli/commands.h"
#include "gardensync/cli/services.h"
#include "gardensync/providers/build_output.h"
#include "gardensync/providers/provider.h"
#include "gardensync/ui/output.h"
#include "gardensync/util/error.h"
#include "gardensync/util/termination.h"

namespace gardensync::cli {

namespace {

struct LogsFlags {
  std::vector<std::string> deploys;
  int tail = 100;
  bool follow = false;
};

// Prints the lines of several Deploys' logs as they come, each prefixed with its Deploy when
// there are several (as `docker compose logs` does), one whole line at a time.
class LogPrinter {
public:
  explicit LogPrinter(size_t width) : width_(width) {}

  void print(const std::string& deploy, const std::string& text) {
    const std::lock_guard lock(mutex_);
    if (width_ == 0) ui::printLine(text);
    else ui::printLine(fmt::format("{:<{}} | {}", deploy, width_, text));
  }

private:
  std::mutex mutex_;
  size_t width_;  // of the prefix; 0: no prefix
};

void printLogs(Context& context, const LogsFlags& flags) {
  const auto& config = context.project();
  std::vector<const config::Action*> deploys;
  if (flags.deploys.empty()) deploys = config.deploys();
  for (const auto& name : flags.deploys) {
    const config::Action* deploy = config.find(config::ActionKind::Deploy, name);
    if (!deploy) throw UsageError(fmt::format("no Deploy named \"{}\"", name), "`gardensync get status` lists them");
    deploys.push_back(deploy);
  }
  if (deploys.empty()) throw UsageError("this project has no Deploy actions, so there are no logs");
  const auto provider = context.services().provider(config);
  size_t width = 0;
  if (deploys.size() > 1)
    for (const auto* deploy : deploys) width = std::max(width, deploy->name.size());
  LogPrinter printer(width);

  if (!flags.follow) {
    for (const auto* deploy : deploys) {
      std::string text;
      try {
        text = provider->logs(*deploy, flags.tail);
      } catch (const Error& e) {
        if (deploys.size() == 1) throw;
        spdlog::warn("{}: {}", deploy->name, e.what());  // the others still have something to show
        continue;
      }
      providers::LineSplitter lines;
      for (const auto& line : lines.add(text)) printer.print(deploy->name, line);
      for (const auto& line : lines.finish()) printer.print(deploy->name, line);
    }
    return;
  }

  // Follow every log at once, each in a thread of its own, until the containers stop or Ctrl-C
  // (which ends each `docker logs` through the termination handling of util::runProcess).
  std::vector<std::thread> threads;
  std::mutex errorsMutex;
  std::vector<std::string> errors;
  std::atomic<bool> interrupted{false};
  for (const auto* deploy : deploys) {
    threads.emplace_back([&, deploy] {
      providers::LineSplitter lines;
      try {
        provider->followLogs(*deploy, flags.tail, [&](std::string_view chunk) {
          for (const auto& line : lines.add(chunk)) printer.print(deploy->name, line);
        });
        for (const auto& line : lines.finish()) printer.print(deploy->name, line);
      } catch (const util::Interrupted&) {
        interrupted = true;
      } catch (const Error& e) {
        const std::lock_guard lock(errorsMutex);
        errors.push_back(fmt::format("{}: {}", deploy->name, e.what()));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  if (interrupted) return;  // Ctrl-C is how following ends
  if (!errors.empty() && errors.size() == deploys.size()) throw Error(errors.front());
  for (const auto& error : errors) spdlog::warn("{}", error);
}

}  // namespace

void addLogsCommand(CLI::App& app, Context& context) {
  auto flags = std::make_shared<LogsFlags>();
  auto* cmd = app.add_subcommand("logs", "Print the output of Deploys' containers (their pods on a cluster)");
  cmd->add_option("deploys", flags->deploys, "Deploys (default: all)");
  cmd->add_option("--tail", flags->tail, "How many of the last lines of each")->default_str("100");
  cmd->add_flag("--follow,-f", flags->follow, "Keep printing new lines until the containers stop or Ctrl-C");
  cmd->footer("Examples:\n  gardensync logs api\n  gardensync logs web --tail 20\n"
              "  gardensync logs -f                every Deploy's log as it grows, lines prefixed with the Deploy\n\n"
              "With several Deploys each line starts with its Deploy's name.");
  cmd->callback([&context, flags] { printLogs(context, *flags); });
}

}  // namespace gardensync::cli
