#include "gardensync/mutagen/downloader.h"

#include <curl/curl.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "gardensync/util/error.h"
#include "gardensync/util/hash.h"
#include "gardensync/util/shared_library.h"
#include "gardensync/util/text.h"

namespace gardensync::mutagen {

namespace {

using namespace std::chrono_literals;

constexpr std::string_view kUrlHint = "check the URL or GARDENSYNC_MUTAGEN_MIRROR";
constexpr std::string_view kNetworkHint =
    "check the network and proxy settings (https_proxy, no_proxy), or set GARDENSYNC_MUTAGEN_MIRROR";
constexpr std::string_view kServerHint = "the server is failing; try again later or set GARDENSYNC_MUTAGEN_MIRROR";
constexpr std::string_view kTlsHint =
    "if a proxy re-signs TLS traffic, point CURL_CA_BUNDLE or SSL_CERT_FILE at its CA bundle";

// The libcurl functions used here, loaded on the first download (util/shared_library.h). The
// soname is libcurl's since 2006.
struct CurlApi {
  decltype(&curl_global_init) globalInit;
  decltype(&curl_easy_init) easyInit;
  decltype(&curl_easy_setopt) easySetopt;
  decltype(&curl_easy_perform) easyPerform;
  decltype(&curl_easy_getinfo) easyGetinfo;
  decltype(&curl_easy_strerror) easyStrerror;
  decltype(&curl_easy_cleanup) easyCleanup;
};

// curl_global_init is not thread-safe on every libcurl build; a function-local static runs it
// exactly once. It is never cleaned up: the process keeps libcurl until it exits.
const CurlApi& curlApi() {
  static const CurlApi api = [] {
    const util::SharedLibrary library("libcurl.so.4", "libcurl4", "downloading Mutagen");
    const CurlApi loaded{library.function<decltype(&curl_global_init)>("curl_global_init"),
                         library.function<decltype(&curl_easy_init)>("curl_easy_init"),
                         library.function<decltype(&curl_easy_setopt)>("curl_easy_setopt"),
                         library.function<decltype(&curl_easy_perform)>("curl_easy_perform"),
                         library.function<decltype(&curl_easy_getinfo)>("curl_easy_getinfo"),
                         library.function<decltype(&curl_easy_strerror)>("curl_easy_strerror"),
                         library.function<decltype(&curl_easy_cleanup)>("curl_easy_cleanup")};
    if (loaded.globalInit(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw Error("cannot initialise libcurl");
    return loaded;
  }();
  return api;
}

struct CurlDeleter {
  void operator()(CURL* handle) const { curlApi().easyCleanup(handle); }
};
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

// Where one attempt's body goes. A retry starts over, so restart() drops what a failed attempt
// stored.
class BodySink {
public:
  virtual ~BodySink() = default;
  virtual void restart() = 0;
  virtual bool append(const char* data, size_t size) = 0;  // false: could not store it
  virtual std::string failure() const = 0;                 // why append failed
};

class FileSink : public BodySink {
public:
  explicit FileSink(std::filesystem::path path) : path_(std::move(path)) {}

  void restart() override {
    file_.reset(std::fopen(path_.c_str(), "wb"));
    if (!file_) throw Error(fmt::format("cannot write {}: {}", path_.string(), std::strerror(errno)));
    errno_ = 0;
  }

  bool append(const char* data, size_t size) override {
    if (std::fwrite(data, 1, size, file_.get()) == size) return true;
    errno_ = errno;
    return false;
  }

  std::string failure() const override {
    return fmt::format("cannot write {}: {}", path_.string(), std::strerror(errno_));
  }

  // fclose flushes the last buffer, so a full disk can show up only here.
  void close() {
    if (std::fclose(file_.release()) != 0)
      throw Error(fmt::format("cannot write {}: {}", path_.string(), std::strerror(errno)));
  }

  void discard() {
    file_.reset();
    std::error_code ignored;  // the file may never have been created
    std::filesystem::remove(path_, ignored);
  }

private:
  std::filesystem::path path_;
  FilePtr file_;
  int errno_ = 0;
};

class TextSink : public BodySink {
public:
  void restart() override { text_.clear(); }
  bool append(const char* data, size_t size) override {
    text_.append(data, size);
    return true;
  }
  std::string failure() const override { return "out of memory"; }
  std::string take() { return std::move(text_); }

private:
  std::string text_;
};

// State shared with libcurl's callbacks during one attempt.
struct Transfer {
  Transfer(BodySink& sink, const DownloadOptions& options) : sink(sink), options(options) {}

  BodySink& sink;
  const DownloadOptions& options;
  util::Sha256 hash;
  uint64_t received = 0;
  bool tooLarge = false;
  bool sinkFailed = false;
  std::exception_ptr callbackError;  // exceptions must not cross libcurl's C frames
  std::chrono::steady_clock::time_point lastProgress{};
};

size_t onBody(char* data, size_t, size_t size, void* userdata) {
  auto& transfer = *static_cast<Transfer*>(userdata);
  if (transfer.received + size > transfer.options.maxBytes) {
    transfer.tooLarge = true;
    return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
  }
  if (!transfer.sink.append(data, size)) {
    transfer.sinkFailed = true;
    return 0;
  }
  transfer.hash.update(data, size);
  transfer.received += size;
  return size;
}

int onProgress(void* userdata, curl_off_t total, curl_off_t now, curl_off_t, curl_off_t) {
  auto& transfer = *static_cast<Transfer*>(userdata);
  const auto clock = std::chrono::steady_clock::now();
  if (clock - transfer.lastProgress < 100ms) return 0;
  transfer.lastProgress = clock;
  try {
    transfer.options.onProgress({static_cast<uint64_t>(now), static_cast<uint64_t>(total)});
  } catch (...) {
    transfer.callbackError = std::current_exception();
    return 1;  // aborts the transfer
  }
  return 0;
}

template <typename T>
void setOption(CURL* curl, CURLoption option, T value) {
  if (const CURLcode code = curlApi().easySetopt(curl, option, value); code != CURLE_OK)
    throw Error(fmt::format("cannot configure libcurl: {}", curlApi().easyStrerror(code)));
}

// libcurl reads the proxy variables itself but, unlike the curl tool, ignores the CA variables;
// corporate networks that re-sign TLS rely on them.
void applyCaSettings(CURL* curl) {
  const char* bundle = util::environmentValue("CURL_CA_BUNDLE");
  if (!bundle) bundle = util::environmentValue("SSL_CERT_FILE");
  if (bundle) setOption(curl, CURLOPT_CAINFO, bundle);
  if (const char* directory = util::environmentValue("SSL_CERT_DIR")) setOption(curl, CURLOPT_CAPATH, directory);
}

}  // namespace

std::string allowedRedirectProtocols(std::string_view url) {
  return url.starts_with("https://") ? "https" : "http,https";
}

namespace {

void configure(CURL* curl, const std::string& url, const DownloadOptions& options, Transfer& transfer,
               char* errorText) {
  setOption(curl, CURLOPT_URL, url.c_str());
  setOption(curl, CURLOPT_ERRORBUFFER, errorText);
  setOption(curl, CURLOPT_PROTOCOLS_STR, "http,https,file");
  const std::string redirects = allowedRedirectProtocols(url);
  setOption(curl, CURLOPT_REDIR_PROTOCOLS_STR, redirects.c_str());
  setOption(curl, CURLOPT_FOLLOWLOCATION, 1L);
  setOption(curl, CURLOPT_MAXREDIRS, 10L);
  // Error statuses end the transfer before their body reaches the destination.
  setOption(curl, CURLOPT_FAILONERROR, 1L);
  // Signals are unsafe with threads; without them a DNS lookup cannot be timed out, which the
  // stall timeout still bounds.
  setOption(curl, CURLOPT_NOSIGNAL, 1L);
  setOption(curl, CURLOPT_USERAGENT, "gardensync/" GARDENSYNC_VERSION);
  setOption(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connectTimeout / 1ms));
  setOption(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  setOption(curl, CURLOPT_LOW_SPEED_TIME, static_cast<long>(options.stallTimeout.count()));
  // Refuses early when the server announces a larger body; onBody enforces it when it does not.
  setOption(curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.maxBytes));
  setOption(curl, CURLOPT_WRITEFUNCTION, onBody);
  setOption(curl, CURLOPT_WRITEDATA, &transfer);
  if (options.onProgress) {
    setOption(curl, CURLOPT_NOPROGRESS, 0L);
    setOption(curl, CURLOPT_XFERINFOFUNCTION, onProgress);
    setOption(curl, CURLOPT_XFERINFODATA, &transfer);
  }
  applyCaSettings(curl);
}

// Why an attempt failed, and whether trying again may help.
struct Failure {
  std::string what;
  std::string_view hint;
  bool retryable = false;
};

bool isTransient(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

std::string_view hintFor(CURLcode code) {
  switch (code) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CONNECT_ERROR:
      return kTlsHint;
    default:
      return isTransient(code) ? kNetworkHint : kUrlHint;
  }
}

Failure httpFailure(CURL* curl) {
  long status = 0;
  curlApi().easyGetinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  const bool retryable = status >= 500 || status == 429 || status == 408;
  return {fmt::format("HTTP {}", status), retryable ? kServerHint : kUrlHint, retryable};
}

std::optional<Failure> classify(CURL* curl, CURLcode code, const char* errorText, const Transfer& transfer) {
  if (transfer.tooLarge || code == CURLE_FILESIZE_EXCEEDED)
    return Failure{fmt::format("larger than the limit of {} bytes", transfer.options.maxBytes), kUrlHint, false};
  if (transfer.sinkFailed) return Failure{transfer.sink.failure(), "free some disk space and try again", false};
  if (code == CURLE_HTTP_RETURNED_ERROR) return httpFailure(curl);
  if (code != CURLE_OK)
    return Failure{*errorText ? errorText : curlApi().easyStrerror(code), hintFor(code), isTransient(code)};
  // libcurl reports a connection closed before Content-Length as CURLE_PARTIAL_FILE; this catches
  // any other way a body could come up short.
  curl_off_t announced = -1;
  curlApi().easyGetinfo(curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &announced);
  if (announced >= 0 && static_cast<uint64_t>(announced) != transfer.received)
    return Failure{fmt::format("body truncated: received {} of {} bytes", transfer.received, announced),
                   kNetworkHint, true};
  return std::nullopt;
}

std::optional<Failure> runAttempt(const std::string& url, const DownloadOptions& options, Transfer& transfer) {
  CurlHandle curl(curlApi().easyInit());
  if (!curl) throw Error("cannot initialise libcurl");
  char errorText[CURL_ERROR_SIZE] = "";
  configure(curl.get(), url, options, transfer, errorText);
  const CURLcode code = curlApi().easyPerform(curl.get());
  if (transfer.callbackError) std::rethrow_exception(transfer.callbackError);
  return classify(curl.get(), code, errorText, transfer);
}

std::string formatDelay(std::chrono::milliseconds delay) {
  if (delay.count() % 1000 == 0) return fmt::format("{}s", delay.count() / 1000);
  return fmt::format("{}ms", delay.count());
}

DownloadResult fetch(const std::string& url, BodySink& sink, const DownloadOptions& options) {
  curlApi();  // loads libcurl, or says why it cannot, before any attempt
  const int attempts = std::max(1, options.attempts);
  std::chrono::milliseconds backoff = options.firstBackoff;
  for (int attempt = 1;; ++attempt) {
    sink.restart();
    Transfer transfer(sink, options);
    const std::optional<Failure> failure = runAttempt(url, options, transfer);
    if (!failure) {
      if (options.onProgress) options.onProgress({transfer.received, transfer.received});
      return {transfer.received, transfer.hash.finishHex()};
    }
    if (!failure->retryable || attempt >= attempts) {
      const std::string tries = attempt > 1 ? fmt::format(" (after {} attempts)", attempt) : "";
      throw Error(fmt::format("cannot download {}: {}{}", url, failure->what, tries), std::string(failure->hint));
    }
    if (options.onRetry) options.onRetry(fmt::format("retrying in {}: {}", formatDelay(backoff), failure->what));
    std::this_thread::sleep_for(backoff);
    backoff *= 2;
  }
}

}  // namespace

DownloadResult downloadFile(const std::string& url, const std::filesystem::path& destination,
                            const DownloadOptions& options) {
  FileSink sink(destination);
  try {
    DownloadResult result = fetch(url, sink, options);
    sink.close();
    return result;
  } catch (...) {
    sink.discard();
    throw;
  }
}

std::string downloadText(const std::string& url, const DownloadOptions& options) {
  TextSink sink;
  fetch(url, sink, options);
  return sink.take();
}

}  // namespace gardensync::mutagen
