#include "gardensync/providers/kube_endpoint.h"

#include <algorithm>
#include <regex>
#include <vector>

#include <fmt/format.h>

#include "gardensync/util/hash.h"

namespace gardensync::providers {

namespace {

constexpr std::string_view kPrefix = "kube";

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t at = text.find(separator, start);
    parts.push_back(text.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return parts;
    start = at + 1;
  }
}

bool plainField(std::string_view field) {
  static const std::regex kField("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$");
  return std::regex_match(field.begin(), field.end(), kField);
}

}  // namespace

std::string formatHost(const KubeEndpoint& endpoint) {
  return fmt::format("{}_{}_{}_{}_{}_{}_{}", kPrefix, endpoint.ns, endpoint.kind, endpoint.name,
                     endpoint.container.empty() ? "-" : endpoint.container, endpoint.session, endpoint.connection);
}

std::optional<KubeEndpoint> parseHost(std::string_view host) {
  const auto parts = split(host, '_');
  if (parts.size() != 7 || parts[0] != kPrefix) return std::nullopt;
  KubeEndpoint endpoint{std::string(parts[1]), std::string(parts[2]), std::string(parts[3]),
                        parts[4] == "-" ? std::string() : std::string(parts[4]), std::string(parts[5]),
                        std::string(parts[6])};
  static const std::vector<std::string> kKinds{"deployment", "statefulset", "daemonset", "pod", "selector"};
  if (std::find(kKinds.begin(), kKinds.end(), endpoint.kind) == kKinds.end()) return std::nullopt;
  for (const auto* field : {&endpoint.ns, &endpoint.name, &endpoint.session, &endpoint.connection})
    if (!plainField(*field)) return std::nullopt;
  if (!endpoint.container.empty() && !plainField(endpoint.container)) return std::nullopt;
  return endpoint;
}

std::string connectionRef(const KubeConnection& connection) {
  return util::sha256Hex(fmt::format("{}\n{}\n{}", connection.kubectl, connection.kubeconfig, connection.context))
      .substr(0, 10);
}

std::string selectorRef(const std::map<std::string, std::string>& labels) {
  std::string text;
  for (const auto& [key, value] : labels) text += key + "=" + value + "\n";
  return util::sha256Hex(text).substr(0, 10);
}

std::string hostKind(const std::string& kind) {
  std::string lower = kind;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

std::string workloadKind(const std::string& kind) {
  if (kind == "deployment") return "Deployment";
  if (kind == "statefulset") return "StatefulSet";
  if (kind == "daemonset") return "DaemonSet";
  if (kind == "pod") return "Pod";
  return "";
}

}  // namespace gardensync::providers
