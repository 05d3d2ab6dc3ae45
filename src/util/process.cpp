#include "gardensync/util/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>
#include <utility>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "gardensync/util/error.h"
#include "gardensync/util/termination.h"
#include "gardensync/util/text.h"

extern char** environ;

namespace gardensync::util {

namespace {

// Writes to a child's stdin without SIGPIPE: a child that stopped reading makes the write fail
// with EPIPE instead of ending gardensync.
ssize_t writeWithoutSigpipe(int fd, std::string_view data) {
  sigset_t pipeSignal, previous, pendingBefore;
  sigemptyset(&pipeSignal);
  sigaddset(&pipeSignal, SIGPIPE);
  sigpending(&pendingBefore);
  pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous);
  const ssize_t n = ::write(fd, data.data(), data.size());
  const int error = errno;
  if (n < 0 && error == EPIPE && !sigismember(&pendingBefore, SIGPIPE)) {
    const timespec none{0, 0};
    sigtimedwait(&pipeSignal, nullptr, &none);  // the one this write raised
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  errno = error;
  return n;
}

using Clock = std::chrono::steady_clock;

// One line for --log-level debug: the variables gardensync sets for the child, then the command.
// Control characters are escaped so an argument cannot move the cursor or split the log line;
// values of variables that look like credentials are left out.
std::string describeForLog(const std::vector<std::string>& argv, const Environment& environment) {
  std::string text;
  for (const auto& [name, value] : environment.set) {
    const bool secret = name.find("TOKEN") != std::string::npos || name.find("PASSWORD") != std::string::npos ||
                        name.find("SECRET") != std::string::npos;
    text += name + "=" + (secret ? std::string("***") : formatCommand({value})) + " ";
  }
  text += formatCommand(argv);
  std::string printable;
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) printable += fmt::format("\\x{:02x}", c);
    else printable += static_cast<char>(c);
  }
  return printable;
}

long long millisecondsSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

// A file descriptor closed on scope exit.
class Fd {
public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    reset();
    fd_ = std::exchange(other.fd_, -1);
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

private:
  int fd_ = -1;
};

struct Pipe {
  Fd read, write;
};

Pipe makePipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw Error(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
  return {Fd(fds[0]), Fd(fds[1])};
}

// posix_spawn's attribute and file-action objects, destroyed on scope exit.
struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
    // Children start with default signal dispositions even if ours differ (e.g. SIGPIPE ignored).
    sigset_t all;
    sigfillset(&all);
    posix_spawnattr_setsigdefault(&attributes, &all);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attributes, &none);
    short flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;
    posix_spawnattr_setflags(&attributes, flags);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
  }
  void addFlags(short extra) {
    short flags = 0;
    posix_spawnattr_getflags(&attributes, &flags);
    posix_spawnattr_setflags(&attributes, static_cast<short>(flags | extra));
  }
};

std::vector<std::string> buildEnvironment(const Environment& environment) {
  std::map<std::string, std::string> values;
  if (!environment.clear) {
    for (char** entry = environ; *entry; ++entry) {
      std::string_view text(*entry);
      size_t eq = text.find('=');
      if (eq != std::string_view::npos) values[std::string(text.substr(0, eq))] = std::string(text.substr(eq + 1));
    }
  }
  for (const auto& name : environment.unset) values.erase(name);
  for (const auto& [name, value] : environment.set) values[name] = value;
  std::vector<std::string> entries;
  for (const auto& [name, value] : values) entries.push_back(name + "=" + value);
  return entries;
}

std::string lookupPath(const std::vector<std::string>& envEntries) {
  for (const auto& entry : envEntries)
    if (entry.starts_with("PATH=")) return entry.substr(5);
  return "/usr/local/bin:/usr/bin:/bin";
}

