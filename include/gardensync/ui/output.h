// Everything gardensync shows the user goes through here: logging on stderr (spdlog), results on
// stdout as text or as JSON (`--output json`), tables, and TTY detection for progress display.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace gardensync::ui {

// jsonl (JSON Lines): what json prints, as one line per object; commands that follow sync events
// print one object per event.
enum class OutputFormat { Text, Json, JsonLines };

// The format results are printed in (printJson), set once from `--output`.
void setOutputFormat(OutputFormat format);

// Sets up the stderr logger; `level` is one of error, warn, info, debug, trace (checked by the CLI).
void initLogging(std::string_view level);

bool stdoutIsTty();
bool stderrIsTty();

// A result on stdout: indented, or on one line for jsonl.
void printJson(const nlohmann::json& value);
// One object on one line, flushed at once (an event of a stream).
void printJsonLine(const nlohmann::json& value);
void printLine(std::string_view text);

// A plain text table with a header row; columns are padded to the widest cell.
std::string formatTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows);

// Prints an error (and hint) to stderr in the standard shape.
void printError(std::string_view message, std::string_view hint = {});

}  // namespace gardensync::ui
