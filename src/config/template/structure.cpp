#include "gardensync/config/template/structure.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "gardensync/config/template/error.h"
#include "gardensync/config/template/interpolate.h"
#include "gardensync/config/template/parser.h"

namespace gardensync::config::tmpl {

namespace {

constexpr const char* kMerge = "$merge";
constexpr const char* kConcat = "$concat";
constexpr const char* kIf = "$if";
constexpr const char* kThen = "$then";
constexpr const char* kElse = "$else";
constexpr const char* kForEach = "$forEach";
constexpr const char* kReturn = "$return";
constexpr const char* kFilter = "$filter";

// "\"a\", \"b\" and \"c\"", as Garden's naturalList.
std::string naturalList(const std::vector<std::string>& items, bool quoted) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " and " : ", ";
    out += quoted ? "\"" + items[i] + "\"" : items[i];
  }
  return out;
}

std::vector<std::string> keysOf(const Value& mapping) {
  std::vector<std::string> keys;
  for (const auto& [key, item] : mapping.items()) keys.push_back(key);
  return keys;
}

std::vector<Value> extend(const std::vector<Value>& path, Value key) {
  std::vector<Value> out = path;
  out.push_back(std::move(key));
  return out;
}

class TreeResolver {
public:
  TreeResolver(const TreeOptions& options, TreeResult& result) : options_(options), result_(result) {}

  // The resolved value, or nullopt for no value. `output` says whether the value is part of the
  // result (its strings take options_.escapes) or an operator's input (a plain value).
  std::optional<Value> resolve(const Value& raw, const Scope& scope, const std::vector<Value>& path, bool output) {
    if (raw.is_string()) return resolveString(raw, scope, path, output);
    if (raw.is_array()) return resolveList(raw, scope, path, output);
    if (raw.is_object()) {
      if (raw.contains(kForEach)) return resolveForEach(raw, scope, path, output);
      if (raw.contains(kIf)) return resolveIf(raw, scope, path, output);
      return resolveMapping(raw, scope, path, output);
    }
    return raw;
  }

private:
  const Value& keepAsWritten(const Value& raw, const std::vector<Value>& path) {
    result_.failed.push_back(path);
    return raw;
  }

  void error(const std::vector<Value>& path, std::string message) {
    // A `$forEach` repeats its `$return`: the same problem at the same place is reported once.
    if (!reported_.insert({pathText("", path), message}).second) return;
    result_.errors.push_back({path, std::move(message)});
  }

  std::optional<Value> resolveString(const Value& raw, const Scope& scope, const std::vector<Value>& path,
                                     bool output) {
    const std::string& text = raw.get_ref<const std::string&>();
    if (!mayHoldTemplate(text)) return raw;
    ResolveBudget* budget = options_.budget;
    const bool budgetIsNearer = budget && budget->remaining < kMaxResolvedBytes;
    RenderOptions render{output ? options_.escapes : Escapes::Unescape,
                         budgetIsNearer ? budget->remaining : kMaxResolvedBytes, options_.deferUnsupported};
    try {
      const Template parsed = parseTemplate(text);
      Rendered rendered = renderTemplate(parsed, scope, render);
      switch (rendered.kind) {
        case Rendered::Kind::Undefined: return std::nullopt;
        case Rendered::Kind::Deferred:
          result_.deferred.push_back({path, rendered.reason});
          return raw;
        case Rendered::Kind::Value: break;
      }
      if (budget) budget->remaining -= std::min(budget->remaining, approximateSize(rendered.value));
      return std::move(rendered.value);
    } catch (const TemplateError& e) {
      error(path, e.what());
    } catch (const OutputTooLarge&) {
      if (budgetIsNearer) {
        budget->spent = true;
        error(path, budgetSpentMessage());
      } else {
        error(path, tooLargeMessage());
      }
    }
    return keepAsWritten(raw, path);
  }

