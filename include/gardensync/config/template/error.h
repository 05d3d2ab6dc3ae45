// The error of a template string that cannot be parsed or resolved.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace gardensync::config {

// `offset` is the position of the failing part (its `${`) inside the template text.
class TemplateError : public std::runtime_error {
public:
  TemplateError(const std::string& message, size_t offset) : std::runtime_error(message), offset(offset) {}
  size_t offset;
};

}  // namespace gardensync::config
