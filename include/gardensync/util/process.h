// Running subprocesses: argv vectors only (never a shell string), an explicit environment,
// captured stdout/stderr, and a timeout. Every docker, mutagen and kubectl call goes through here.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gardensync::util {

// The environment of a child: starts from this process's environment unless `clear`, then
// applies `set` and `unset`.
struct Environment {
  bool clear = false;
  std::map<std::string, std::string> set;
  std::vector<std::string> unset;
};

struct ProcessOptions {
  Environment environment;
  std::optional<std::filesystem::path> workingDirectory;
  std::chrono::milliseconds timeout{std::chrono::minutes(2)};  // 0: none
  std::optional<std::string> stdinData;                         // piped to the child, then closed
  // Streamed input, for more than fits in memory: called whenever the child can take more (after
  // stdinData, if any), it returns the next chunk, or an empty one once the input is complete.
  std::function<std::string()> stdinChunks;
  // Keeps the child's stdin open, with nothing written to it, until the call returns: a child
  // that ends when its input ends (`docker exec -i`) lives no longer than its caller.
  bool holdStdin = false;
  // Called with each chunk of stdout as it arrives (output is still captured).
  std::function<void(std::string_view)> onStdout;
  std::function<void(std::string_view)> onStderr;
  // Asked a few times a second; once it returns true the child is stopped (TERM, then KILL) and
  // the result says `cancelled`. For children that run until told otherwise (`sync monitor`).
  std::function<bool()> cancelled;
};

struct ProcessResult {
  int exitCode = -1;         // -1 when killed by a signal or timed out
  int signal = 0;            // the signal that ended it, if any
  bool timedOut = false;
  bool cancelled = false;
  std::string stdoutText;
  std::string stderrText;
  bool ok() const { return exitCode == 0; }
};

// This program's own executable (/proc/self/exe), for helpers that call back into it; throws
// Error when it cannot be read.
std::filesystem::path selfExecutable();

// 'it'\''s' — single-quoted for a POSIX shell (for messages and generated scripts).
std::string shellQuote(std::string_view text);

// "docker exec -i 'a b'" — for messages only, never for execution.
std::string formatCommand(const std::vector<std::string>& argv);

// Runs argv[0] (looked up on PATH when it has no slash) and waits. Throws Error when it cannot
// be started (naming the program and the reason); a non-zero exit is returned, not thrown.
ProcessResult runProcess(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// Throws ToolError (command, exit code or signal or timeout, stderr) unless `result` is a zero
// exit; `what` names the step in the message (default: the program).
void requireSuccess(const std::vector<std::string>& argv, const ProcessOptions& options, const ProcessResult& result,
                    const std::string& what = {});

// Like runProcess, but throws ToolError (command, exit code, stderr) unless it exits 0.
ProcessResult runChecked(const std::vector<std::string>& argv, const ProcessOptions& options = {},
                         const std::string& what = {});

// Replaces nothing: runs argv with this process's stdin, stdout and stderr inherited, waits and
// returns its exit code (128+N when killed by signal N). For pass-through commands.
int runInteractive(const std::vector<std::string>& argv, const Environment& environment);

// Starts argv detached from this process (new session, stdio to /dev/null or `logFile`), so it
// outlives gardensync. Returns its pid.
int spawnDetached(const std::vector<std::string>& argv, const Environment& environment,
                  const std::optional<std::filesystem::path>& logFile,
                  const std::optional<std::filesystem::path>& workingDirectory = std::nullopt);

// The full path of `program` on PATH, if any.
std::optional<std::filesystem::path> findOnPath(const std::string& program);

}  // namespace gardensync::util
