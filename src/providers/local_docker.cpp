#include "gardensync/providers/local_docker.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "gardensync/config/file_scan.h"
#include "gardensync/sync/plan.h"
#include "gardensync/util/error.h"
#include "gardensync/util/hash.h"
#include "gardensync/util/text.h"

namespace gardensync::providers {

namespace fs = std::filesystem;

const char* toString(DeployOutcome outcome) {
  switch (outcome) {
    case DeployOutcome::Created: return "created";
    case DeployOutcome::Replaced: return "replaced";
    case DeployOutcome::Started: return "started";
    case DeployOutcome::Unchanged: return "unchanged";
  }
  return "unchanged";
}

namespace {

struct IgnoreRule {
  std::string pattern;
  bool exception;  // `!pattern` re-includes what an earlier rule excluded
};

// The build context's .dockerignore: what `docker build` does not send is not part of the version.
std::vector<IgnoreRule> readDockerignore(const fs::path& contextDir) {
  std::vector<IgnoreRule> rules;
  std::ifstream in(contextDir / ".dockerignore");
  std::string line;
  while (std::getline(in, line)) {
    line = util::trim(line);
    if (line.empty() || line.front() == '#') continue;
    IgnoreRule rule{line, false};
    if (rule.pattern.starts_with("!")) rule.exception = true, rule.pattern.erase(0, 1);
    while (rule.pattern.starts_with("/")) rule.pattern.erase(0, 1);
    if (!rule.pattern.empty()) rules.push_back(rule);
  }
  return rules;
}

bool ignoredByDocker(const std::vector<IgnoreRule>& rules, const std::string& relative) {
  bool ignored = false;
  for (const auto& rule : rules)  // later rules win, as in Docker
    if (config::globMatch(rule.pattern, relative)) ignored = !rule.exception;
  return ignored;
}

}  // namespace

std::string buildVersion(const config::Action& build) {
  const auto ignore = readDockerignore(build.dir);
  std::vector<fs::path> files;
  std::error_code ec;
  fs::path last = build.dir;
  fs::recursive_directory_iterator it(build.dir, fs::directory_options::skip_permission_denied, ec), end;
  for (; it != end; it.increment(ec)) {
    if (ec) break;
    last = it->path();
    const std::string name = it->path().filename().string();
    if (it->is_directory(ec) && !it->is_symlink(ec)) {
      if (name == ".git" || name == ".garden") it.disable_recursion_pending();
      continue;
    }
    if (ignoredByDocker(ignore, it->path().lexically_relative(build.dir).generic_string())) continue;
    files.push_back(it->path());
  }
  // A version from part of the context would miss changes and reuse a stale image.
  if (ec)
    throw Error(fmt::format("Build {}: cannot read its build context at {}: {}", build.name, last.string(), ec.message()),
                "fix that folder, or exclude it in .dockerignore");
  std::sort(files.begin(), files.end());
  util::Sha256 hash;
  auto add = [&hash](std::string_view text) {
    hash.update(text.data(), text.size());
    hash.update("\0", 1);
  };
  add(build.dockerfile);
  for (const auto& [key, value] : build.buildArgs) add(key + "=" + value);
  add(build.targetStage.value_or(""));
  for (const auto& file : files) {
    add(file.lexically_relative(build.dir).generic_string());
    if (fs::is_symlink(file, ec)) {
      add("link:" + fs::read_symlink(file, ec).string());
      continue;
    }
    const bool executable = (fs::status(file, ec).permissions() & fs::perms::owner_exec) != fs::perms::none;
    add(executable ? "x" : "-");
    add(util::sha256File(file));
  }
  return "v-" + hash.finishHex().substr(0, 12);
}

BuildResult LocalDocker::build(const config::Action& build, const std::function<void(std::string_view)>& onOutput) const {
  BuildResult result;
  result.version = buildVersion(build);
  result.imageId = fmt::format("gardensync/{}-{}:{}", config_.project.name, build.name, result.version);
  if (docker_.imageExists(result.imageId)) return result;
  const fs::path dockerfile = build.dir / build.dockerfile;
  if (!fs::exists(dockerfile))
    throw Error(fmt::format("Build {}: {} does not exist", build.name, dockerfile.string()),
                fmt::format("add a Dockerfile or set spec.dockerfile in {}", build.configFile.filename().string()));
  std::vector<std::string> args{"--file", dockerfile.string(), "--tag", result.imageId,
                                "--label", std::string(sync::kProjectLabel) + "=" + config_.project.name};
  for (const auto& [key, value] : build.buildArgs) args.insert(args.end(), {"--build-arg", key + "=" + value});
  if (build.targetStage) args.insert(args.end(), {"--target", *build.targetStage});
  args.push_back(build.dir.string());
  docker_.build(args, onOutput);
  result.built = true;
  return result;
}

bool belongsToThisCheckout(const ContainerInfo& container, const fs::path& projectRoot) {
  auto root = container.labels.find(sync::kProjectRootLabel);
  return root == container.labels.end() || root->second == projectRoot.string();
}

DeployPlan LocalDocker::planDeploy(const config::Action& deploy, bool withSync) const {
  DeployPlan plan{&deploy, containerSpec(config_, deploy, deploy.image, withSync), DeployOutcome::Created};
  auto existing = docker_.inspectContainer(plan.spec.name);
  if (!existing) return plan;
  const auto project = existing->labels.find(sync::kProjectLabel);
  if (project == existing->labels.end() || project->second != config_.project.name)
    throw Error(fmt::format("a container named {} exists but was not created by gardensync for project {}",
                            plan.spec.name, config_.project.name),
                fmt::format("rename or remove it (`docker rm -f {}`) if it is not needed", plan.spec.name));
  if (!belongsToThisCheckout(*existing, config_.project.root))
    throw Error(fmt::format("container {} belongs to another checkout of project {}, at {}", plan.spec.name,
                            config_.project.name, existing->labels.at(sync::kProjectRootLabel)),
                fmt::format("one Docker Engine runs one checkout of a project at a time: run `gardensync cleanup "
                            "deploy` in {} first, or give this checkout another project name",
                            existing->labels.at(sync::kProjectRootLabel)));
  const auto label = existing->labels.find(kContainerSpecLabel);
  const bool same = label != existing->labels.end() && label->second == plan.spec.specHash;
  plan.outcome = !same ? DeployOutcome::Replaced : existing->running ? DeployOutcome::Unchanged : DeployOutcome::Started;
  return plan;
}

void LocalDocker::applyDeploy(const DeployPlan& plan) const {
  switch (plan.outcome) {
    case DeployOutcome::Unchanged: return;
    case DeployOutcome::Started: docker_.start(plan.spec.name); return;
    case DeployOutcome::Replaced: docker_.remove(plan.spec.name); break;
    case DeployOutcome::Created: break;
  }
  docker_.run(plan.spec.runArgs);
}

void LocalDocker::checkAgentHost(const std::string& container) const {
  // Mutagen's docker transport copies its agent into $HOME/.mutagen and runs it through `sh`,
  // probing with `uname` and `id` first.
  const std::string probe =
      "for tool in uname id; do command -v \"$tool\" >/dev/null 2>&1 || echo \"missing $tool\"; done; "
      "if [ -z \"$HOME\" ]; then echo 'no HOME'; elif [ ! -d \"$HOME\" ]; then echo \"HOME $HOME does not exist\"; "
      "elif [ ! -w \"$HOME\" ]; then echo \"HOME $HOME is not writable\"; fi";
  auto result = docker_.exec(container, {"sh", "-c", probe});
  const std::string hint =
      "Mutagen's agent needs a shell, uname, id and a writable HOME in the container; use an image with a "
      "shell (busybox, alpine, debian), not scratch or distroless";
  if (!result.ok()) {
    // docker exec exits 126/127 when the command (here `sh`) cannot be started.
    const std::string reason = util::trimEnd(result.stderrText + result.stdoutText);
    if (result.exitCode == 126 || result.exitCode == 127 || reason.find("executable file not found") != std::string::npos)
      throw Error(fmt::format("container {} cannot host the sync agent: it has no shell (sh)", container), hint);
    throw ToolError(fmt::format("cannot check container {} for the sync agent", container),
                    "docker exec " + container + " sh -c ...", reason, hint);
  }
  std::string problems = util::trimEnd(result.stdoutText);
  if (problems.empty()) return;
  std::replace(problems.begin(), problems.end(), '\n', ',');
  throw Error(fmt::format("container {} cannot host the sync agent: {}", container, problems), hint);
}

void LocalDocker::ensureDirectory(const std::string& container, const std::string& path) const {
  auto result = docker_.exec(container, {"mkdir", "-p", path});
  if (!result.ok())
    throw ToolError(fmt::format("cannot create {} in container {}", path, container),
                    util::formatCommand({"docker", "exec", container, "mkdir", "-p", path}), result.stderrText);
}

}  // namespace gardensync::providers
