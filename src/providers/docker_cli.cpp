#include "gardensync/providers/docker_cli.h"

#include <cctype>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gardensync/util/error.h"
#include "gardensync/util/text.h"

namespace gardensync::providers {

using namespace std::chrono_literals;

namespace {

ContainerInfo parseInspect(const nlohmann::json& item) {
  ContainerInfo info;
  info.id = item.value("Id", "");
  info.name = item.value("Name", "");
  if (!info.name.empty() && info.name.front() == '/') info.name.erase(0, 1);
  const auto& state = item.value("State", nlohmann::json::object());
  info.running = state.value("Running", false);
  info.state = state.value("Status", "");
  info.exitCode = state.value("ExitCode", 0);
  info.error = state.value("Error", "");
  const auto& config = item.value("Config", nlohmann::json::object());
  info.image = config.value("Image", "");
  // NetworkSettings.Ports: {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}], "81/tcp": null}
  const auto& network = item.value("NetworkSettings", nlohmann::json::object());
  if (auto ports = network.find("Ports"); ports != network.end() && ports->is_object())
    for (const auto& [containerPort, bindings] : ports->items()) {
      if (!bindings.is_array()) continue;
      for (const auto& binding : bindings)
        if (binding.is_object())
          info.ports.push_back(fmt::format("{}:{}->{}", binding.value("HostIp", ""), binding.value("HostPort", ""),
                                           containerPort));
    }
  if (auto labels = config.find("Labels"); labels != config.end() && labels->is_object())
    for (const auto& [key, value] : labels->items())
      if (value.is_string()) info.labels[key] = value.get<std::string>();
  return info;
}

// Docker's inspect output: a JSON array. Anything else is an error carrying what was printed.
nlohmann::json parseJsonArray(const std::string& text, const std::string& command, const std::string& stderrText = {}) {
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (parsed.is_array()) return parsed;
  std::string shown = util::trimEnd(text);
  if (shown.size() > 500) shown = shown.substr(0, 500) + "...";
  throw ToolError("Docker printed something that is not the expected JSON list", command,
                  util::trimEnd(stderrText.empty() ? shown : stderrText + "\n" + shown));
}

}  // namespace

util::ProcessResult DockerCli::docker(const std::vector<std::string>& args, std::chrono::seconds timeout,
                                      const std::string& what) const {
  std::vector<std::string> argv{"docker"};
  argv.insert(argv.end(), args.begin(), args.end());
  util::ProcessOptions options;
  options.timeout = timeout;
  return runner_.runChecked(argv, options, what);
}

void DockerCli::checkAvailable() const {
  if (!util::findOnPath("docker"))
    throw Error("the docker CLI is not on PATH", "install Docker (the local-docker provider runs Deploys as containers)");
  // Every command asks this first: the Engine's API answers for a fraction of the CLI's start-up.
  if (runner_.dockerEngineGet("/_ping")) return;
  util::ProcessOptions options;
  options.timeout = 20s;
  auto result = runner_.run({"docker", "version", "--format", "{{.Server.Version}}"}, options);
  if (!result.ok())
    throw ToolError("the Docker Engine does not answer", "docker version", result.stderrText,
                    "start Docker, or point DOCKER_HOST / DOCKER_CONTEXT at a running engine");
}

bool DockerCli::imageExists(const std::string& reference) const {
  util::ProcessOptions options;
  options.timeout = 30s;
  return runner_.run({"docker", "image", "inspect", "--format", "{{.Id}}", reference}, options).ok();
}

void DockerCli::build(const std::vector<std::string>& args, const std::function<void(std::string_view)>& onOutput) const {
  std::vector<std::string> argv{"docker", "build"};
  argv.insert(argv.end(), args.begin(), args.end());
  util::ProcessOptions options;
  options.timeout = 30min;
  options.onStdout = onOutput;
  options.onStderr = onOutput;
  runner_.runChecked(argv, options, "docker build");
}

void DockerCli::push(const std::string& reference, const std::function<void(std::string_view)>& onOutput) const {
  util::ProcessOptions options;
  options.timeout = 30min;
  options.onStdout = onOutput;
  options.onStderr = onOutput;
  auto result = runner_.run({"docker", "push", reference}, options);
  if (result.ok()) return;
  const std::string registry = reference.substr(0, reference.find('/'));
  throw ToolError(fmt::format("cannot push {} to the registry {}", reference, registry), "docker push " + reference,
                  util::trimEnd(result.stderrText.empty() ? result.stdoutText : result.stderrText),
                  fmt::format("check that {} is reachable and accepts pushes (`docker login {}` when it needs "
                              "credentials; a plain-HTTP registry other than 127.0.0.1 must be listed under "
                              "insecure-registries in Docker's daemon.json)",
                              registry, registry));
}

std::optional<ContainerInfo> DockerCli::inspectContainer(const std::string& name) const {
  util::ProcessOptions options;
  options.timeout = 30s;
  auto result = runner_.run({"docker", "container", "inspect", name}, options);
  if (!result.ok()) {
    if (result.stderrText.find("No such") != std::string::npos) return std::nullopt;
    throw ToolError(fmt::format("cannot inspect container {}", name), "docker container inspect " + name,
                    result.stderrText);
  }
  // Anything but one container's JSON is a broken answer, not "no container": reading it as
  // absent would create a second container or skip stopping the syncs of a running one.
  auto parsed = parseJsonArray(result.stdoutText, "docker container inspect " + name);
  if (parsed.size() != 1)
    throw ToolError(fmt::format("docker container inspect {} described {} containers, expected 1", name, parsed.size()),
                    "docker container inspect " + name, util::trimEnd(result.stdoutText));
  return parseInspect(parsed[0]);
}

std::map<std::string, ContainerInfo> DockerCli::inspectContainers(const std::vector<std::string>& names) const {
  std::map<std::string, ContainerInfo> found;
  if (names.empty()) return found;
  std::vector<std::string> argv{"docker", "container", "inspect"};
  argv.insert(argv.end(), names.begin(), names.end());
  util::ProcessOptions options;
  options.timeout = 30s;
  const auto result = runner_.run(argv, options);
  // Missing containers make it exit 1, naming each with "No such container", and still print the
  // others; any other failure is an answer that cannot be read as "absent".
  if (!result.ok()) {
    std::istringstream lines(result.stderrText);
    for (std::string line; std::getline(lines, line);)
      if (!util::trim(line).empty() && line.find("No such") == std::string::npos)
        throw ToolError("cannot inspect the project's containers", util::formatCommand(argv), result.stderrText);
  }
  for (const auto& item : parseJsonArray(result.stdoutText, util::formatCommand(argv), result.stderrText)) {
    ContainerInfo info = parseInspect(item);
    found[info.name] = std::move(info);
  }
  return found;
}

std::vector<ContainerInfo> DockerCli::listContainers(const std::map<std::string, std::string>& labels) const {
  std::vector<std::string> args{"ps", "-a", "-q", "--no-trunc"};
  for (const auto& [key, value] : labels) args.insert(args.end(), {"--filter", "label=" + key + "=" + value});
  std::istringstream ids(docker(args, 30s, "docker ps").stdoutText);
  std::vector<std::string> inspect{"docker", "container", "inspect"};
  for (std::string id; ids >> id;) inspect.push_back(id);
  std::vector<ContainerInfo> containers;
  if (inspect.size() == 3) return containers;
  // One `inspect` for all of them rather than one process per container. A container removed
  // since `ps` makes it exit 1 but still print the others.
  util::ProcessOptions options;
  options.timeout = 30s;
  const auto result = runner_.run(inspect, options);
  for (const auto& item : parseJsonArray(result.stdoutText, util::formatCommand(inspect), result.stderrText))
    containers.push_back(parseInspect(item));
  return containers;
}

std::set<std::string> DockerCli::pausedContainerNames() const {
  std::set<std::string> names;
  // The Engine's API when it is on a local socket: the CLI costs far more than the question.
  if (auto body = runner_.dockerEngineGet("/containers/json?filters=%7B%22status%22%3A%5B%22paused%22%5D%7D")) {
    const auto list = nlohmann::json::parse(*body, nullptr, false);
    if (list.is_array()) {
      for (const auto& container : list)
        if (container.is_object() && container.contains("Names") && container["Names"].is_array())
          for (const auto& name : container["Names"])
            if (name.is_string() && name.get<std::string>().starts_with("/"))
              names.insert(name.get<std::string>().substr(1));  // the API writes "/gs-shop-api"
      return names;
    }
  }
  std::istringstream lines(
      docker({"ps", "--filter", "status=paused", "--format", "{{.Names}}"}, 30s, "docker ps").stdoutText);
  for (std::string name; std::getline(lines, name);)
    if (!name.empty()) names.insert(name);
  return names;
}

std::optional<bool> DockerCli::pathExists(const std::string& container, const std::string& path) const {
  // Container names hold only [a-zA-Z0-9_.-]; the path is percent-encoded but for its slashes.
  std::string encoded;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') encoded.push_back(static_cast<char>(c));
    else encoded += fmt::format("%{:02X}", c);
  }
  // HEAD of the archive endpoint: the Engine stats the path and sends no archive.
  const auto answer = runner_.dockerEngineRequest("HEAD", "/containers/" + container + "/archive?path=" + encoded);
  if (!answer || (answer->status != 200 && answer->status != 404)) return std::nullopt;
  return answer->status == 200;
}