std::optional<std::filesystem::path> searchPath(const std::string& program, const std::string& path) {
  if (program.find('/') != std::string::npos) return std::filesystem::path(program);
  size_t start = 0;
  while (start <= path.size()) {
    size_t colon = path.find(':', start);
    std::string dir = path.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    const std::filesystem::path base = dir.empty() ? std::filesystem::path(".") : std::filesystem::path(dir);
    const std::filesystem::path candidate = base / program;
    if (::access(candidate.c_str(), X_OK) == 0 && !std::filesystem::is_directory(candidate)) return candidate;
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return std::nullopt;
}

pid_t spawn(const std::vector<std::string>& argv, const std::vector<std::string>& envEntries, SpawnSetup& setup) {
  if (argv.empty()) throw Error("internal: empty command");
  // The last line of defence: a NUL would silently cut an argument short (a container path
  // "/\0x" would become "/"), so nothing that holds one is ever run.
  for (size_t i = 0; i < argv.size(); ++i)
    if (argv[i].find('\0') != std::string::npos)
      throw Error(fmt::format("refusing to run {}: argument {} contains a NUL byte", argv[0], i));
  for (const auto& entry : envEntries)
    if (entry.find('\0') != std::string::npos)
      throw Error(fmt::format("refusing to run {}: an environment variable contains a NUL byte", argv[0]));
  auto program = searchPath(argv[0], lookupPath(envEntries));
  if (!program)
    throw Error(fmt::format("cannot run {}: not found on PATH", argv[0]),
                fmt::format("install {} or add it to PATH", argv[0]));
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& entry : envEntries) envp.push_back(const_cast<char*>(entry.c_str()));
  envp.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, program->c_str(), &setup.actions, &setup.attributes, args.data(), envp.data());
  if (rc != 0) throw Error(fmt::format("cannot run {}: {}", formatCommand(argv), std::strerror(rc)));
  return pid;
}

// Passes a terminating signal on to the child, gives it 5 s to exit, then kills it.
void stopChild(pid_t pid, int signal) {
  ::kill(pid, signal);
  int status = 0;
  for (int i = 0; i < 50; ++i) {
    if (::waitpid(pid, &status, WNOHANG) != 0) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
}

// A descriptor that becomes readable when the child exits (Linux 5.3 and later), or none.
Fd openPidfd(pid_t pid) {
#ifdef SYS_pidfd_open
  return Fd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
#else
  (void)pid;
  return Fd();
#endif
}

void decodeStatus(int status, ProcessResult& result) {
  if (WIFEXITED(status)) {
    result.exitCode = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.exitCode = -1;
    result.signal = WTERMSIG(status);
  }
}

}  // namespace

std::string shellQuote(std::string_view text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'') quoted.append("'\\''");
    else quoted.push_back(c);
  }
  return quoted + "'";
}

