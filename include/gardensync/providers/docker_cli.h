// The Docker CLI, as gardensync uses it: image and container inspection, build, run, remove,
// exec. Every call is an argv through util/process with a timeout; failures are ToolErrors that
// carry the command and Docker's stderr.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "gardensync/util/command_runner.h"

namespace gardensync::providers {

struct ContainerInfo {
  std::string id;
  std::string name;
  bool running = false;
  std::string state;  // running, exited, restarting, ...
  int exitCode = 0;    // of the last run, once it exited
  std::string error;   // why the engine could not start it, if it could not
  std::string image;   // as the container was created with it
  std::vector<std::string> ports;  // published: "127.0.0.1:8080->80/tcp"
  std::map<std::string, std::string> labels;
};

class DockerCli {
public:
  explicit DockerCli(const util::CommandRunner& runner = util::systemRunner()) : runner_(runner) {}

  // Throws Error with a hint when the docker CLI is missing or the engine does not answer.
  void checkAvailable() const;

  bool imageExists(const std::string& reference) const;
  void build(const std::vector<std::string>& args, const std::function<void(std::string_view)>& onOutput) const;
  // `docker push <reference>`; a registry that refuses is a ToolError naming it.
  void push(const std::string& reference, const std::function<void(std::string_view)>& onOutput) const;
  std::optional<ContainerInfo> inspectContainer(const std::string& name) const;
  // Several containers with one `docker container inspect`, by name; absent ones are left out.
  std::map<std::string, ContainerInfo> inspectContainers(const std::vector<std::string>& names) const;
  // The names of all paused containers (one `docker ps`).
  std::set<std::string> pausedContainerNames() const;
  // Containers carrying every label in `labels`.
  std::vector<ContainerInfo> listContainers(const std::map<std::string, std::string>& labels) const;
  std::string run(const std::vector<std::string>& args) const;  // `docker run -d ...`, returns the id
  void start(const std::string& name) const;
  // `docker restart`: stops the container (its stop signal, then SIGKILL after 10 s) and starts it.
  void restart(const std::string& name) const;
  void remove(const std::string& name) const;  // force-removes; no error when absent
  util::ProcessResult exec(const std::string& container, const std::vector<std::string>& command,
                           std::chrono::seconds timeout = std::chrono::seconds(30)) const;
  // Whether `path` exists in the container, from the Engine's API (a stat of the path, nothing
  // run in the container); nullopt when that way is not open or the Engine cannot tell.
  std::optional<bool> pathExists(const std::string& container, const std::string& path) const;
  // `docker cp -a - <container>:<folder>`: extracts the tar stream `chunks` produces into the
  // existing `folder`, keeping the owners, modes and times the archive gives.
  static std::vector<std::string> copyIntoArgv(const std::string& container, const std::string& folder);
  util::ProcessResult copyInto(const std::string& container, const std::string& folder,
                               std::function<std::string()> chunks) const;
  // The last `tail` lines the container wrote (stdout and stderr together).
  std::string logs(const std::string& container, int tail) const;
  // The argv of `docker logs [--follow] --tail <tail> <container>`.
  static std::vector<std::string> logsArgv(const std::string& container, int tail, bool follow);
  // Streams the container's log (`tail` lines back, then as it grows) until it stops or the
  // command is interrupted; returns how `docker logs` ended.
  util::ProcessResult followLogs(const std::string& container, int tail,
                                 const std::function<void(std::string_view)>& onOutput) const;
  // The argv of `docker exec -i [-t] <container> <command>`, to run with the terminal attached.
  static std::vector<std::string> execArgv(const std::string& container, const std::vector<std::string>& command,
                                           bool tty);

private:
  const util::CommandRunner& runner_;
  util::ProcessResult docker(const std::vector<std::string>& args, std::chrono::seconds timeout,
                             const std::string& what) const;
};

}  // namespace gardensync::providers
