// One function per command group, each adding its subcommands to the CLI11 app.
#pragma once

#include <CLI/CLI.hpp>

#include "gardensync/cli/context.h"

namespace gardensync::cli {

void addCompletionCommand(CLI::App& app, Context& context);
void addDeployCommand(CLI::App& app, Context& context);
void addExecCommand(CLI::App& app, Context& context);
void addGetCommands(CLI::App& app, Context& context);
void addLogsCommand(CLI::App& app, Context& context);
void addSchemaCommand(CLI::App& app, Context& context);
void addSyncCommands(CLI::App& app, Context& context);
void addUtilCommands(CLI::App& app, Context& context);
void addValidateCommand(CLI::App& app, Context& context);
void addVersionCommand(CLI::App& app, Context& context);

}  // namespace gardensync::cli