std::string DockerCli::run(const std::vector<std::string>& args) const {
  std::vector<std::string> full{"run", "-d"};
  full.insert(full.end(), args.begin(), args.end());
  return util::trimEnd(docker(full, 2min, "docker run").stdoutText);
}

void DockerCli::start(const std::string& name) const { docker({"start", name}, 60s, "docker start"); }

void DockerCli::restart(const std::string& name) const { docker({"restart", name}, 60s, "docker restart"); }

void DockerCli::remove(const std::string& name) const {
  util::ProcessOptions options;
  options.timeout = 60s;
  auto result = runner_.run({"docker", "rm", "-f", name}, options);
  if (!result.ok() && result.stderrText.find("No such") == std::string::npos)
    throw ToolError(fmt::format("cannot remove container {}", name), "docker rm -f " + name, result.stderrText);
}

util::ProcessResult DockerCli::exec(const std::string& container, const std::vector<std::string>& command,
                                    std::chrono::seconds timeout) const {
  std::vector<std::string> argv{"docker", "exec", container};
  argv.insert(argv.end(), command.begin(), command.end());
  util::ProcessOptions options;
  options.timeout = timeout;
  return runner_.run(argv, options);
}

std::vector<std::string> DockerCli::copyIntoArgv(const std::string& container, const std::string& folder) {
  return {"docker", "cp", "--archive", "-", container + ":" + folder};
}

