#include "gardensync/mutagen/downloader.h"

#include <atomic>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "gardensync/util/error.h"
#include "gardensync/util/hash.h"
#include "test_support.h"

namespace gardensync::mutagen {
namespace {

using gardensync::test_support::LocalServer;
using gardensync::test_support::TempDir;
using gardensync::test_support::readFile;
using gardensync::test_support::writeFile;
using ::testing::HasSubstr;

const std::string kBody = std::string(100000, 'x') + "end";

// Quick retries: these tests are about which failures are retried, not about waiting.
DownloadOptions fastRetries(int attempts = 3) {
  DownloadOptions options;
  options.attempts = attempts;
  options.firstBackoff = std::chrono::milliseconds(1);
  return options;
}

Error downloadError(const std::string& url, const std::filesystem::path& destination,
                    const DownloadOptions& options) {
  try {
    downloadFile(url, destination, options);
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << "download of " << url << " did not fail";
  return Error("");
}

TEST(Download, WritesTheBodyAndReturnsItsSha256) {
  LocalServer server;
  server.http.Get("/file", [](const httplib::Request&, httplib::Response& response) {
    response.set_content(kBody, "application/octet-stream");
  });
  server.start();
  TempDir temp;
  std::vector<DownloadProgress> progress;
  DownloadOptions options;
  options.onProgress = [&](const DownloadProgress& report) { progress.push_back(report); };

  const DownloadResult result = downloadFile(server.url("/file"), temp / "out", options);

  EXPECT_EQ(readFile(temp / "out"), kBody);
  EXPECT_EQ(result.bytes, kBody.size());
  EXPECT_EQ(result.sha256, util::sha256Hex(kBody));
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back().received, kBody.size());
}

TEST(Download, FollowsRedirects) {
  LocalServer server;
  server.http.Get("/old", [](const httplib::Request&, httplib::Response& response) {
    response.set_redirect("/new");
  });
  server.http.Get("/new", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("moved", "text/plain");
  });
  server.start();
  TempDir temp;

  const DownloadResult result = downloadFile(server.url("/old"), temp / "out");

