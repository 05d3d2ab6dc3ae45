// The command tree (CLI11). `run` parses argv, dispatches to a command and maps errors to exit
// codes: 0 ok, 1 runtime failure, 2 usage or configuration error.
#pragma once

namespace gardensync::cli {

int run(int argc, char** argv);

}  // namespace gardensync::cli