std::string formatCommand(const std::vector<std::string>& argv) {
  std::string text;
  for (const auto& arg : argv) {
    if (!text.empty()) text += ' ';
    const bool plain = !arg.empty() && arg.find_first_not_of(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@,+%") == std::string::npos;
    if (plain) {
      text += arg;
      continue;
    }
    text += shellQuote(arg);
  }
  return text;
}

std::optional<std::filesystem::path> findOnPath(const std::string& program) {
  const char* path = std::getenv("PATH");
  return searchPath(program, path ? path : "/usr/local/bin:/usr/bin:/bin");
}

ProcessResult runProcess(const std::vector<std::string>& argv, const ProcessOptions& options) {
  Pipe out = makePipe(), err = makePipe(), in = makePipe();
  SpawnSetup setup;
  posix_spawn_file_actions_adddup2(&setup.actions, in.read.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&setup.actions, out.write.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&setup.actions, err.write.get(), STDERR_FILENO);
  if (options.workingDirectory)
    posix_spawn_file_actions_addchdir_np(&setup.actions, options.workingDirectory->c_str());

  const bool logging = spdlog::should_log(spdlog::level::debug);  // the description is built only then
  if (logging) spdlog::debug("run: {}", describeForLog(argv, options.environment));
  const auto started = Clock::now();
  const RunningChild running;
  const pid_t pid = spawn(argv, buildEnvironment(options.environment), setup);
  out.write.reset();
  err.write.reset();
  in.read.reset();

  // Feed stdin without blocking: a child that never reads must not hang us.
  std::string_view pending = options.stdinData ? std::string_view(*options.stdinData) : std::string_view();
  std::string chunk;  // the latest of options.stdinChunks, which `pending` then points into
  bool moreChunks = static_cast<bool>(options.stdinChunks);
  auto refill = [&] {
    if (!pending.empty() || !moreChunks) return;
    chunk = options.stdinChunks();
    pending = chunk;
    moreChunks = !chunk.empty();
  };
  refill();
  if (pending.empty() && !options.holdStdin) in.write.reset();
  else if (!pending.empty()) ::fcntl(in.write.get(), F_SETFL, O_NONBLOCK);

  ProcessResult result;
  const bool hasDeadline = options.timeout.count() > 0;
  const auto deadline = Clock::now() + options.timeout;
  char buffer[65536];
  bool outOpen = true, errOpen = true;
  while (outOpen || errOpen) {
    std::vector<pollfd> fds;
    if (outOpen) fds.push_back({out.read.get(), POLLIN, 0});
    if (errOpen) fds.push_back({err.read.get(), POLLIN, 0});
    if (in.write.get() >= 0 && !pending.empty()) fds.push_back({in.write.get(), POLLOUT, 0});
    // Wakes up now and then even without a deadline: a terminating signal may be delivered to
    // another thread, and must still reach this child.
    int waitMs = 250;
    if (hasDeadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) {
        result.timedOut = true;
        break;
      }
      waitMs = static_cast<int>(std::min<long long>(left, waitMs));
    }
    int ready = ::poll(fds.data(), fds.size(), waitMs);
    if (int signal = pendingTerminationSignal()) {
      stopChild(pid, signal);
      throw Interrupted(signal, formatCommand(argv));
    }
    if (ready < 0 && errno != EINTR) break;
    if (options.cancelled && options.cancelled()) {
      result.cancelled = true;
      break;
    }
    for (const auto& fd : fds) {
      if (!fd.revents) continue;
      if (fd.fd == in.write.get()) {
        ssize_t n = writeWithoutSigpipe(fd.fd, pending);
        if (n > 0) pending.remove_prefix(static_cast<size_t>(n));
        if (n < 0 && errno != EAGAIN) {  // the child stopped reading: the rest has nowhere to go
          pending = {};
          moreChunks = false;
        }
        refill();
        if (pending.empty() && !options.holdStdin) in.write.reset();
        continue;
      }
      ssize_t n = ::read(fd.fd, buffer, sizeof buffer);
      const bool isOut = fd.fd == out.read.get();
      if (n <= 0) {
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        (isOut ? outOpen : errOpen) = false;
        continue;
      }
      std::string_view chunk(buffer, static_cast<size_t>(n));
      if (isOut) {
        result.stdoutText.append(chunk);
        if (options.onStdout) options.onStdout(chunk);
      } else {
        result.stderrText.append(chunk);
        if (options.onStderr) options.onStderr(chunk);
      }
    }
  }
  in.write.reset();

  // The deadline holds after the pipes close too: a child that closes its stdio (or hands it to a
  // daemon) and keeps running must not escape the timeout.
  // With a pidfd the wait ends the moment the child exits, not at the next tick of a timer: most
  // commands run several processes, and each such tick was up to a few ms added to each.
  int status = 0;
  auto pause = std::chrono::milliseconds(1);
  const Fd pidfd = openPidfd(pid);
  while (true) {
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) break;
    if (int signal = pendingTerminationSignal()) {
      stopChild(pid, signal);
      throw Interrupted(signal, formatCommand(argv));
    }
    if (!result.cancelled && options.cancelled && options.cancelled()) result.cancelled = true;
    if (result.cancelled || result.timedOut || (hasDeadline && Clock::now() >= deadline)) {
      if (!result.cancelled) result.timedOut = true;
      ::kill(pid, SIGTERM);
      for (int i = 0; i < 20 && ::waitpid(pid, &status, WNOHANG) == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (::waitpid(pid, &status, WNOHANG) == 0) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
      }
      break;
    }
    if (pidfd.get() >= 0) {
      pollfd exited{pidfd.get(), POLLIN, 0};
      ::poll(&exited, 1, 50);  // still wakes up to check for signals, cancellation and the deadline
    } else {
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, std::chrono::milliseconds(50));
    }
  }
  decodeStatus(status, result);
  if (result.timedOut || result.cancelled) result.exitCode = -1;
  if (logging)
    spdlog::debug("{}: {} after {} ms", std::filesystem::path(argv.front()).filename().string(),
                  result.timedOut    ? std::string("timed out")
                  : result.cancelled ? std::string("stopped")
                  : result.signal    ? fmt::format("killed by signal {}", result.signal)
                                     : fmt::format("exit {}", result.exitCode),
                  millisecondsSince(started));
  return result;
}