  std::optional<Value> resolveList(const Value& raw, const Scope& scope, const std::vector<Value>& path, bool output) {
    Value out = Value::array();
    for (size_t i = 0; i < raw.size(); ++i) {
      const Value& item = raw[i];
      const std::vector<Value> itemPath = extend(path, numberValue(static_cast<double>(i)));
      if (item.is_object() && item.contains(kConcat)) {
        if (item.size() > 1) {
          std::vector<std::string> extra;
          for (const auto& key : keysOf(item))
            if (key != kConcat) extra.push_back(key);
          error(itemPath, fmt::format("A list item with a {} key cannot have any other keys (found {})", kConcat,
                                      naturalList(extra, true)));
          out.push_back(keepAsWritten(item, itemPath));
          continue;
        }
        const std::vector<Value> concatPath = extend(itemPath, kConcat);
        const size_t errors = result_.errors.size();
        std::optional<Value> spliced = resolve(item[kConcat], scope, concatPath, output);
        if (result_.errors.size() != errors) {
          out.push_back(keepAsWritten(item, itemPath));
          continue;
        }
        if (!spliced || !spliced->is_array()) {
          error(concatPath, fmt::format("Value of {} key must be (or resolve to) an array (got {})", kConcat,
                                        spliced ? describe(*spliced) : "no value"));
          out.push_back(keepAsWritten(item, itemPath));
          continue;
        }
        for (auto& value : *spliced) out.push_back(std::move(value));
        continue;
      }
      std::optional<Value> value = resolve(item, scope, itemPath, output);
      if (value) out.push_back(std::move(*value));
    }
    return out;
  }

  std::optional<Value> resolveMapping(const Value& raw, const Scope& scope, const std::vector<Value>& path,
                                      bool output) {
    Value out = Value::object();
    // Only a `$merge` can bring a key twice; an index finds it without a search per key.
    std::unordered_map<std::string, size_t> index;
    const bool merging = raw.contains(kMerge);
    auto set = [&](const std::string& key, Value value) {
      if (merging) {
        auto [it, inserted] = index.emplace(key, out.size());
        if (!inserted) {
          (out.get_ref<Value::object_t&>().begin() + static_cast<std::ptrdiff_t>(it->second))->second = std::move(value);
          return;
        }
      }
      appendEntry(out, key, std::move(value));
    };
    for (const auto& [key, item] : raw.items()) {
      const std::vector<Value> itemPath = extend(path, key);
      if (key == kMerge) {
        const size_t errors = result_.errors.size();
        std::optional<Value> merged = resolve(item, scope, itemPath, output);
        if (result_.errors.size() != errors) continue;
        if (!merged || !merged->is_object()) {
          error(itemPath, fmt::format("Value of {} key must be (or resolve to) a mapping object (got {})", kMerge,
                                      merged ? describe(*merged) : "no value"));
          continue;
        }
        for (auto& [mergedKey, mergedValue] : merged->items()) set(mergedKey, std::move(mergedValue));
        continue;
      }
      std::optional<Value> value = resolve(item, scope, itemPath, output);
      if (value) set(key, std::move(*value));
    }
    if (merging) {
      // A key left without a value by its template (`${x}?`) after a $merge set it is gone too.
      Value compact = Value::object();
      for (auto& [key, value] : out.items()) appendEntry(compact, key, std::move(value));
      return compact;
    }
    return out;
  }

