// A fuzz target: one function that takes arbitrary bytes, as libFuzzer's LLVMFuzzerTestOneInput
// does, so the same targets run under libFuzzer (clang) or under fuzz_driver.cpp, the seeded
// mutation loop that `./dev test` runs with AddressSanitizer and UBSan. A target returns
// normally for every input, the errors gardensync reports to users included; a crash, a
// sanitizer report or any other exception is a bug.
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
