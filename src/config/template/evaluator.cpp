#include "gardensync/config/template/evaluator.h"

#include <cmath>

#include <fmt/format.h>

#include "gardensync/config/template/functions.h"

namespace gardensync::config::tmpl {

namespace {

bool isPrimitive(const Value& value) { return !value.is_array() && !value.is_object(); }

// A computed key: Garden's MemberExpression wants a string or a number.
Value checkedKey(const Value& key) {
  if (key.is_string() || key.is_number()) return key;
  throw EvaluationError(
      fmt::format("Expression in brackets must resolve to a string or number (got {}).", typeOf(key)));
}

Value arithmetic(const std::string& op, const Value& left, const Value& right) {
  if (!left.is_number() || !right.is_number())
    throw EvaluationError(fmt::format("Both terms need to be numbers for {} operator (got {} and {}).", op,
                                      typeOf(left), typeOf(right)));
  const double a = toDouble(left);
  const double b = toDouble(right);
  if (op == "-") return numberValue(a - b);
  if (op == "*") return numberValue(a * b);
  if (op == "/") return numberValue(a / b);
  if (op == "%") return numberValue(std::fmod(a, b));
  if (op == "<") return a < b;
  if (op == ">") return a > b;
  if (op == "<=") return a <= b;
  return a >= b;  // ">="
}

Value add(const Value& left, const Value& right) {
  if (left.is_number() && right.is_number()) return numberValue(toDouble(left) + toDouble(right));
  // Garden checks only that the left term is a string, so "a" + 1 is "a1" (and 1 + "a" an error).
  if (left.is_string()) return left.get<std::string>() + toText(right);
  if (left.is_array() && right.is_array()) {
    Value out = left;
    for (const auto& item : right) out.push_back(item);
    return out;
  }
  throw EvaluationError(fmt::format(
      "Both terms need to be either arrays or strings or numbers for + operator (got {} and {}).", typeOf(left),
      typeOf(right)));
}

Value contains(const Value& collection, const Value& element) {
  if (!isPrimitive(element))
    throw EvaluationError(fmt::format(
        "The right-hand side of a 'contains' operator must be a string, number, boolean or null (got {}).",
        typeOf(element)));
  if (collection.is_array()) {
    for (const auto& item : collection)
      if (strictEquals(item, element)) return true;
    return false;
  }
  if (collection.is_object()) return collection.contains(toText(element));
  if (collection.is_string()) return collection.get<std::string>().find(toText(element)) != std::string::npos;
  throw EvaluationError(fmt::format(
      "The left-hand side of a 'contains' operator must be a string, array or object (got {}).", toText(collection)));
}

Value binary(const std::string& op, const Value& left, const Value& right) {
  if (op == "==") return strictEquals(left, right);
  if (op == "!=") return !strictEquals(left, right);
  if (op == "+") return add(left, right);
  if (op == "contains") return contains(left, right);
  return arithmetic(op, left, right);
}

// The value of a result where JavaScript would see `undefined`, as null.
const Value& valueOf(const Result& result) { return result.value; }

Result lookup(const Expression& expression, const Scope& scope, bool optional) {
  std::vector<Value> keys{expression.name};
  for (const auto& key : expression.keys) {
    if (!key.expression) {
      keys.push_back(key.name);
      continue;
    }
    Result computed = evaluate(*key.expression, scope, optional);
    if (computed.state == Result::State::Missing) return computed;
    keys.push_back(checkedKey(computed.value));
  }
  Lookup found = scope.lookup(keys);
  switch (found.status) {
    case Lookup::Status::Found: return Result::found(std::move(found.value));
    case Lookup::Status::Missing:
      if (optional) return Result::missing();
      throw EvaluationError(found.message);
    case Lookup::Status::Deferred: throw DeferredLookup{std::move(found)};
  }
  return Result::missing();
}

}  // namespace

std::optional<std::vector<Value>> staticKeys(const Expression& expression) {
  if (expression.kind != ExpressionKind::Lookup) return std::nullopt;
  std::vector<Value> keys{expression.name};
  for (const auto& key : expression.keys) {
    if (key.expression) return std::nullopt;
    keys.push_back(key.name);
  }
  return keys;
}

Result evaluate(const Expression& e, const Scope& scope, bool optional) {
  switch (e.kind) {
    case ExpressionKind::Literal: return Result::found(e.literal);
    case ExpressionKind::Nested: return evaluateNested(*e.nested, scope, optional);
    case ExpressionKind::Array: {
      Value list = Value::array();
      for (const auto& operand : e.operands) {
        Result item = evaluate(*operand, scope, optional);
        if (item.state == Result::State::Missing) return item;
        list.push_back(std::move(item.value));
      }
      return Result::found(std::move(list));
    }
    case ExpressionKind::Lookup: return lookup(e, scope, optional);
    case ExpressionKind::Index: {
      Result object = evaluate(*e.operands[0], scope, optional);
      if (object.state == Result::State::Missing) return object;
      Result key = evaluate(*e.operands[1], scope, optional);
      if (key.state == Result::State::Missing) return key;
      Lookup found = lookupIn(object.value, {"value", checkedKey(key.value)}, 1, "the value");
      if (found.status == Lookup::Status::Found) return Result::found(std::move(found.value));
      if (optional) return Result::missing();
      throw EvaluationError(found.message);
    }
    case ExpressionKind::Call: {
      Arguments arguments;
      for (const auto& operand : e.operands) {
        Result argument = evaluate(*operand, scope, optional);
        if (argument.state == Result::State::Missing) return argument;
        if (argument.state == Result::State::Undefined) arguments.emplace_back(std::nullopt);
        else arguments.emplace_back(std::move(argument.value));
      }
      try {
        return Result::found(callFunction(e.name, arguments));
      } catch (const FunctionError& error) {
        throw EvaluationError(error.what());
      }
    }
    case ExpressionKind::Not: {
      // For compatibility Garden evaluates the operand of ! and typeof as optional.
      Result inner = evaluate(*e.operands[0], scope, true);
      if (inner.state != Result::State::Found) return Result::found(true);
      return Result::found(!isTruthy(inner.value));
    }
    case ExpressionKind::Typeof: {
      Result inner = evaluate(*e.operands[0], scope, true);
      if (inner.state != Result::State::Found) return Result::found("undefined");
      return Result::found(typeOf(inner.value));
    }
    case ExpressionKind::Negate: {
      Result inner = evaluate(*e.operands[0], scope, optional);
      if (inner.state == Result::State::Missing) return inner;
      if (!inner.value.is_number())
        throw EvaluationError(fmt::format("- needs a number (got {})", typeOf(inner.value)));
      return Result::found(numberValue(-toDouble(inner.value)));
    }
    case ExpressionKind::Binary: {
      Result left = evaluate(*e.operands[0], scope, optional);
      if (left.state == Result::State::Missing) return left;
      Result right = evaluate(*e.operands[1], scope, optional);
      if (right.state == Result::State::Missing) return right;
      return Result::found(binary(e.name, valueOf(left), valueOf(right)));
    }
    case ExpressionKind::And: {
      // A missing key on either side makes `&&` false, a quirk Garden keeps for compatibility.
      Result left = evaluate(*e.operands[0], scope, true);
      if (left.state != Result::State::Found) return Result::found(false);
      if (!isTruthy(left.value)) return left;
      Result right = evaluate(*e.operands[1], scope, true);
      if (right.state != Result::State::Found) return Result::found(false);
      return right;
    }
    case ExpressionKind::Or: {
      Result left = evaluate(*e.operands[0], scope, true);
      if (left.state == Result::State::Found && isTruthy(left.value)) return left;
      return evaluate(*e.operands[1], scope, optional);
    }
    case ExpressionKind::Ternary: {
      Result test = evaluate(*e.operands[0], scope, true);
      const bool pass = test.state == Result::State::Found && isTruthy(test.value);
      return evaluate(*e.operands[pass ? 1 : 2], scope, optional);
    }
  }
  return Result::missing();
}

namespace {

// Appends the parts of a nested template as text; a missing key makes the whole template missing.
bool appendNested(const std::vector<TemplatePart>& parts, const Scope& scope, bool optional, std::string& out) {
  for (const auto& part : parts) {
    switch (part.kind) {
      case TemplatePart::Kind::Text: out += part.text; break;
      case TemplatePart::Kind::Escaped: out += part.text.substr(1); break;
      case TemplatePart::Kind::Expression: {
        Result r = evaluate(*part.expression, scope, optional || part.optional);
        if (r.state == Result::State::Missing) {
          if (part.optional) break;
          return false;
        }
        if (r.state == Result::State::Found) out += toText(r.value);
        break;
      }
      case TemplatePart::Kind::If: {
        Result condition = evaluate(*part.expression, scope, optional);
        if (condition.state == Result::State::Missing) return false;
        const bool pass = condition.state == Result::State::Found && isTruthy(condition.value);
        if (!appendNested(pass ? part.thenParts : part.elseParts, scope, optional, out)) return false;
        break;
      }
    }
  }
  return true;
}

}  // namespace

Result evaluateNested(const Template& nested, const Scope& scope, bool optional) {
  if (nested.isWholeValue()) {
    const TemplatePart& part = nested.parts[0];
    Result r = evaluate(*part.expression, scope, optional || part.optional);
    if (part.optional && r.state == Result::State::Missing) return Result::undefined();
    return r;
  }
  std::string out;
  if (!appendNested(nested.parts, scope, optional, out)) return Result::missing();
  return Result::found(std::move(out));
}

}  // namespace gardensync::config::tmpl
