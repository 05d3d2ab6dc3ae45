#include "gardensync/util/shared_library.h"

#include <dlfcn.h>

#include <utility>

#include <fmt/format.h>

#include "gardensync/util/error.h"

namespace gardensync::util {

SharedLibrary::SharedLibrary(std::string soname, const std::string& package, std::string neededFor)
    : soname_(std::move(soname)), neededFor_(std::move(neededFor)) {
  handle_ = ::dlopen(soname_.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle_) {
    const char* reason = ::dlerror();
    throw Error(fmt::format("cannot load {}, which gardensync needs for {}: {}", soname_, neededFor_,
                            reason ? reason : "unknown error"),
                fmt::format("install the package that provides it (on Debian and Ubuntu: apt-get install {})", package));
  }
}

void* SharedLibrary::address(const char* name) const {
  ::dlerror();
  void* symbol = ::dlsym(handle_, name);
  if (!symbol)
    throw Error(fmt::format("{} has no function {}, which gardensync needs for {}; it is too old or not the "
                            "library gardensync was built for",
                            soname_, name, neededFor_));
  return symbol;
}

}  // namespace gardensync::util
