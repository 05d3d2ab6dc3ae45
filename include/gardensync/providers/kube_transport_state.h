// What the Kubernetes sync transport keeps in the project's Mutagen data directory, under
// `kubernetes/`: the `ssh` and `scp` stand-ins Mutagen runs (`bin/`, MUTAGEN_SSH_PATH), the
// cluster connections and pod selectors that endpoint host names refer to (kube_endpoint.h), and
// per session the pod it last synced with, so that a replaced pod is noticed before Mutagen
// compares the new pod's files with the old pod's history. Files are replaced atomically: the
// stand-ins read them while gardensync writes.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "gardensync/providers/kubectl_cli.h"

namespace gardensync::providers {

// The pod a session last synced with.
struct PodRecord {
  std::string uid;
  bool resetPending = false;  // the pod changed; the session's history is being reset
  std::filesystem::file_time_type written;
};

class KubeTransportState {
public:
  // `<dataDir>/kubernetes`.
  explicit KubeTransportState(const std::filesystem::path& dataDir);

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path dataDir() const { return dir_.parent_path(); }
  // Where `ssh` and `scp` are: the value of MUTAGEN_SSH_PATH.
  std::filesystem::path binDir() const { return dir_ / "bin"; }

  // Writes `ssh` and `scp` scripts that run `gardensync __kube-transport ... ssh|scp "$@"`.
  void writeStandIns(const std::filesystem::path& gardensync, const std::filesystem::path& mutagenBinary) const;

  void writeConnection(const std::string& ref, const KubeConnection& connection) const;
  // Throws Error when the reference is unknown.
  KubeConnection readConnection(const std::string& ref) const;
  void writeSelector(const std::string& ref, const std::map<std::string, std::string>& labels) const;
  std::map<std::string, std::string> readSelector(const std::string& ref) const;

  std::optional<PodRecord> readPod(const std::string& host) const;
  void writePod(const std::string& host, const std::string& uid, bool resetPending) const;

private:
  void writeFile(const std::filesystem::path& path, const std::string& content, std::filesystem::perms perms) const;

  std::filesystem::path dir_;
};

// The text of the `ssh` or `scp` stand-in (`tool`). Pure.
std::string standInScript(const std::string& tool, const std::filesystem::path& gardensync,
                          const std::filesystem::path& stateDir, const std::filesystem::path& mutagenBinary);

}  // namespace gardensync::providers
