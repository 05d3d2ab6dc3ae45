// A uniquely named temporary folder, removed with everything in it when it goes out of scope.
#pragma once

#include <filesystem>
#include <string_view>

namespace gardensync::util {

class TempDir {
public:
  // Creates `<parent>/<prefix>XXXXXX` with a random, unused suffix; throws Error when it cannot.
  TempDir(const std::filesystem::path& parent, std::string_view prefix);
  // In the system's temporary folder.
  explicit TempDir(std::string_view prefix = "gardensync-");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::filesystem::path& relative) const { return path_ / relative; }

private:
  std::filesystem::path path_;
};

}  // namespace gardensync::util
