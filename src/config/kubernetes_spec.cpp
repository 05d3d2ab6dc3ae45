#include "gardensync/config/kubernetes_spec.h"

#include <regex>

#include <fmt/format.h>

#include "gardensync/config/manifest_yaml.h"
#include "gardensync/util/text.h"

namespace gardensync::config {

namespace fs = std::filesystem;

namespace {

// A manifest kubectl can apply names its apiVersion, kind and metadata.name; checked here so the
// error points at the file rather than at kubectl's message after the builds.
bool checkManifest(YamlReader& reader, const YAML::Node& node, const nlohmann::json& body, const std::string& keyPath) {
  if (!body.is_object()) {
    reader.error(node, keyPath, "expected a Kubernetes manifest (a mapping with apiVersion, kind and metadata)");
    return false;
  }
  bool ok = true;
  for (const char* key : {"apiVersion", "kind"}) {
    auto it = body.find(key);
    if (it == body.end() || !it->is_string() || it->get<std::string>().empty()) {
      reader.error(node, YamlReader::join(keyPath, key), "is required (a string)");
      ok = false;
    }
  }
  auto metadata = body.find("metadata");
  if (metadata == body.end() || !metadata->is_object() || !metadata->contains("name") ||
      !(*metadata)["name"].is_string() || (*metadata)["name"].get<std::string>().empty()) {
    reader.error(node, YamlReader::join(keyPath, "metadata.name"), "is required (a string)");
    ok = false;
  }
  return ok;
}

void addManifest(YamlReader& reader, const YAML::Node& node, const std::string& keyPath, Action& action) {
  auto body = yamlToJson(reader, node, keyPath);
  if (!body || !checkManifest(reader, node, *body, keyPath)) return;
  action.manifests.push_back({std::move(*body), reader.position(node)});
}

// A path the Deploy names, resolved against its folder; an error unless it exists.
std::optional<fs::path> existingPath(YamlReader& reader, const YAML::Node& at, const std::string& keyPath,
                                     const std::string& written, const Action& action, const char* what) {
  const fs::path path = (fs::path(written).is_absolute() ? fs::path(written) : action.dir / written).lexically_normal();
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    reader.error(at, keyPath, fmt::format("{} {} does not exist", what, path.string()));
    return std::nullopt;
  }
  return path;
}

void readManifestFiles(YamlReader& reader, const YAML::Node& spec, Action& action, const fs::path& projectRoot) {
  auto files = reader.plainStringList(spec, "files", "spec");
  if (!files) return;
  const YAML::Node list = YamlReader::child(spec, "files");
  for (size_t i = 0; i < files->size(); ++i) {
    const std::string keyPath = YamlReader::index("spec.files", i);
    auto path = existingPath(reader, list[i], keyPath, (*files)[i], action, "the manifest file");
    if (!path) continue;
    YamlReader fileReader = reader.readerFor(util::displayPath(*path, projectRoot));
    std::vector<YAML::Node> documents;
    try {
      documents = YAML::LoadAllFromFile(path->string());
    } catch (const YAML::ParserException& e) {
      reader.error(list[i], keyPath, fmt::format("{}:{}:{}: YAML syntax error: {}", fileReader.file(), e.mark.line + 1,
                                                 e.mark.column + 1, e.msg));
      continue;
    } catch (const YAML::BadFile&) {
      reader.error(list[i], keyPath, fmt::format("cannot read {}", path->string()));
      continue;
    }
    for (size_t d = 0; d < documents.size(); ++d) {
      if (documents[d].IsNull()) continue;  // an empty document between `---` separators
      addManifest(fileReader, documents[d], fmt::format("documents[{}]", d), action);
    }
  }
}

void readNamespace(YamlReader& reader, const YAML::Node& spec, Action& action) {
  auto ns = reader.plainString(spec, "namespace", "spec");
  if (!ns) return;
  static const std::regex kLabel("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
  if (ns->size() > 63 || !std::regex_match(*ns, kLabel)) {
    reader.error(YamlReader::child(spec, "namespace"), "spec.namespace",
                 fmt::format("\"{}\" is not a valid namespace name (lowercase letters, digits and dashes, at most "
                             "63 characters)",
                             *ns));
    return;
  }
  action.deployNamespace = *ns;
}

}  // namespace

void parseKubernetesDeploySpec(YamlReader& reader, const YAML::Node& spec, Action& action, const fs::path& projectRoot) {
  // Build outputs in manifests resolve after the builds, which unescapes `$${`.
  YamlReader::KeepEscapes keep(reader);
  readNamespace(reader, spec, action);
  const YAML::Node manifests = YamlReader::child(spec, "manifests");
  if (manifests.IsDefined() && !manifests.IsNull()) {
    if (!manifests.IsSequence()) {
      reader.error(manifests, "spec.manifests", "expected a list of Kubernetes manifests");
    } else {
      for (size_t i = 0; i < manifests.size(); ++i)
        addManifest(reader, manifests[i], YamlReader::index("spec.manifests", i), action);
    }
  }
  readManifestFiles(reader, spec, action, projectRoot);
}

void parseHelmDeploySpec(YamlReader& reader, const YAML::Node& spec, Action& action) {
  YamlReader::KeepEscapes keep(reader);
  readNamespace(reader, spec, action);
  HelmChart helm;
  helm.releaseName = action.name;
  const YAML::Node chart = YamlReader::child(spec, "chart");
  if (!chart.IsDefined() || chart.IsNull()) {
    reader.error(spec, "spec.chart.path", "is required (the folder of a local chart, relative to the action's folder)");
  } else if (reader.isMap(chart, "spec.chart")) {
    for (const char* remote : {"name", "repo", "url", "version"})
      if (YamlReader::child(chart, remote).IsDefined())
        reader.error(YamlReader::child(chart, remote), YamlReader::join("spec.chart", remote),
                     "gardensync deploys local charts only; set spec.chart.path to the chart's folder");
    if (auto path = reader.plainString(chart, "path", "spec.chart", true)) {
      const YAML::Node at = YamlReader::child(chart, "path");
      if (auto found = existingPath(reader, at, "spec.chart.path", *path, action, "the chart folder")) {
        if (!fs::exists(*found / "Chart.yaml"))
          reader.error(at, "spec.chart.path", fmt::format("{} holds no Chart.yaml; is it a Helm chart?", found->string()));
        helm.path = *found;
      }
    }
  }
  const YAML::Node values = YamlReader::child(spec, "values");
  if (values.IsDefined() && !values.IsNull()) {
    if (reader.isMap(values, "spec.values"))
      if (auto json = yamlToJson(reader, values, "spec.values")) helm.values = std::move(*json);
  }
  if (auto files = reader.plainStringList(spec, "valueFiles", "spec")) {
    const YAML::Node list = YamlReader::child(spec, "valueFiles");
    for (size_t i = 0; i < files->size(); ++i)
      if (auto path = existingPath(reader, list[i], YamlReader::index("spec.valueFiles", i), (*files)[i], action,
                                   "the values file"))
        helm.valueFiles.push_back(*path);
  }
  if (auto release = reader.plainString(spec, "releaseName", "spec")) {
    // Helm's own rule for release names.
    static const std::regex kRelease("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$");
    if (release->size() > 53 || !std::regex_match(*release, kRelease))
      reader.error(YamlReader::child(spec, "releaseName"), "spec.releaseName",
                   fmt::format("\"{}\" is not a valid Helm release name (lowercase letters, digits, dashes and dots, "
                               "at most 53 characters)",
                               *release));
    else helm.releaseName = *release;
  }
  action.helm = std::move(helm);
}

}  // namespace gardensync::config
