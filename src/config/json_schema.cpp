#include "gardensync/config/json_schema.h"

#include <string>
#include <vector>

namespace gardensync::config {

namespace {

using json = nlohmann::json;

// A `${...}` template, which may stand for any value.
json templateString() { return {{"type", "string"}, {"pattern", "\\$\\{"}}; }

json orTemplate(json schema) { return {{"anyOf", json::array({std::move(schema), templateString()})}}; }

json stringList() { return {{"type", "array"}, {"items", {{"type", "string"}}}}; }

json nonEmptyString() { return {{"type", "string"}, {"minLength", 1}}; }

json permissionBits() {
  // Octal: 0644, "0644", 0o644; a plain decimal is refused by `validate`.
  return {{"anyOf", json::array({{{"type", "string"}, {"pattern", "^(0o?[0-7]{1,4}|0)$"}},
                                 {{"type", "integer"}, {"minimum", 0}, {"maximum", 511}},
                                 templateString()})}};
}

json ownerOrGroup() {
  return {{"anyOf", json::array({{{"type", "integer"}, {"minimum", 0}},
                                 {{"type", "string"}, {"pattern", "^([0-9]+|[A-Za-z_][A-Za-z0-9_.-]*)$"}},
                                 templateString()})}};
}

json syncMode() {
  return orTemplate({{"enum", json::array({"one-way", "one-way-safe", "one-way-replica", "one-way-reverse",
                                           "one-way-replica-reverse", "two-way", "two-way-safe", "two-way-resolved"})},
                     {"description", "Garden's sync mode (docs/sync-modes.md); default one-way-safe"}});
}

json workloadTarget() {
  return {{"type", "object"},
          {"additionalProperties", false},
          {"properties",
           {{"kind", {{"enum", json::array({"Deployment", "StatefulSet", "DaemonSet", "Pod"})}}},
            {"name", nonEmptyString()},
            {"containerName", nonEmptyString()},
            {"podSelector", {{"type", "object"}, {"additionalProperties", {{"type", "string"}}}}}}}};
}

// gardensync's own `afterSync` of a sync path: `run` or `restart`, not both.
json afterSync() {
  json run = {{"type", "array"},
              {"minItems", 1},
              {"items", {{"type", "string"}}},
              {"description", "the command (program and arguments) to run in the container after changes land"}};
  json restart = {{"anyOf", json::array({{{"type", "boolean"}}, templateString()})},
                  {"description", "restart the container after changes land"}};
  return {{"type", "object"},
          {"additionalProperties", false},
          {"description",
           "gardensync: what to do after changes reached the container while `deploy --sync` follows "
           "(docs/sync-modes.md#after-sync-actions); not in the reverse modes"},
          {"properties", {{"run", run}, {"restart", restart}}},
          {"not", {{"required", json::array({"run", "restart"})}}},
          {"anyOf", json::array({{{"required", json::array({"run"})}}, {{"required", json::array({"restart"})}}})}};
}

json rebuildOn() {
  return {{"type", "array"},
          {"items", {{"type", "string"}, {"minLength", 1}, {"not", {{"pattern", "^/"}}}}},
          {"description",
           "gardensync: globs relative to the Build's folder (Dockerfile, package.json); a change to a matching "
           "file while `deploy --sync` follows rebuilds the image and redeploys"}};
}

json syncPath(bool container) {
  json properties = {{"sourcePath", nonEmptyString()},
                     {"containerPath", nonEmptyString()},
                     {"mode", syncMode()},
                     {"exclude", stringList()},
                     {"defaultOwner", ownerOrGroup()},
                     {"defaultGroup", ownerOrGroup()},
                     {"defaultFileMode", permissionBits()},
                     {"defaultDirectoryMode", permissionBits()},
                     {"afterSync", afterSync()}};
  if (container) {
    properties["source"] = nonEmptyString();
    properties["target"] = {{"type", "string"}, {"description", "the folder in the container (absolute)"}};
  } else {
    properties["target"] = workloadTarget();
  }
  return {{"type", "object"},
          {"additionalProperties", false},
          {"properties", properties},
          {"anyOf", container ? json::array({{{"required", json::array({"target"})}}, {{"required", json::array({"containerPath"})}}})
                              : json::array({{{"required", json::array({"containerPath"})}}})}};
}

json containerSync() {
  return {{"type", "object"},
          {"additionalProperties", false},
          {"description", "Deploy.spec.sync: what `deploy --sync` synchronizes (docs/configuration.md)"},
          {"properties",
           {{"paths", {{"type", "array"}, {"items", syncPath(true)}}},
            {"command", stringList()},
            {"args", stringList()},
            {"rebuildOn", rebuildOn()}}}};
}

json clusterSync() {
  return {{"type", "object"},
          {"additionalProperties", false},
          {"properties",
           {{"paths", {{"type", "array"}, {"items", syncPath(false)}}},
            {"rebuildOn", rebuildOn()},
            {"overrides",
             {{"type", "array"},
              {"items",
               {{"type", "object"},
                {"additionalProperties", false},
                {"properties", {{"command", stringList()}, {"args", stringList()}, {"target", workloadTarget()}}}}}}}}}};
}

// `sync:` beside `spec:` and `paths:` outside `spec.sync` are mistakes `validate` reports.
json misplacedSyncKeys() {
  return {{"not", {{"anyOf", json::array({{{"required", json::array({"sync"})}}, {{"required", json::array({"paths"})}}})}}}};
}

json dependencies() {
  return {{"type", "array"},
          {"items",
           {{"anyOf", json::array({{{"type", "string"}, {"pattern", "^[A-Za-z]+\\.[a-z0-9-]+$"}},
                                   {{"type", "object"}, {"required", json::array({"kind", "name"})}}})}}}};
}

json actionCommon(const std::string& kind) {
  return {{"kind", {{"const", kind}}},
          {"name", {{"type", "string"}, {"pattern", "^[a-z][a-z0-9-]{0,62}$"}}},
          {"type", {{"type", "string"}}},
          {"description", {{"type", "string"}}},
          {"dependencies", dependencies()},
          {"disabled", orTemplate({{"type", "boolean"}})}};
}

json buildSchema() {
  json properties = actionCommon("Build");
  properties["type"] = {{"type", "string"}, {"description", "container or exec; other types are skipped"}};
  properties["spec"] = {{"type", "object"},
                        {"properties",
                         {{"dockerfile", {{"type", "string"}}},
                          {"buildArgs", {{"type", "object"}}},
                          {"targetStage", {{"type", "string"}}}}}};
  return {{"type", "object"}, {"required", json::array({"kind", "name", "type"})}, {"properties", properties}};
}

json containerDeploySpec() {
  json port = {{"type", "object"},
               {"required", json::array({"containerPort"})},
               {"properties",
                {{"name", {{"type", "string"}}},
                 {"containerPort", orTemplate({{"type", "integer"}, {"minimum", 1}, {"maximum", 65535}})},
                 {"hostPort", orTemplate({{"type", "integer"}, {"minimum", 1}, {"maximum", 65535}})},
                 {"localPort", orTemplate({{"type", "integer"}, {"minimum", 1}, {"maximum", 65535}})},
                 {"protocol", orTemplate({{"enum", json::array({"TCP", "UDP"})}})}}}};
  json volume = {{"type", "object"},
                 {"required", json::array({"containerPath"})},
                 {"properties", {{"name", {{"type", "string"}}}, {"containerPath", {{"type", "string"}}},
                                 {"hostPath", {{"type", "string"}}}}}};
  return {{"type", "object"},
          {"properties",
           {{"image", {{"type", "string"}}},
            {"command", stringList()},
            {"args", stringList()},
            {"env", {{"type", "object"}}},
            {"ports", {{"type", "array"}, {"items", port}}},
            {"volumes", {{"type", "array"}, {"items", volume}}},
            {"sync", containerSync()}}},
          {"not", {{"required", json::array({"paths"})}}}};
}

json clusterDeploySpec(bool helm) {
  json properties = {{"defaultTarget", workloadTarget()}, {"namespace", {{"type", "string"}}}, {"sync", clusterSync()}};
  if (helm) {
    properties["chart"] = {{"type", "object"}, {"properties", {{"path", {{"type", "string"}}}}}};
    properties["values"] = {{"type", "object"}};
    properties["valueFiles"] = stringList();
    properties["releaseName"] = {{"type", "string"}};
  } else {
    properties["manifests"] = {{"type", "array"}, {"items", {{"type", "object"}}}};
    properties["files"] = stringList();
  }
  return {{"type", "object"}, {"properties", properties}, {"not", {{"required", json::array({"paths"})}}}};
}

json deploySchema() {
  json properties = actionCommon("Deploy");
  properties["type"] = {{"type", "string"},
                        {"description", "container, kubernetes, helm or exec; other types are skipped"}};
  properties["build"] = {{"type", "string"}};
  properties["timeout"] = orTemplate({{"type", "integer"}, {"minimum", 1}});
  json byType = json::array();
  for (const std::string type : {"container", "kubernetes", "helm"})
    byType.push_back({{"if", {{"properties", {{"type", {{"const", type}}}}}}},
                      {"then",
                       {{"properties",
                         {{"spec", type == "container" ? containerDeploySpec() : clusterDeploySpec(type == "helm")}}}}}});
  json all = byType;
  all.push_back(misplacedSyncKeys());
  return {{"type", "object"}, {"required", json::array({"kind", "name", "type"})}, {"properties", properties}, {"allOf", all}};
}

json projectSchema() {
  json syncDefaults = {{"type", "object"},
                       {"additionalProperties", false},
                       {"properties",
                        {{"exclude", stringList()},
                         {"owner", ownerOrGroup()},
                         {"group", ownerOrGroup()},
                         {"fileMode", permissionBits()},
                         {"directoryMode", permissionBits()}}}};
  json provider = {
      {"type", "object"},
      {"required", json::array({"name"})},
      {"properties",
       {{"name", {{"type", "string"}, {"description", "local-docker, kubernetes or local-kubernetes run Deploys"}}},
        {"environments", stringList()},
        {"context", {{"type", "string"}}},
        {"kubeconfig", {{"type", "string"}}},
        {"kubectlPath", {{"type", "string"}}},
        {"namespace", {{"anyOf", json::array({{{"type", "string"}}, {{"type", "object"}, {"required", json::array({"name"})}}})}}},
        {"deploymentRegistry",
         {{"type", "object"},
          {"additionalProperties", false},
          {"required", json::array({"hostname"})},
          {"properties",
           {{"hostname", {{"type", "string"}}},
            {"namespace", {{"type", "string"}}},
            {"insecure", orTemplate({{"type", "boolean"}})},
            {"port", orTemplate({{"type", "integer"}})}}}}},
        {"sync",
         {{"type", "object"}, {"additionalProperties", false}, {"properties", {{"defaults", syncDefaults}}}}}}}};
  json environment = {{"type", "object"},
                      {"required", json::array({"name"})},
                      {"properties", {{"name", {{"type", "string"}}}, {"variables", {{"type", "object"}}}}}};
  return {{"type", "object"},
          {"required", json::array({"kind", "name"})},
          {"properties",
           {{"apiVersion", {{"enum", json::array({"garden.io/v1", "garden.io/v2"})}}},
            {"kind", {{"const", "Project"}}},
            {"name", {{"type", "string"}, {"pattern", "^[a-z][a-z0-9-]*$"}}},
            {"defaultEnvironment", {{"type", "string"}}},
            {"environments", {{"type", "array"}, {"items", environment}}},
            {"providers", {{"type", "array"}, {"items", provider}}},
            {"variables", {{"type", "object"}}},
            {"varfile", {{"type", "string"}}},
            {"scan", {{"type", "object"}, {"properties", {{"exclude", stringList()}}}}}}}};
}

}  // namespace

nlohmann::json configJsonSchema() {
  json byKind = json::array();
  for (const auto& [kind, schema] : std::vector<std::pair<std::string, json>>{
           {"Project", projectSchema()}, {"Build", buildSchema()}, {"Deploy", deploySchema()}})
    byKind.push_back({{"if", {{"properties", {{"kind", {{"const", kind}}}}}, {"required", json::array({"kind"})}}},
                      {"then", {{"$ref", "#/$defs/" + kind}}}});
  return {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
          {"$id", "https://gardensync.dev/schema/garden-config.json"},
          {"title", "gardensync project and action files (project.garden.yml, *.garden.yml)"},
          {"type", "object"},
          {"required", json::array({"kind"})},
          {"properties",
           {{"kind",
             {{"enum", json::array({"Project", "Build", "Deploy", "Run", "Test", "Workflow", "Module", "Command",
                                    "ConfigTemplate", "RenderTemplate"})}}}}},
          {"allOf", byKind},
          {"$defs", {{"Project", projectSchema()}, {"Build", buildSchema()}, {"Deploy", deploySchema()}}}};
}

}  // namespace gardensync::config
