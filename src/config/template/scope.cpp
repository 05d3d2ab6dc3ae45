#include "gardensync/config/template/scope.h"

#include <cmath>

#include <fmt/format.h>

#include "gardensync/config/template/lexer.h"
#include "gardensync/config/template/suggest.h"

namespace gardensync::config::tmpl {

namespace {

bool isPlainName(const std::string& key) {
  if (key.empty() || !isNameStart(key[0])) return false;
  for (char c : key)
    if (!isNamePart(c)) return false;
  return true;
}

std::string keyListText(const Value& mapping) {
  constexpr size_t kShown = 10;
  std::string list;
  size_t count = 0;
  for (const auto& [key, item] : mapping.items()) {
    if (count++ == kShown) {
      list += ", ...";
      break;
    }
    list += (list.empty() ? "" : ", ") + key;
  }
  return list.empty() ? "none" : list;
}

}  // namespace

std::string keyPathText(const std::vector<Value>& keys, size_t count) {
  std::string out;
  for (size_t i = 0; i < count && i < keys.size(); ++i) {
    const Value& key = keys[i];
    if (key.is_number()) {
      out += fmt::format("[{}]", formatNumber(toDouble(key)));
    } else {
      const std::string name = key.is_string() ? key.get<std::string>() : toText(key);
      if (i == 0) out += name;
      else if (isPlainName(name)) out += "." + name;
      else out += "[" + toJson(Value(name)) + "]";
    }
  }
  return out;
}

Lookup lookupIn(const Value& value, const std::vector<Value>& keys, size_t from, std::string path) {
  const Value* at = &value;
  for (size_t i = from; i < keys.size(); ++i) {
    const Value& key = keys[i];
    const std::string here = keyPathText(keys, i + 1);
    if (at->is_object()) {
      const std::string name = key.is_string() ? key.get<std::string>() : toText(key);
      auto found = at->find(name);
      if (found == at->end()) {
        std::vector<std::string> names;
        for (const auto& [k, item] : at->items()) names.push_back(k);
        std::string message = fmt::format("{} has no key \"{}\"", path, name);
        if (auto close = closestName(name, names)) message += fmt::format(" (did you mean \"{}\"?)", *close);
        message += fmt::format("; its keys: {}", keyListText(*at));
        return Lookup::missing(message);
      }
      at = &*found;
    } else if (at->is_array()) {
      double index = -1;
      if (key.is_number()) index = toDouble(key);
      else if (key.is_string()) {
        const std::string& s = key.get_ref<const std::string&>();
        char* end = nullptr;
        const double parsed = std::strtod(s.c_str(), &end);
        if (!s.empty() && end == s.c_str() + s.size()) index = parsed;
      }
      if (index < 0 || std::trunc(index) != index || index >= static_cast<double>(at->size()))
        return Lookup::missing(fmt::format("{} has no item {} (it has {} item{})", path, toText(key), at->size(),
                                           at->size() == 1 ? "" : "s"));
      at = &(*at)[static_cast<size_t>(index)];
    } else {
      return Lookup::missing(
          fmt::format("{} is {}, which has no key \"{}\"", path, describe(*at), toText(key)));
    }
    path = here;
  }
  return Lookup::found(*at);
}

ItemScope::ItemScope(const Scope& outer, Value key, Value value)
    : outer_(outer), item_({{"key", std::move(key)}, {"value", std::move(value)}}) {}

Lookup ItemScope::lookup(const std::vector<Value>& keys) const {
  if (keys.empty() || keys[0] != "item") return outer_.lookup(keys);
  return lookupIn(item_, keys, 1, "item");
}

}  // namespace gardensync::config::tmpl
