// Resolves a YAML tree in place (structure.h on its values), so that code reading it afterwards
// sees the result: `env: ${var.envVars}` becomes a mapping, `$forEach` a list, `${var.port}` the
// number. Nodes that keep their place keep their position (file:line:col); nodes made by
// rendering are reported to the sink with the node they came from, for positions.
#pragma once

#include <string>

#include <yaml-cpp/yaml.h>

#include "gardensync/config/template/scope.h"
#include "gardensync/config/template/structure.h"

namespace gardensync::config::tmpl {

class YamlRenderSink {
public:
  virtual ~YamlRenderSink() = default;
  // A template that fails at `at`; `keyPath` is where it is written.
  virtual void error(const YAML::Node& at, const std::string& keyPath, const std::string& message) = 0;
  // A value left as written because of an error reported already.
  virtual void failed(const YAML::Node& at) = 0;
  // A template left as written because it needs a value gardensync lacks: an error if it is read.
  virtual void deferred(const YAML::Node& at, const std::string& message) = 0;
  // A node rendering made or replaced, which has no position of its own from now on: it is where
  // `origin` is at the time of the call (a node may be its own origin just before it changes).
  virtual void created(const YAML::Node& node, const YAML::Node& origin) = 0;
};

// `keyPath` is the path of `node` in its document ("spec", "" for a document).
void renderYaml(YAML::Node& node, const std::string& keyPath, const Scope& scope, const TreeOptions& options,
                YamlRenderSink& sink);

// The node at `path` below `node`, or the deepest one on the way when the path leaves the tree.
YAML::Node nodeAt(const YAML::Node& node, const std::vector<Value>& path);

}  // namespace gardensync::config::tmpl
