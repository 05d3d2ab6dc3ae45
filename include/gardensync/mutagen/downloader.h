// Downloads a URL to a file with libcurl while hashing it (SHA-256): follows redirects, honours
// the usual proxy variables and CURL_CA_BUNDLE/SSL_CERT_FILE, has connect and stall timeouts, and
// retries transient failures with backoff. Supports file:// and http(s)://.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace gardensync::mutagen {

struct DownloadProgress {
  uint64_t received = 0;
  uint64_t total = 0;  // 0 when unknown
};

struct DownloadOptions {
  int attempts = 4;                                   // total tries for transient failures
  std::chrono::milliseconds firstBackoff{500};        // doubles each retry
  std::chrono::seconds connectTimeout{15};
  std::chrono::seconds stallTimeout{30};              // abort when below 1 byte/s for this long
  uint64_t maxBytes = 512ull * 1024 * 1024;           // refuse larger bodies
  std::function<void(const DownloadProgress&)> onProgress;  // called at most ~10 times a second
  std::function<void(const std::string&)> onRetry;          // "retrying in 1s: HTTP 503"
};

struct DownloadResult {
  uint64_t bytes = 0;
  std::string sha256;  // lowercase hex of what was written
};

// Writes to `destination` (created or truncated). Throws Error with the URL, what went wrong
// (HTTP status, curl's message) and a hint; HTTP 4xx are not retried, 5xx and network errors are.
// On failure `destination` is removed.
DownloadResult downloadFile(const std::string& url, const std::filesystem::path& destination,
                            const DownloadOptions& options = {});

// Downloads a small text resource (SHA256SUMS) into memory, with the same rules.
// The protocols a redirect from `url` may lead to: an https URL never falls back to plain http
// (a redirect there would drop the transport security the user chose).
std::string allowedRedirectProtocols(std::string_view url);

std::string downloadText(const std::string& url, const DownloadOptions& options = {});

}  // namespace gardensync::mutagen
