#include "harness.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>

namespace gardensync::e2e {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

fs::path mirrorDir() {
  fs::path dir;
  if (const char* env = std::getenv("GARDENSYNC_TEST_MIRROR"); env && *env) dir = env;
  else if (const char* home = std::getenv("HOME")) dir = fs::path(home) / ".cache/gardensync-dev/mirror";
  if (!fs::exists(dir / "SHA256SUMS"))
    ADD_FAILURE() << "no Mutagen test mirror at " << dir << "; run `./dev test` (it runs scripts/build-mutagen)";
  return dir;
}

struct MirrorServer::State {
  httplib::Server server;
  std::thread thread;
  int port = 0;
  fs::path root;
  std::mutex mutex;
  std::map<std::string, std::string> overrides;
};

MirrorServer::MirrorServer(fs::path root) : state_(std::make_unique<State>()) {
  state_->root = std::move(root);
  State* state = state_.get();
  state->server.Get(R"(/(.*))", [state](const httplib::Request& request, httplib::Response& response) {
    const std::string name = request.matches[1];
    {
      std::lock_guard lock(state->mutex);
      if (auto it = state->overrides.find(name); it != state->overrides.end()) {
        response.set_content(it->second, "application/octet-stream");
        return;
      }
    }
    std::ifstream in(state->root / name, std::ios::binary);
    if (name.find("..") != std::string::npos || !in) {
      response.status = 404;
      return;
    }
    std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    response.set_content(body, "application/octet-stream");
  });
  state->port = state->server.bind_to_any_port("127.0.0.1");
  state->thread = std::thread([state] { state->server.listen_after_bind(); });
}

MirrorServer::~MirrorServer() {
  state_->server.stop();
  if (state_->thread.joinable()) state_->thread.join();
}

std::string MirrorServer::url() const { return "http://127.0.0.1:" + std::to_string(state_->port); }

void MirrorServer::overrideFile(const std::string& path, std::string body) {
  std::lock_guard lock(state_->mutex);
  state_->overrides[path] = std::move(body);
}

MirrorServer& sharedMirror() {
  static MirrorServer server(mirrorDir());
  return server;
}

nlohmann::json Run::json() const {
  auto parsed = nlohmann::json::parse(out, nullptr, false);
  if (parsed.is_discarded()) ADD_FAILURE() << "not JSON: " << out << "\nstderr: " << err;
  return parsed;
}

Project::Project(const std::string& name) : name_(name) {
  root_ = base_ / "project";
  fs::create_directories(root_);
  fs::create_directories(base_ / "home");
  env_["HOME"] = (base_ / "home").string();
  env_["XDG_CACHE_HOME"] = (base_ / "cache").string();
  env_["GARDENSYNC_MUTAGEN_MIRROR"] = sharedMirror().url();
  // Containers an interrupted earlier run left behind would change what this test observes.
  auto leftovers = util::runProcess({"docker", "ps", "-aq", "--filter", "label=gardensync.io/project=" + name_});
  std::istringstream ids(leftovers.stdoutText);
  for (std::string id; ids >> id;) util::runProcess({"docker", "rm", "-f", id});
}

Project::~Project() {
  // Leave nothing behind: containers, sessions, the daemon, then the files.
  gardensync({"cleanup", "deploy"});
  gardensync({"util", "mutagen", "daemon", "stop"});
}

void Project::write(const std::string& relative, const std::string& content) const {
  const fs::path path = root_ / relative;
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

std::string Project::read(const std::string& relative) const {
  std::ifstream in(root_ / relative, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

bool Project::exists(const std::string& relative) const { return fs::exists(root_ / relative); }

void Project::remove(const std::string& relative) const { fs::remove_all(root_ / relative); }

Run Project::gardensync(const std::vector<std::string>& args, std::chrono::milliseconds timeout) const {
  std::vector<std::string> argv{GARDENSYNC_BINARY, "--root", root_.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  util::ProcessOptions options;
  options.environment.set = env_;
  options.timeout = timeout;
  options.workingDirectory = root_;
  auto result = util::runProcess(argv, options);
  return {result.exitCode, result.stdoutText, result.stderrText};
}

Run Project::exec(const std::string& deploy, const std::vector<std::string>& command) const {
  std::vector<std::string> argv{"docker", "exec", container(deploy)};
  argv.insert(argv.end(), command.begin(), command.end());
  auto result = util::runProcess(argv);
  return {result.exitCode, result.stdoutText, result.stderrText};
}

std::string Project::catIn(const std::string& deploy, const std::string& path) const {
  auto run = exec(deploy, {"cat", path});
  return run.exitCode == 0 ? run.out : "";
}

bool Project::existsIn(const std::string& deploy, const std::string& path) const {
  return exec(deploy, {"test", "-e", path}).exitCode == 0;
}

void Project::writeIn(const std::string& deploy, const std::string& path, const std::string& content) const {
  std::vector<std::string> argv{"docker", "exec", "-i", container(deploy), "sh", "-c", "cat > \"$0\"", path};
  util::ProcessOptions options;
  options.stdinData = content;
  util::runChecked(argv, options);
}

std::string Project::statIn(const std::string& deploy, const std::string& path) const {
  auto run = exec(deploy, {"stat", "-c", "%u:%g:%a", path});
  std::string text = run.out;
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

void Project::flush() const { gardensync({"util", "mutagen", "sync", "flush", "--all"}); }

bool Project::eventually(const std::function<bool()>& predicate) const {
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    flush();
    if (predicate()) return true;
    std::this_thread::sleep_for(250ms);
  }
  return predicate();
}

Cluster cluster() {
  Cluster result;
  if (const char* value = std::getenv("GARDENSYNC_TEST_KUBECONFIG")) result.kubeconfig = value;
  if (const char* value = std::getenv("GARDENSYNC_TEST_REGISTRY")) result.registry = value;
  if (!result.ok())
    ADD_FAILURE() << "the Kubernetes tests need the local cluster: GARDENSYNC_TEST_KUBECONFIG and "
                     "GARDENSYNC_TEST_REGISTRY are not set. `./dev test` sets them; by hand run "
                     "`scripts/local-cluster up`, `scripts/make-test-image`, then export "
                     "GARDENSYNC_TEST_KUBECONFIG=$(scripts/local-cluster kubeconfig) "
                     "GARDENSYNC_TEST_REGISTRY=$(scripts/local-cluster registry) and put the directories that "
                     "scripts/build-kubernetes and scripts/build-helm print first on PATH";
  return result;
}

Run kubectl(const std::vector<std::string>& args, const std::string& stdinData) {
  std::vector<std::string> argv{"kubectl", "--kubeconfig", cluster().kubeconfig};
  argv.insert(argv.end(), args.begin(), args.end());
  util::ProcessOptions options;
  options.timeout = 3min;
  if (!stdinData.empty()) options.stdinData = stdinData;
  auto result = util::runProcess(argv, options);
  return {result.exitCode, result.stdoutText, result.stderrText};
}

KubeProject::KubeProject(const std::string& name) : Project(name) {
  // A namespace an interrupted earlier run left behind would change what this test observes.
  kubectl({"delete", "namespace", name, "--ignore-not-found", "--wait=true", "--timeout=120s"});
}

KubeProject::~KubeProject() {
  gardensync({"cleanup", "deploy"});
  kubectl({"delete", "namespace", name(), "--ignore-not-found", "--wait=false"});
}

std::string KubeProject::providerYaml(const std::string& extra) const {
  return "  - name: kubernetes\n    kubeconfig: " + cluster().kubeconfig + "\n    context: gardensync-local\n" +
         "    deploymentRegistry:\n      hostname: " + cluster().registry + "\n" + extra;
}

Run KubeProject::execIn(const std::string& workload, const std::string& container,
                        const std::vector<std::string>& command) const {
  std::vector<std::string> args{"exec", "--namespace", name(), workload, "--container", container, "--"};
  args.insert(args.end(), command.begin(), command.end());
  return kubectl(args);
}

std::string KubeProject::catIn(const std::string& workload, const std::string& container, const std::string& path) const {
  auto run = execIn(workload, container, {"cat", path});
  return run.exitCode == 0 ? run.out : "";
}

bool KubeProject::existsIn(const std::string& workload, const std::string& container, const std::string& path) const {
  return execIn(workload, container, {"test", "-e", path}).exitCode == 0;
}

void KubeProject::writeIn(const std::string& workload, const std::string& container, const std::string& path,
                          const std::string& content) const {
  // As an argument, not on stdin: kubectl exec can lose stdin that ends at once.
  auto run = kubectl({"exec", "--namespace", name(), workload, "--container", container, "--", "sh", "-c",
                      "printf %s \"$1\" > \"$0\"", path, content});
  EXPECT_EQ(run.exitCode, 0) << run.err;
}

std::string KubeProject::statIn(const std::string& workload, const std::string& container, const std::string& path) const {
  std::string text = execIn(workload, container, {"stat", "-c", "%u:%g:%a", path}).out;
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

std::vector<std::string> KubeProject::pods(const std::string& selector) const {
  auto run = kubectl({"get", "pods", "--namespace", name(), "--selector", selector, "--output",
                      "jsonpath={range .items[?(@.status.phase==\"Running\")]}{.metadata.name} "
                      "{.metadata.deletionTimestamp}{\"\\n\"}{end}"});
  std::vector<std::string> names;
  std::istringstream lines(run.out);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string podName, deleting;
    words >> podName >> deleting;
    if (!podName.empty() && deleting.empty()) names.push_back(podName);
  }
  return names;
}

void KubeProject::copyFixture(const std::string& relative) const {
  fs::copy(fs::path(GARDENSYNC_FIXTURES_DIR) / relative, root(),
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}

std::string projectYaml(const std::string& name, const std::string& providerYaml) {
  std::string text = "apiVersion: garden.io/v2\nkind: Project\nname: " + name + "\nenvironments:\n  - name: local\n";
  if (!providerYaml.empty()) text += "providers:\n" + providerYaml;
  return text;
}

const std::vector<std::string> kProcessCommandLines{"sh", "-c", "cat /proc/[0-9]*/cmdline 2>/dev/null | tr '\\0' ' '"};

std::string wordsContaining(const std::string& text, const std::string& part) {
  std::string found;
  std::istringstream words(text);
  for (std::string word; words >> word;)
    if (contains(word, part)) found += word + "\n";
  return found;
}

std::string sleepDeployYaml(const std::string& name, const std::string& syncPathsYaml) {
  return "kind: Deploy\nname: " + name +
         "\ntype: container\nspec:\n  image: gardensync-test/busybox:latest\n"
         "  command: [sh, -c, \"trap 'exit 0' TERM; mkdir -p /app; while true; do sleep 1; done\"]\n"
         "  sync:\n    paths:\n" +
         syncPathsYaml;
}

util::ProcessResult followLogs(Project& project, const std::string& deploy, const std::string& firstLine,
                               const std::function<void()>& then, const std::string& stopAfter) {
  std::vector<std::string> argv{GARDENSYNC_BINARY, "--root", project.root().string(), "logs", "-f", deploy};
  util::ProcessOptions options;
  options.environment.set = project.env();
  options.timeout = 5min;
  std::atomic<bool> triggered{false};
  std::atomic<bool> arrived{false};
  std::thread later;
  std::mutex mutex;
  std::string seen;
  options.onStdout = [&](std::string_view chunk) {
    const std::lock_guard lock(mutex);
    seen.append(chunk);
    if (!stopAfter.empty() && contains(seen, stopAfter)) arrived = true;
    if (contains(seen, firstLine) && !triggered.exchange(true)) later = std::thread(then);
  };
  options.cancelled = [&] { return arrived.load(); };
  auto result = util::runProcess(argv, options);
  if (later.joinable()) later.join();
  return result;
}

}  // namespace gardensync::e2e