ProcessResult runChecked(const std::vector<std::string>& argv, const ProcessOptions& options,
                         const std::string& what) {
  ProcessResult result = runProcess(argv, options);
  requireSuccess(argv, options, result, what);
  return result;
}

void requireSuccess(const std::vector<std::string>& argv, const ProcessOptions& options, const ProcessResult& result,
                    const std::string& what) {
  if (result.ok()) return;
  std::string stderrText = trimEnd(result.stderrText);
  if (stderrText.empty()) stderrText = result.stdoutText;
  const std::string subject = what.empty() ? argv.front() : what;
  if (result.timedOut)
    throw ToolError(fmt::format("{} timed out after {}s", subject,
                                std::chrono::duration_cast<std::chrono::seconds>(options.timeout).count()),
                    formatCommand(argv), stderrText);
  if (result.signal)
    throw ToolError(fmt::format("{} was killed by signal {}", subject, result.signal), formatCommand(argv), stderrText);
  throw ToolError(fmt::format("{} failed (exit code {})", subject, result.exitCode), formatCommand(argv), stderrText);
}

int runInteractive(const std::vector<std::string>& argv, const Environment& environment) {
  if (spdlog::should_log(spdlog::level::debug))
    spdlog::debug("run (interactive): {}", describeForLog(argv, environment));
  SpawnSetup setup;
  const RunningChild running;
  const pid_t pid = spawn(argv, buildEnvironment(environment), setup);
  // While the child owns the terminal, Ctrl-C goes to it; gardensync waits for its exit code.
  struct sigaction ignore {}, oldInt {}, oldQuit {};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGINT, &ignore, &oldInt);
  sigaction(SIGQUIT, &ignore, &oldQuit);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    // SIGINT and SIGQUIT are the child's own (it shares the terminal); SIGTERM and SIGHUP were
    // sent to gardensync alone and are passed on.
    if (int signal = pendingTerminationSignal(); signal && signal != SIGINT) ::kill(pid, signal);
  }
  sigaction(SIGINT, &oldInt, nullptr);
  sigaction(SIGQUIT, &oldQuit, nullptr);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

int spawnDetached(const std::vector<std::string>& argv, const Environment& environment,
                  const std::optional<std::filesystem::path>& logFile,
                  const std::optional<std::filesystem::path>& workingDirectory) {
  SpawnSetup setup;
  if (workingDirectory) posix_spawn_file_actions_addchdir_np(&setup.actions, workingDirectory->c_str());
  setup.addFlags(POSIX_SPAWN_SETSID);  // its own session: no terminal signals, outlives us
  const char* output = logFile ? logFile->c_str() : "/dev/null";
  posix_spawn_file_actions_addopen(&setup.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&setup.actions, STDOUT_FILENO, output, O_WRONLY | O_CREAT | O_APPEND, 0600);
  posix_spawn_file_actions_adddup2(&setup.actions, STDOUT_FILENO, STDERR_FILENO);
  const pid_t pid = spawn(argv, buildEnvironment(environment), setup);
  if (spdlog::should_log(spdlog::level::debug))
    spdlog::debug("started in the background (pid {}): {}", pid, describeForLog(argv, environment));
  return pid;
}

std::filesystem::path selfExecutable() {
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) throw Error(fmt::format("cannot find gardensync's own executable: {}", ec.message()));
  return self;
}

}  // namespace gardensync::util
