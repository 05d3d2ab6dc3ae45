// A shared library opened when first needed (dlopen) rather than when gardensync starts. libcurl
// and libarchive serve only the Mutagen download, yet loading them and what they pull in (GnuTLS,
// Kerberos, LDAP, ICU, ...) took about 6 ms at the start of every command, `sync status` included.
#pragma once

#include <string>

namespace gardensync::util {

class SharedLibrary {
public:
  // Opens `soname` ("libcurl.so.4", from the Debian package `package`); throws Error saying what
  // it is `neededFor` when it cannot. The library stays loaded for the life of the process.
  SharedLibrary(std::string soname, const std::string& package, std::string neededFor);

  // The function `name`, as a pointer of type F (decltype(&name) of the library's own header);
  // throws Error when the library lacks it.
  template <typename F>
  F function(const char* name) const {
    return reinterpret_cast<F>(address(name));
  }

private:
  void* address(const char* name) const;

  void* handle_ = nullptr;
  std::string soname_;
  std::string neededFor_;
};

}  // namespace gardensync::util
