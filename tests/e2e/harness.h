// End-to-end harness: drives the real gardensync binary against the real Docker Engine and the
// real Mutagen, which it downloads from a mirror served over HTTP on 127.0.0.1. Each test gets its
// own project folder, HOME (so its own Mutagen daemon) and cache, and cleans them up.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gardensync/util/process.h"
#include "gardensync/util/temp_dir.h"

namespace gardensync::e2e {

// The folder holding the locally built Mutagen release (scripts/build-mutagen); fails the test
// when it is missing.
std::filesystem::path mirrorDir();

// Serves a folder over HTTP on 127.0.0.1 until destroyed.
class MirrorServer {
public:
  explicit MirrorServer(std::filesystem::path root);
  ~MirrorServer();
  std::string url() const;  // http://127.0.0.1:<port>
  // Replaces what a path serves (for corrupt or truncated downloads).
  void overrideFile(const std::string& path, std::string body);

private:
  struct State;
  std::unique_ptr<State> state_;
};

// The mirror every Project downloads Mutagen from (started once per test process).
MirrorServer& sharedMirror();

struct Run {
  int exitCode = -1;
  std::string out;
  std::string err;
  nlohmann::json json() const;  // stdout parsed as JSON
};

// A throw-away project: files, environment and the gardensync binary.
class Project {
public:
  // `name` becomes the project name (lowercase, unique per test).
  explicit Project(const std::string& name);
  ~Project();
  Project(const Project&) = delete;
  Project& operator=(const Project&) = delete;

  const std::filesystem::path& root() const { return root_; }
  const std::string& name() const { return name_; }
  std::map<std::string, std::string>& env() { return env_; }

  void write(const std::string& relative, const std::string& content) const;
  std::string read(const std::string& relative) const;
  bool exists(const std::string& relative) const;
  void remove(const std::string& relative) const;

  Run gardensync(const std::vector<std::string>& args,
                 std::chrono::milliseconds timeout = std::chrono::minutes(10)) const;
  std::string container(const std::string& deploy) const { return "gs-" + name_ + "-" + deploy; }

  // Inside a container.
  Run exec(const std::string& deploy, const std::vector<std::string>& command) const;
  std::string catIn(const std::string& deploy, const std::string& path) const;  // "" when missing
  bool existsIn(const std::string& deploy, const std::string& path) const;
  void writeIn(const std::string& deploy, const std::string& path, const std::string& content) const;
  std::string statIn(const std::string& deploy, const std::string& path) const;  // "uid:gid:mode"

  // Forces a sync cycle of every session and waits for it.
  void flush() const;
  // Polls (flushing) until `predicate` holds or 60 s pass; returns whether it held.
  bool eventually(const std::function<bool()>& predicate) const;

private:
  std::string name_;
  util::TempDir base_{"gs-e2e-"};  // holds root_, home and cache; removed last
  std::filesystem::path root_;
  std::map<std::string, std::string> env_;
};

// The local Kubernetes cluster (scripts/local-cluster) the Kubernetes tests run against, as
// `./dev test` names it: GARDENSYNC_TEST_KUBECONFIG (its admin kubeconfig) and
// GARDENSYNC_TEST_REGISTRY (its registry, 127.0.0.1:5000), with kubectl and helm on PATH. A
// missing variable fails the test (never skips it) with what to do.
struct Cluster {
  std::string kubeconfig;
  std::string registry;
  bool ok() const { return !kubeconfig.empty() && !registry.empty(); }
  // The test image in the cluster's registry (scripts/make-test-image pushes it).
  std::string busybox() const { return registry + "/gardensync-test/busybox:1"; }
};
Cluster cluster();

// kubectl against the test cluster.
Run kubectl(const std::vector<std::string>& args, const std::string& stdinData = {});

// A project whose Deploys run in the test cluster, in the namespace named like the project
// (deleted before and after the test).
class KubeProject : public Project {
public:
  explicit KubeProject(const std::string& name);
  ~KubeProject();

  // `providers:` YAML of a kubernetes provider for the test cluster, plus `extra` lines.
  std::string providerYaml(const std::string& extra = "") const;
  // Inside the running pod of `workload` ("deployment/vote").
  Run execIn(const std::string& workload, const std::string& container, const std::vector<std::string>& command) const;
  std::string catIn(const std::string& workload, const std::string& container, const std::string& path) const;
  bool existsIn(const std::string& workload, const std::string& container, const std::string& path) const;
  void writeIn(const std::string& workload, const std::string& container, const std::string& path,
               const std::string& content) const;
  std::string statIn(const std::string& workload, const std::string& container, const std::string& path) const;
  // Names of the running (not terminating) pods carrying `selector`.
  std::vector<std::string> pods(const std::string& selector) const;
  // Copies a folder of tests/fixtures into the project root.
  void copyFixture(const std::string& relative) const;
};

// A Deploy of the busybox test image that sleeps, with the given sync paths (YAML list items).
std::string sleepDeployYaml(const std::string& name, const std::string& syncPathsYaml);
std::string projectYaml(const std::string& name, const std::string& providerYaml = "");

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Run in a container or pod, prints the command lines of its processes, words apart.
extern const std::vector<std::string> kProcessCommandLines;
// The words of `text` that contain `part`, one per line: e.g. the container-side helpers among
// kProcessCommandLines' output.
std::string wordsContaining(const std::string& text, const std::string& part);

// Runs `gardensync logs -f <deploy>` in `project`. Once `firstLine` has been printed, `then` runs
// in a thread of its own (to make the workload print more, or end it); once `stopAfter` (when not
// empty) has been printed too, the follower is told to stop, as Ctrl-C would.
util::ProcessResult followLogs(Project& project, const std::string& deploy, const std::string& firstLine,
                               const std::function<void()>& then, const std::string& stopAfter = "");

}  // namespace gardensync::e2e
