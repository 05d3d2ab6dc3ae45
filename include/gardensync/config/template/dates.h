// The dates of Garden's date helpers (formatDate, shiftDate, modifyDate and their *Utc names):
// JavaScript's Date parsing of ISO 8601 text, date-fns `format` tokens and `add`, and the
// setUTC* setters, all in UTC. A date and time written without an offset is read as UTC (Node
// would read it in the machine's time zone, which a config file cannot know).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace gardensync::config::tmpl {

// Milliseconds since 1970-01-01T00:00:00Z. Throws std::invalid_argument("Invalid time value").
int64_t parseDate(std::string_view text);

// "2021-01-01T00:00:00.000Z", as Date.prototype.toISOString.
std::string toIsoString(int64_t milliseconds);

// date-fns `format` tokens (yyyy, MM, dd, HH, mm, ss, SSS, EEE, MMMM, a, 'quoted text', ...).
// Throws std::invalid_argument for a letter that is not a token, as date-fns does.
std::string formatDate(int64_t milliseconds, std::string_view format);

// date-fns `add`: units years, months, weeks, days, hours, minutes, seconds; adding months keeps
// the day but stops at the month's last one (Jan 31 + 1 month is Feb 28).
int64_t shiftDate(int64_t milliseconds, double amount, std::string_view unit);

// Date.prototype.setUTC<unit>: years, months (0 = January), days (of the month), hours, minutes,
// seconds, milliseconds; values beyond a unit's range carry over, as in JavaScript.
int64_t modifyDate(int64_t milliseconds, double amount, std::string_view unit);

}  // namespace gardensync::config::tmpl
