#include "gardensync/providers/kube_transport_state.h"

#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gardensync/util/error.h"
#include "gardensync/util/process.h"
#include "gardensync/util/text.h"

namespace gardensync::providers {

namespace fs = std::filesystem;

namespace {

std::optional<std::string> readText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

nlohmann::json readJson(const fs::path& path, const std::string& what) {
  auto text = readText(path);
  auto parsed = text ? nlohmann::json::parse(*text, nullptr, false) : nlohmann::json(nullptr);
  if (!parsed.is_object())
    throw Error(fmt::format("the sync transport's {} file {} is missing or damaged", what, path.string()),
                "run `gardensync sync restart` in the project, which writes it again");
  return parsed;
}

}  // namespace

std::string standInScript(const std::string& tool, const fs::path& gardensync, const fs::path& stateDir,
                          const fs::path& mutagenBinary) {
  return fmt::format(
      "#!/bin/sh\n"
      "# Mutagen's SSH transport runs this as `{0}` (MUTAGEN_SSH_PATH points here). The host it is given\n"
      "# names a workload in a Kubernetes cluster; gardensync turns the call into `kubectl exec`.\n"
      "exec {1} __kube-transport --state {2} --mutagen {3} {0} \"$@\"\n",
      tool, util::shellQuote(gardensync.string()), util::shellQuote(stateDir.string()),
      util::shellQuote(mutagenBinary.string()));
}

KubeTransportState::KubeTransportState(const fs::path& dataDir) : dir_(dataDir / "kubernetes") {}

void KubeTransportState::writeFile(const fs::path& path, const std::string& content, fs::perms perms) const {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  const fs::path temp = path.string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) throw Error(fmt::format("cannot write {}", temp.string()), "check that $HOME is writable");
  }
  fs::permissions(temp, perms, ec);
  fs::rename(temp, path, ec);
  if (ec) throw Error(fmt::format("cannot write {}: {}", path.string(), ec.message()), "check that $HOME is writable");
}

void KubeTransportState::writeStandIns(const fs::path& gardensync, const fs::path& mutagenBinary) const {
  for (const char* tool : {"ssh", "scp"}) {
    const fs::path path = binDir() / tool;
    const std::string script = standInScript(tool, gardensync, dir_, mutagenBinary);
    if (readText(path) == script) continue;  // unchanged: no window without the file
    writeFile(path, script, fs::perms::owner_all);
  }
}

void KubeTransportState::writeConnection(const std::string& ref, const KubeConnection& connection) const {
  nlohmann::json json{{"kubectl", connection.kubectl},
                      {"kubeconfig", connection.kubeconfig},
                      {"context", connection.context},
                      {"KUBECONFIG", connection.kubeconfigVariable}};
  const fs::path path = dir_ / "connections" / (ref + ".json");
  if (readText(path) == json.dump()) return;
  writeFile(path, json.dump(), fs::perms::owner_read | fs::perms::owner_write);
}

KubeConnection KubeTransportState::readConnection(const std::string& ref) const {
  const auto json = readJson(dir_ / "connections" / (ref + ".json"), "cluster connection");
  return {json.value("kubectl", "kubectl"), json.value("kubeconfig", ""), json.value("context", ""),
          json.value("KUBECONFIG", "")};
}

void KubeTransportState::writeSelector(const std::string& ref, const std::map<std::string, std::string>& labels) const {
  const nlohmann::json json{{"labels", labels}};
  const fs::path path = dir_ / "selectors" / (ref + ".json");
  if (readText(path) == json.dump()) return;
  writeFile(path, json.dump(), fs::perms::owner_read | fs::perms::owner_write);
}

std::map<std::string, std::string> KubeTransportState::readSelector(const std::string& ref) const {
  const auto json = readJson(dir_ / "selectors" / (ref + ".json"), "pod selector");
  std::map<std::string, std::string> labels;
  if (!json.contains("labels") || !json["labels"].is_object()) return labels;
  for (const auto& [key, value] : json["labels"].items())
    if (value.is_string()) labels[key] = value.get<std::string>();
  return labels;
}

std::optional<PodRecord> KubeTransportState::readPod(const std::string& host) const {
  const fs::path path = dir_ / "pods" / host;
  auto text = readText(path);
  if (!text) return std::nullopt;
  PodRecord record;
  std::string line = util::trim(*text);
  if (line.starts_with("reset ")) {
    record.resetPending = true;
    line = util::trim(line.substr(6));
  }
  if (line.empty()) return std::nullopt;
  record.uid = line;
  std::error_code ec;
  record.written = fs::last_write_time(path, ec);
  return record;
}

void KubeTransportState::writePod(const std::string& host, const std::string& uid, bool resetPending) const {
  writeFile(dir_ / "pods" / host, (resetPending ? "reset " : "") + uid + "\n",
            fs::perms::owner_read | fs::perms::owner_write);
}

}  // namespace gardensync::providers
