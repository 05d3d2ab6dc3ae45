#include "gardensync/cli/commands.h"
#include "gardensync/config/json_schema.h"
#include "gardensync/ui/output.h"

namespace gardensync::cli {

void addSchemaCommand(CLI::App& app, Context&) {
  auto* cmd = app.add_subcommand("schema", "Print the JSON Schema of project and action files, for editors");
  cmd->footer("Examples:\n"
              "  gardensync schema > .garden/schema.json\n\n"
              "Then, for editors that use yaml-language-server (VS Code's YAML extension, Neovim, Helix),\n"
              "start each config file with\n"
              "  # yaml-language-server: $schema=.garden/schema.json\n"
              "or map *.garden.yml to it in the editor's settings (yaml.schemas). The schema is as strict\n"
              "as `gardensync validate` about sync settings and leaves Garden's other keys open.");
  cmd->callback([] { ui::printJson(config::configJsonSchema()); });
}

}  // namespace gardensync::cli
