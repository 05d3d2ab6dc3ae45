// SHA-256 (OpenSSL) of bytes in memory and of files, as lowercase hex.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace gardensync::util {

std::string sha256Hex(std::string_view data);
std::string sha256File(const std::filesystem::path& file);  // throws Error when unreadable

// Incremental hashing, for data that streams past (downloads).
class Sha256 {
public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(const void* data, size_t size);
  std::string finishHex();

private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace gardensync::util
