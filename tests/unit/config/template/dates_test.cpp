#include "gardensync/config/template/dates.h"

#include <gtest/gtest.h>

namespace gardensync::config::tmpl {
namespace {

TEST(TemplateDates, ParsesIsoTextAsJavaScriptDoes) {
  EXPECT_EQ(toIsoString(parseDate("2021-01-01")), "2021-01-01T00:00:00.000Z");
  EXPECT_EQ(toIsoString(parseDate("2021-01-01T10:00:00+0200")), "2021-01-01T08:00:00.000Z");
  EXPECT_EQ(toIsoString(parseDate("2021-01-01T10:00:00.5-01:30")), "2021-01-01T11:30:00.500Z");
  EXPECT_EQ(toIsoString(parseDate("1969-12-31T23:59:59Z")), "1969-12-31T23:59:59.000Z");
  EXPECT_EQ(toIsoString(parseDate("2020-02")), "2020-02-01T00:00:00.000Z");
  EXPECT_THROW(parseDate("yesterday"), std::invalid_argument);
  EXPECT_THROW(parseDate("2021-13-01"), std::invalid_argument);
}

TEST(TemplateDates, ShiftAndModifyCarryAsJavaScriptDoes) {
  const int64_t leapDay = parseDate("2020-02-29T12:00:00Z");
  EXPECT_EQ(toIsoString(shiftDate(leapDay, 1, "years")), "2021-02-28T12:00:00.000Z");
  EXPECT_EQ(toIsoString(shiftDate(leapDay, 2, "weeks")), "2020-03-14T12:00:00.000Z");
  EXPECT_EQ(toIsoString(modifyDate(leapDay, 13, "months")), "2021-03-01T12:00:00.000Z");  // Feb 29 2021 carries
  EXPECT_EQ(toIsoString(modifyDate(parseDate("2021-01-31T00:00:00Z"), 1, "months")), "2021-03-03T00:00:00.000Z");
  EXPECT_EQ(toIsoString(modifyDate(parseDate("2021-03-15T00:00:00Z"), 0, "days")), "2021-02-28T00:00:00.000Z");
  EXPECT_EQ(toIsoString(modifyDate(parseDate("2021-01-01T00:00:00Z"), 25, "hours")), "2021-01-02T01:00:00.000Z");
}

TEST(TemplateDates, FormatTokens) {
  const int64_t date = parseDate("2021-03-04T15:06:07.089Z");
  EXPECT_EQ(formatDate(date, "yyyy-MM-dd'T'HH:mm:ss.SSSX"), "2021-03-04T15:06:07.089Z");
  EXPECT_EQ(formatDate(date, "EEE, MMM do yyyy hh:mm a"), "Thu, Mar 4th 2021 03:06 PM");
  EXPECT_EQ(formatDate(date, "'It''s' Q"), "It's 1");
  EXPECT_THROW(formatDate(date, "yyyy-MM-dd f"), std::invalid_argument);
}

}  // namespace
}  // namespace gardensync::config::tmpl