  EXPECT_EQ(readFile(temp / "out"), "moved");
  EXPECT_EQ(result.sha256, util::sha256Hex("moved"));
}

TEST(Download, AnHttpsUrlRedirectsOnlyToHttps) {
  EXPECT_EQ(allowedRedirectProtocols("https://github.com/mutagen-io/x.tar.gz"), "https");
  EXPECT_EQ(allowedRedirectProtocols("http://127.0.0.1:8080/x.tar.gz"), "http,https");
}

TEST(Download, ReadsFileUrls) {
  TempDir temp;
  writeFile(temp / "source", kBody);

  const DownloadResult result = downloadFile("file://" + (temp / "source").string(), temp / "out");

  EXPECT_EQ(readFile(temp / "out"), kBody);
  EXPECT_EQ(result.sha256, util::sha256Hex(kBody));
}

TEST(Download, NotFoundFailsAtOnceAndRemovesTheDestination) {
  std::atomic<int> requests = 0;
  LocalServer server;
  server.http.Get("/missing", [&](const httplib::Request&, httplib::Response& response) {
    ++requests;
    response.status = 404;
    response.set_content("no such file", "text/plain");
  });
  server.start();
  TempDir temp;
  writeFile(temp / "out", "left from before");

  const Error error = downloadError(server.url("/missing"), temp / "out", fastRetries());

  EXPECT_THAT(error.what(), HasSubstr(server.url("/missing")));
  EXPECT_THAT(error.what(), HasSubstr("HTTP 404"));
  EXPECT_THAT(error.hint(), HasSubstr("GARDENSYNC_MUTAGEN_MIRROR"));
  EXPECT_EQ(requests, 1);
  EXPECT_FALSE(std::filesystem::exists(temp / "out"));
}

TEST(Download, RetriesAServerErrorThenSucceeds) {
  std::atomic<int> requests = 0;
  LocalServer server;
  server.http.Get("/flaky", [&](const httplib::Request&, httplib::Response& response) {
    if (++requests == 1) {
      response.status = 500;
      response.set_content("try later", "text/plain");
      return;
    }
    response.set_content(kBody, "application/octet-stream");
  });
  server.start();
  TempDir temp;
  std::vector<std::string> retries;
  DownloadOptions options = fastRetries();
  options.onRetry = [&](const std::string& message) { retries.push_back(message); };

  const DownloadResult result = downloadFile(server.url("/flaky"), temp / "out", options);

  EXPECT_EQ(readFile(temp / "out"), kBody);
  EXPECT_EQ(result.sha256, util::sha256Hex(kBody));
  EXPECT_EQ(requests, 2);
  EXPECT_THAT(retries, ::testing::ElementsAre(HasSubstr("HTTP 500")));
}

TEST(Download, GivesUpAfterTheLastAttempt) {
  std::atomic<int> requests = 0;
  LocalServer server;
  server.http.Get("/down", [&](const httplib::Request&, httplib::Response& response) {
    ++requests;
    response.status = 503;
  });
  server.start();
  TempDir temp;

  const Error error = downloadError(server.url("/down"), temp / "out", fastRetries(3));

  EXPECT_THAT(error.what(), HasSubstr("HTTP 503 (after 3 attempts)"));
  EXPECT_EQ(requests, 3);
  EXPECT_FALSE(std::filesystem::exists(temp / "out"));
}

// The server announces 1000 bytes and closes the connection after 10.
TEST(Download, TruncatedBodyIsAnError) {
  std::atomic<int> requests = 0;
  LocalServer server;
  server.http.Get("/short", [&](const httplib::Request&, httplib::Response& response) {
    ++requests;
    response.set_content_provider(1000, "application/octet-stream",
                                  [](size_t, size_t, httplib::DataSink& sink) {
                                    sink.write("0123456789", 10);
                                    return false;  // httplib drops the connection
                                  });
  });
  server.start();
  TempDir temp;

  const Error error = downloadError(server.url("/short"), temp / "out", fastRetries(2));

  EXPECT_THAT(error.what(), HasSubstr(server.url("/short")));
  EXPECT_THAT(error.what(), HasSubstr("(after 2 attempts)"));
  EXPECT_EQ(requests, 2);
  EXPECT_FALSE(std::filesystem::exists(temp / "out"));
}

TEST(Download, ConnectionRefusedIsRetriedThenReported) {
  TempDir temp;
  const std::string url = "http://127.0.0.1:" + std::to_string(test_support::closedPort()) + "/file";
  int retries = 0;
  DownloadOptions options = fastRetries(2);
  options.onRetry = [&](const std::string&) { ++retries; };

  const Error error = downloadError(url, temp / "out", options);

  EXPECT_THAT(error.what(), HasSubstr(url));
  EXPECT_THAT(error.what(), HasSubstr("(after 2 attempts)"));
  EXPECT_THAT(error.hint(), HasSubstr("proxy"));
  EXPECT_EQ(retries, 1);
  EXPECT_FALSE(std::filesystem::exists(temp / "out"));
}

TEST(Download, RefusesAnnouncedBodiesAboveTheLimit) {
  LocalServer server;
  server.http.Get("/big", [](const httplib::Request&, httplib::Response& response) {
    response.set_content(kBody, "application/octet-stream");
  });
  server.start();
  TempDir temp;
  DownloadOptions options = fastRetries();
  options.maxBytes = 1000;

  const Error error = downloadError(server.url("/big"), temp / "out", options);

  EXPECT_THAT(error.what(), HasSubstr("larger than the limit of 1000 bytes"));
  EXPECT_THAT(error.what(), ::testing::Not(HasSubstr("attempts")));
  EXPECT_FALSE(std::filesystem::exists(temp / "out"));
}

// Chunked: no Content-Length, so only the count of arriving bytes can stop it.
TEST(Download, RefusesStreamedBodiesAboveTheLimit) {
  LocalServer server;
  server.http.Get("/stream", [](const httplib::Request&, httplib::Response& response) {
    response.set_chunked_content_provider("application/octet-stream", [](size_t offset, httplib::DataSink& sink) {
      if (offset >= kBody.size()) {
        sink.done();
        return true;
      }
      sink.write(kBody.data() + offset, std::min<size_t>(4096, kBody.size() - offset));
      return true;
    });
  });
  server.start();
  TempDir temp;
  DownloadOptions options = fastRetries();
  options.maxBytes = 5000;

  const Error error = downloadError(server.url("/stream"), temp / "out", options);

  EXPECT_THAT(error.what(), HasSubstr("larger than the limit of 5000 bytes"));
  EXPECT_FALSE(std::filesystem::exists(temp / "out"));
}

TEST(Download, MissingFileUrlIsNotRetried) {
  TempDir temp;
  int retries = 0;
  DownloadOptions options = fastRetries();
  options.onRetry = [&](const std::string&) { ++retries; };

  const Error error = downloadError("file://" + (temp / "absent").string(), temp / "out", options);

  EXPECT_THAT(error.what(), HasSubstr("absent"));
  EXPECT_EQ(retries, 0);
}

TEST(DownloadText, ReturnsTheBody) {
  LocalServer server;
  server.http.Get("/SHA256SUMS", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("abc  file\n", "text/plain");
  });
  server.start();

  EXPECT_EQ(downloadText(server.url("/SHA256SUMS")), "abc  file\n");
}

TEST(DownloadText, NotFoundNamesTheUrl) {
  LocalServer server;
  server.start();
  try {
    downloadText(server.url("/SHA256SUMS"), fastRetries());
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr(server.url("/SHA256SUMS") + ": HTTP 404"));
  }
}

}  // namespace
}  // namespace gardensync::mutagen
