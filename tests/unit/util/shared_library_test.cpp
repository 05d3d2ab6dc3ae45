#include "gardensync/util/shared_library.h"

#include <cstring>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "gardensync/util/error.h"

namespace gardensync::util {
namespace {

using ::testing::HasSubstr;

TEST(SharedLibrary, FindsAFunctionOfALoadedLibrary) {
  const SharedLibrary libc("libc.so.6", "libc6", "the test");
  const auto length = libc.function<decltype(&std::strlen)>("strlen");
  EXPECT_EQ(length("four"), 4u);
}

TEST(SharedLibrary, AMissingLibraryIsNamedWithWhatItIsForAndItsPackage) {
  try {
    SharedLibrary("libgardensync-none.so.7", "libgardensync-none7", "downloading Mutagen");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_THAT(std::string(e.what()),
                HasSubstr("cannot load libgardensync-none.so.7, which gardensync needs for downloading Mutagen"));
    EXPECT_THAT(e.hint(), HasSubstr("apt-get install libgardensync-none7"));
  }
}

TEST(SharedLibrary, AMissingFunctionIsNamed) {
  const SharedLibrary libc("libc.so.6", "libc6", "the test");
  try {
    libc.function<void (*)()>("gardensync_no_such_function");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr("libc.so.6 has no function gardensync_no_such_function"));
  }
}

}  // namespace
}  // namespace gardensync::util
