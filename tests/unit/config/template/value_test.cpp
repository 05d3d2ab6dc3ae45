#include "gardensync/config/template/value.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace gardensync::config::tmpl {
namespace {

TEST(TemplateValue, NumbersPrintAsJavaScriptPrintsThem) {
  EXPECT_EQ(formatNumber(3), "3");
  EXPECT_EQ(formatNumber(-0.5), "-0.5");
  EXPECT_EQ(formatNumber(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(formatNumber(1e21), "1e+21");
  EXPECT_EQ(formatNumber(123456789012345680000.0), "123456789012345680000");
  EXPECT_EQ(formatNumber(0.000001), "0.000001");
  EXPECT_EQ(formatNumber(1e-7), "1e-7");
  EXPECT_EQ(formatNumber(std::nan("")), "NaN");
  EXPECT_EQ(formatNumber(-std::numeric_limits<double>::infinity()), "-Infinity");
  EXPECT_TRUE(numberValue(2.0).is_number_integer());
  EXPECT_TRUE(numberValue(2.5).is_number_float());
}

TEST(TemplateValue, StringAndTruthAsGardenSeesThem) {
  EXPECT_EQ(toText(Value::array({1, nullptr, "x", true})), "1,,x,true");
  EXPECT_EQ(toText(Value::object()), "[object Object]");
  EXPECT_EQ(toText(nullptr), "null");
  EXPECT_FALSE(isTruthy(0));
  EXPECT_FALSE(isTruthy(""));
  EXPECT_FALSE(isTruthy(nullptr));
  EXPECT_TRUE(isTruthy(Value::array()));  // every list and mapping, even empty
  EXPECT_TRUE(isTruthy(Value::object()));
  EXPECT_EQ(typeOf(nullptr), "object");
  EXPECT_EQ(toJson({{"b", 1.5}, {"a", Value::array({1, "x"})}}), "{\"b\":1.5,\"a\":[1,\"x\"]}");
  EXPECT_TRUE(strictEquals(1, 1.0));
  EXPECT_FALSE(strictEquals(1, "1"));
}

}  // namespace
}  // namespace gardensync::config::tmpl