util::ProcessResult DockerCli::copyInto(const std::string& container, const std::string& folder,
                                        std::function<std::string()> chunks) const {
  util::ProcessOptions options;
  options.timeout = std::chrono::hours(2);  // a large tree at disk speed; progress shows it moves
  options.stdinChunks = std::move(chunks);
  return runner_.run(copyIntoArgv(container, folder), options);
}

std::vector<std::string> DockerCli::logsArgv(const std::string& container, int tail, bool follow) {
  std::vector<std::string> argv{"docker", "logs"};
  if (follow) argv.push_back("--follow");
  argv.insert(argv.end(), {"--tail", tail < 0 ? "all" : std::to_string(tail), container});
  return argv;
}

util::ProcessResult DockerCli::followLogs(const std::string& container, int tail,
                                          const std::function<void(std::string_view)>& onOutput) const {
  util::ProcessOptions options;
  options.timeout = 0ms;  // until the container stops or Ctrl-C
  options.onStdout = onOutput;
  options.onStderr = onOutput;
  return runner_.run(logsArgv(container, tail, true), options);
}

std::vector<std::string> DockerCli::execArgv(const std::string& container, const std::vector<std::string>& command,
                                             bool tty) {
  std::vector<std::string> argv{"docker", "exec", "--interactive"};
  if (tty) argv.push_back("--tty");
  argv.push_back(container);
  argv.insert(argv.end(), command.begin(), command.end());
  return argv;
}

std::string DockerCli::logs(const std::string& container, int tail) const {
  util::ProcessOptions options;
  options.timeout = 30s;
  auto result = runner_.run({"docker", "logs", "--tail", std::to_string(tail), container}, options);
  if (!result.ok())
    throw ToolError(fmt::format("cannot read the logs of container {}", container),
                    util::formatCommand({"docker", "logs", "--tail", std::to_string(tail), container}), result.stderrText);
  // `docker logs` replays the container's stderr on its own stderr.
  return result.stdoutText + result.stderrText;
}

}  // namespace gardensync::providers