  bool checkKeys(const Value& raw, const std::vector<Value>& path, const char* operatorKey,
                 const std::vector<std::string>& allowed) {
    std::vector<std::string> unexpected;
    for (const auto& key : keysOf(raw))
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) unexpected.push_back(key);
    if (unexpected.empty()) return true;
    error(extend(path, unexpected.front()),
          fmt::format("Found one or more unexpected keys on {} object: {}. Allowed keys: {}", operatorKey,
                      naturalList(unexpected, true), naturalList(allowed, false)));
    return false;
  }

  std::optional<Value> resolveIf(const Value& raw, const Scope& scope, const std::vector<Value>& path, bool output) {
    if (!raw.contains(kThen)) {
      error(path, fmt::format("Missing {} field next to {} field. Got: {}", kThen, kIf, naturalList(keysOf(raw), false)));
      return keepAsWritten(raw, path);
    }
    if (!checkKeys(raw, path, kIf, {kIf, kThen, kElse})) return keepAsWritten(raw, path);
    const std::vector<Value> conditionPath = extend(path, kIf);
    const size_t errors = result_.errors.size();
    std::optional<Value> condition = resolve(raw[kIf], scope, conditionPath, false);
    if (result_.errors.size() != errors) return keepAsWritten(raw, path);
    if (!condition || !condition->is_boolean()) {
      error(conditionPath, fmt::format("Value of {} key must be (or resolve to) a boolean (got {})", kIf,
                                       condition ? typeOf(*condition) : "undefined"));
      return keepAsWritten(raw, path);
    }
    const char* branch = condition->get<bool>() ? kThen : kElse;
    if (!raw.contains(branch)) return std::nullopt;
    return resolve(raw[branch], scope, extend(path, branch), output);
  }

  std::optional<Value> resolveForEach(const Value& raw, const Scope& scope, const std::vector<Value>& path,
                                      bool output) {
    if (!checkKeys(raw, path, kForEach, {kForEach, kReturn, kFilter})) return keepAsWritten(raw, path);
    if (!raw.contains(kReturn)) {
      error(extend(path, kReturn), fmt::format("Missing {} field next to {} field. Got {}", kReturn, kForEach,
                                               naturalList(keysOf(raw), false)));
      return keepAsWritten(raw, path);
    }
    const std::vector<Value> collectionPath = extend(path, kForEach);
    size_t errors = result_.errors.size();
    std::optional<Value> collection = resolve(raw[kForEach], scope, collectionPath, false);
    if (result_.errors.size() != errors) return keepAsWritten(raw, path);
    if (!collection || (!collection->is_array() && !collection->is_object())) {
      error(collectionPath, fmt::format("Value of {} key must be (or resolve to) an array or mapping object (got {})",
                                        kForEach, collection ? typeOf(*collection) : "undefined"));
      return keepAsWritten(raw, path);
    }
    // `$return: {$concat: ...}` returns lists that are flattened into one.
    const Value& returned = raw[kReturn];
    const bool flatten = returned.is_object() && returned.contains(kConcat);
    const Value& body = flatten ? returned[kConcat] : returned;
    const std::vector<Value> bodyPath = flatten ? extend(extend(path, kReturn), kConcat) : extend(path, kReturn);
    const std::vector<Value> filterPath = extend(path, kFilter);
    Value out = Value::array();
    errors = result_.errors.size();
    auto iterate = [&](Value key, const Value& value) {
      const ItemScope itemScope(scope, std::move(key), value);
      if (raw.contains(kFilter)) {
        const size_t before = result_.errors.size();
        std::optional<Value> keep = resolve(raw[kFilter], itemScope, filterPath, false);
        if (result_.errors.size() != before) return;
        if (!keep || !keep->is_boolean()) {
          error(filterPath, fmt::format("{} clause in {} loop must resolve to a boolean value (got {})", kFilter,
                                        kForEach, keep ? typeOf(*keep) : "undefined"));
          return;
        }
        if (!keep->get<bool>()) return;
      }
      std::optional<Value> item = resolve(body, itemScope, bodyPath, output);
      if (!item) return;
      if (!flatten) {
        out.push_back(std::move(*item));
        return;
      }
      if (!item->is_array()) {
        error(bodyPath, fmt::format("Value of {} key must be (or resolve to) an array (got {})", kConcat,
                                    describe(*item)));
        return;
      }
      for (auto& element : *item) out.push_back(std::move(element));
    };
    if (collection->is_array()) {
      for (size_t i = 0; i < collection->size(); ++i) iterate(numberValue(static_cast<double>(i)), (*collection)[i]);
    } else {
      for (const auto& [key, value] : collection->items()) iterate(key, value);
    }
    if (result_.errors.size() != errors) return keepAsWritten(raw, path);
    return out;
  }

  const TreeOptions& options_;
  TreeResult& result_;
  std::set<std::pair<std::string, std::string>> reported_;
};

}  // namespace

TreeResult resolveTree(const Value& raw, const Scope& scope, const TreeOptions& options) {
  TreeResult result;
  TreeResolver resolver(options, result);
  std::optional<Value> value = resolver.resolve(raw, scope, {}, true);
  if (value) result.value = std::move(*value);
  else result.undefined = true;
  return result;
}

std::string pathText(const std::string& base, const std::vector<Value>& path) {
  std::string out = base;
  for (const auto& key : path) {
    if (key.is_number()) {
      out += fmt::format("[{}]", formatNumber(toDouble(key)));
      continue;
    }
    const std::string name = key.get<std::string>();
    out += out.empty() ? name : "." + name;
  }
  return out;
}

}  // namespace gardensync::config::tmpl
