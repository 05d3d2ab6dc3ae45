#include "gardensync/ui/output.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>

#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace gardensync::ui {

void initLogging(std::string_view level) {
  auto logger = spdlog::stderr_color_mt("gardensync");
  logger->set_pattern("%^%l%$: %v");
  logger->set_level(spdlog::level::from_str(std::string(level)));
  spdlog::set_default_logger(logger);
}

bool stdoutIsTty() { return isatty(STDOUT_FILENO) == 1; }
bool stderrIsTty() { return isatty(STDERR_FILENO) == 1; }

namespace {
OutputFormat outputFormat = OutputFormat::Text;
}  // namespace

void setOutputFormat(OutputFormat format) { outputFormat = format; }

void printJson(const nlohmann::json& value) {
  if (outputFormat == OutputFormat::JsonLines) return printJsonLine(value);
  std::cout << value.dump(2) << std::endl;
}

void printJsonLine(const nlohmann::json& value) {
  // Replacing invalid UTF-8 (a file name from the disk) rather than throwing mid-stream.
  std::cout << value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
}

void printLine(std::string_view text) { std::cout << text << std::endl; }

std::string formatTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths(header.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  };
  measure(header);
  for (const auto& row : rows) measure(row);
  auto render = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    return line + "\n";
  };
  std::string text = render(header);
  for (const auto& row : rows) text += render(row);
  return text;
}

void printError(std::string_view message, std::string_view hint) {
  std::fflush(stdout);
  std::cerr << "error: " << message << "\n";
  if (!hint.empty()) std::cerr << "hint: " << hint << "\n";
}

}  // namespace gardensync::ui
