#include "gardensync/providers/image_build.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "gardensync/config/file_scan.h"
#include "gardensync/providers/build_output.h"
#include "gardensync/sync/plan.h"
#include "gardensync/util/error.h"
#include "gardensync/util/hash.h"
#include "gardensync/util/text.h"

namespace gardensync::providers {

namespace fs = std::filesystem;

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

BuildResult buildImage(const DockerCli& docker, const config::ProjectConfig& config, const config::Action& build,
                       const std::string& repository, const OutputFunction& onOutput) {
  BuildResult result;
  result.version = buildVersion(build);
  result.imageId = fmt::format("{}:{}", repository, result.version);
  if (docker.imageExists(result.imageId)) return result;
  const fs::path dockerfile = build.dir / build.dockerfile;
  if (!fs::exists(dockerfile))
    throw Error(fmt::format("Build {}: {} does not exist", build.name, dockerfile.string()),
                fmt::format("add a Dockerfile or set spec.dockerfile in {}", build.configFile.filename().string()));
  std::vector<std::string> args{"--file", dockerfile.string(), "--tag", result.imageId,
                                "--label", std::string(sync::kProjectLabel) + "=" + config.project.name};
  for (const auto& [key, value] : build.buildArgs) args.insert(args.end(), {"--build-arg", key + "=" + value});
  if (build.targetStage) args.insert(args.end(), {"--target", *build.targetStage});
  // The legacy builder otherwise leaves the container of a failed step behind (`Exited (1)`).
  args.push_back("--force-rm");
  args.push_back(build.dir.string());
  LineSplitter splitter;
  std::vector<std::string> lines;
  auto onLines = [&](std::vector<std::string> added) {
    for (auto& line : added) {
      if (onOutput) onOutput(line);
      lines.push_back(std::move(line));
    }
  };
  try {
    docker.build(args, [&](std::string_view chunk) { onLines(splitter.add(chunk)); });
  } catch (const ToolError& e) {
    onLines(splitter.finish());
    const BuildFailure failure = findBuildFailure(lines);
    if (failure.step.empty()) throw;
    std::string message = fmt::format("Build {}: docker build failed at {}", build.name, failure.step);
    if (!failure.output.empty()) {
      message += "\n  its output:";
      for (const auto& line : failure.output) message += "\n    " + line;
    }
    if (!failure.reason.empty()) message += "\n  " + failure.reason;
    throw Error(message, fmt::format("fix that step in {} (run `{}` to see the whole build)",
                                     dockerfile.lexically_relative(config.project.root).generic_string(),
                                     util::formatCommand([&] {
                                       std::vector<std::string> argv{"docker", "build"};
                                       argv.insert(argv.end(), args.begin(), args.end());
                                       return argv;
                                     }())));
  }
  onLines(splitter.finish());
  result.built = true;
  return result;
}

}  // namespace gardensync::providers
