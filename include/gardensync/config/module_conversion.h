// Garden 0.12 `kind: Module` configs as Garden 0.13/0.14 convert them into actions (Garden's
// convert handlers in core/src/plugins/{container,exec,kubernetes}):
// - container: a container Build named like the module when it has a Dockerfile; a container
//   Deploy per `services[]` (build: the module, image: the module's `image` without a
//   Dockerfile), a Run per `tasks[]`, a Test `<module>-<test>` per `tests[]`. A service's
//   `devMode` ({command, args, sync: [...]}) or `sync` becomes the Deploy's `spec.sync`.
// - kubernetes, helm: one Deploy named like the module (`manifests`, `files`, `namespace`; `chart`
//   or `chartPath`, `values`, `valueFiles`, `releaseName`), `serviceResource` as `defaultTarget`,
//   `sync`/`devMode` paths as sync paths on it, `command`/`args` as a sync override; tasks and
//   tests as kubernetes-pod / helm-pod Runs and Tests.
// - exec: an exec Build (shell) when `build.command` is set or there is nothing else, exec Deploys
//   per service (`devMode`/`syncMode`: persistent in sync mode), Runs and Tests.
// - other types Garden has (terraform, pulumi, persistentvolumeclaim, configmap, jib-container):
//   an action of that type, which gardensync skips, so that what depends on it still loads.
// Module-wide `disabled`, `variables`, `varfile`, `include` and `exclude` go onto every action;
// service and task names in `dependencies` become `deploy.<name>` / `run.<name>`. The actions
// keep the module's nodes, so positions stay where the module writes them.
#pragma once

#include <vector>

#include "gardensync/config/config_templates.h"
#include "gardensync/config/yaml_reader.h"

namespace gardensync::config {

// Replaces every convertible Module among `documents` by its actions; other documents, and
// Modules of types with no conversion (which are noted), pass through. Errors go to `diagnostics`.
std::vector<SourceDocument> convertModules(const std::vector<SourceDocument>& documents, Diagnostics& diagnostics);

}  // namespace gardensync::config
