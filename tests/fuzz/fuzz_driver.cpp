// The seeded mutation loop: `fuzz_<target> <corpus-dir> <iterations> [seed]`. Every corpus file
// runs as is, then `iterations` inputs made from them by a few random edits each (bit flips, byte
// and token insertions, deletions, duplications, splices of two inputs). Deterministic for a
// seed, so a failure in CI reproduces locally. When an input crashes (sanitizer report, an
// unexpected exception) or runs longer than 10 s (a hang, or work out of all proportion to its
// size), it is written to `crash-<n>` in the working folder and named on stderr.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "fuzz_target.h"

#if defined(__SANITIZE_ADDRESS__)
extern "C" void __sanitizer_set_death_callback(void (*callback)());
#endif

namespace {

namespace fs = std::filesystem;

const std::string* currentInput = nullptr;

void saveCurrentInput() {
  if (!currentInput) return;
  const std::string name = "crash-" + std::to_string(std::hash<std::string>{}(*currentInput) % 1000000007);
  std::ofstream(name, std::ios::binary) << *currentInput;
  std::fprintf(stderr, "fuzz: the failing input is in %s (%zu bytes)\n", (fs::current_path() / name).c_str(),
               currentInput->size());
}

// Pieces of the languages under test, so mutations reach past the first syntax check.
const std::vector<std::string> kTokens = {
    "${", "}", "$${", "\n", ": ", "- ", "[", "]", "{", "\"", "'", "\\0", "\\x00", "---\n", "&a", "*a", "<<: *a",
    "var.", "local.env.", "actions.build.", ".outputs.", "project.name", "environment.name", "||", "&&", "==", "?",
    " : ", "(", ")", ",", "kind: Deploy\n", "kind: Build\n", "type: container\n", "sync:\n", "paths:\n",
    "target: ", "source: ", "mode: two-way\n", "exclude: ", "dependencies: [", "variables:\n", "\"identifier\":",
    "\"status\":", "\"alpha\":{", "\"conflicts\":[", "null", "true", "1e999", "-1", "18446744073709551616", "0644",
    "\xff", "\xc3", "\xe2\x82\xac", "$merge", "$if", "$forEach",
};

std::string mutate(const std::string& base, const std::vector<std::string>& corpus, std::mt19937_64& random) {
  std::string data = base;
  auto pick = [&](size_t bound) { return bound == 0 ? size_t{0} : static_cast<size_t>(random() % bound); };
  const size_t edits = 1 + pick(8);
  for (size_t i = 0; i < edits; ++i) {
    const size_t at = pick(data.size() + 1);
    switch (pick(7)) {
      case 0:
        if (!data.empty()) data[pick(data.size())] ^= static_cast<char>(1u << pick(8));
        break;
      case 1: data.insert(at, 1, static_cast<char>(pick(256))); break;
      case 2: data.erase(at, pick(16)); break;
      case 3: data.insert(at, kTokens[pick(kTokens.size())]); break;
      case 4: {
        const size_t length = pick(std::min<size_t>(64, data.size() - std::min(at, data.size()) + 1));
        data.insert(at, data.substr(at, length));
        break;
      }
      case 5: {
        const std::string& other = corpus[pick(corpus.size())];
        const size_t from = pick(other.size() + 1);
        data = data.substr(0, at) + other.substr(from, pick(other.size() - from + 1));
        break;
      }
      default:
        if (!data.empty()) data[pick(data.size())] = static_cast<char>(pick(256));
        break;
    }
  }
  if (data.size() > 64 * 1024) data.resize(64 * 1024);
  return data;
}

std::atomic<long> runsStarted{0};
std::atomic<long> runsFinished{0};

void runOne(const std::string& input) {
  currentInput = &input;
  ++runsStarted;
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
  ++runsFinished;
  currentInput = nullptr;
}

// Aborts (saving the input) when one input runs longer than the limit.
void startWatchdog(std::chrono::seconds limit) {
  std::thread([limit] {
    long watched = -1;
    auto since = std::chrono::steady_clock::now();
    while (true) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      const long running = runsStarted.load();
      if (running != watched || runsFinished.load() == running) {
        watched = running;
        since = std::chrono::steady_clock::now();
        continue;
      }
      if (std::chrono::steady_clock::now() - since > limit) {
        std::fprintf(stderr, "fuzz: one input has run for more than %lld s\n", static_cast<long long>(limit.count()));
        saveCurrentInput();
        std::abort();
      }
    }
  }).detach();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR ITERATIONS [SEED]\n", argv[0]);
    return 2;
  }
  std::set_terminate([] {
    std::fprintf(stderr, "fuzz: an exception escaped the target\n");
    saveCurrentInput();
    std::abort();
  });
#if defined(__SANITIZE_ADDRESS__)
  __sanitizer_set_death_callback(saveCurrentInput);
#endif
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(argv[1]))
    if (entry.is_regular_file()) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::vector<std::string> corpus;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    corpus.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (corpus.empty()) {
    std::fprintf(stderr, "fuzz: no corpus files in %s\n", argv[1]);
    return 2;
  }
  const long iterations = std::atol(argv[2]);
  const unsigned long seed = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 1;
  startWatchdog(std::chrono::seconds(10));
  for (const auto& input : corpus) runOne(input);
  std::mt19937_64 random(seed);
  for (long i = 0; i < iterations; ++i) runOne(mutate(corpus[random() % corpus.size()], corpus, random));
  std::fprintf(stderr, "fuzz: %zu corpus inputs and %ld mutations (seed %lu) ran cleanly\n", corpus.size(),
               iterations, seed);
  return 0;
}
