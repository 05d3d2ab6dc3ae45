#include "gardensync/config/template/dates.h"

#include <array>
#include <cmath>

#include <fmt/format.h>

namespace gardensync::config::tmpl {

namespace {

constexpr int64_t kMsPerDay = 86400000;
constexpr double kMaxTime = 8.64e15;  // JavaScript's Date range

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil); the
// month may lie outside 1-12 and carries into the year, as in Date.UTC.
int64_t daysFromCivil(int64_t year, int64_t month, int64_t day) {
  year += (month - 1) >= 0 ? (month - 1) / 12 : -((12 - month) / 12);
  month = ((month - 1) % 12 + 12) % 12 + 1;
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t yoe = year - era * 400;
  const int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct Civil {
  int64_t year, month, day;  // month 1-12
  int64_t hour, minute, second, millisecond;
  int weekday;  // 0 = Sunday
};

Civil toCivil(int64_t ms) {
  int64_t days = ms >= 0 ? ms / kMsPerDay : -((-ms + kMsPerDay - 1) / kMsPerDay);
  int64_t rest = ms - days * kMsPerDay;
  Civil c{};
  c.weekday = static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  c.day = doy - (153 * mp + 2) / 5 + 1;
  c.month = mp < 10 ? mp + 3 : mp - 9;
  c.year = yoe + era * 400 + (c.month <= 2);
  c.hour = rest / 3600000;
  c.minute = rest / 60000 % 60;
  c.second = rest / 1000 % 60;
  c.millisecond = rest % 1000;
  return c;
}

// Date.UTC: every field may overflow into the next.
int64_t fromFields(double year, double month0, double day, double hour, double minute, double second, double ms) {
  const double days = static_cast<double>(daysFromCivil(static_cast<int64_t>(year), static_cast<int64_t>(month0) + 1, 1)) +
                      (day - 1);
  const double total = days * kMsPerDay + hour * 3600000 + minute * 60000 + second * 1000 + ms;
  if (!std::isfinite(total) || std::fabs(total) > kMaxTime) throw std::invalid_argument("Invalid time value");
  return static_cast<int64_t>(total);
}

int64_t daysInMonth(int64_t year, int64_t month) {
  return daysFromCivil(year, month + 1, 1) - daysFromCivil(year, month, 1);
}

[[noreturn]] void invalid() { throw std::invalid_argument("Invalid time value"); }

// Reads `count` digits at `pos`.
int64_t digitsAt(std::string_view text, size_t& pos, size_t count) {
  if (pos + count > text.size()) invalid();
  int64_t value = 0;
  for (size_t i = 0; i < count; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') invalid();
    value = value * 10 + (c - '0');
  }
  pos += count;
  return value;
}

const std::array<const char*, 12> kMonths{"January", "February", "March",     "April",   "May",      "June",
                                          "July",    "August",   "September", "October", "November", "December"};
const std::array<const char*, 7> kWeekdays{"Sunday",   "Monday", "Tuesday", "Wednesday",
                                           "Thursday", "Friday", "Saturday"};

std::string padded(int64_t value, size_t width) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
  return (value < 0 ? "-" : "") + digits;
}

std::string ordinalSuffix(int64_t n) {
  const int64_t rem100 = n % 100;
  if (rem100 >= 11 && rem100 <= 13) return "th";
  switch (n % 10) {
    case 1: return "st";
    case 2: return "nd";
    case 3: return "rd";
    default: return "th";
  }
}

std::string formatToken(char letter, size_t count, const Civil& c) {
  switch (letter) {
    case 'y':
      if (count == 2) return padded(c.year % 100, 2);
      return padded(c.year, count);
    case 'M':
      if (count == 3) return std::string(kMonths[c.month - 1]).substr(0, 3);
      if (count == 4) return kMonths[c.month - 1];
      if (count == 5) return std::string(kMonths[c.month - 1]).substr(0, 1);
      return padded(c.month, count);
    case 'd': return padded(c.day, count);
    case 'E':
      if (count == 4) return kWeekdays[c.weekday];
      if (count == 5) return std::string(kWeekdays[c.weekday]).substr(0, 1);
      if (count == 6) return std::string(kWeekdays[c.weekday]).substr(0, 2);
      return std::string(kWeekdays[c.weekday]).substr(0, 3);
    case 'H': return padded(c.hour, count);
    case 'h': return padded(c.hour % 12 == 0 ? 12 : c.hour % 12, count);
    case 'm': return padded(c.minute, count);
    case 's': return padded(c.second, count);
    case 'S': {
      std::string fraction = padded(c.millisecond, 3);
      if (count <= 3) return fraction.substr(0, count);
      return fraction + std::string(count - 3, '0');
    }
    case 'a':
      if (count == 3) return c.hour < 12 ? "am" : "pm";
      if (count == 4) return c.hour < 12 ? "a.m." : "p.m.";
      if (count == 5) return c.hour < 12 ? "a" : "p";
      return c.hour < 12 ? "AM" : "PM";
    case 'L': return formatToken('M', count, c);  // stand-alone month
    case 'q': return formatToken('Q', count, c);
    case 'K': return padded(c.hour % 12, count);
    case 'k': return padded(c.hour == 0 ? 24 : c.hour, count);
    case 'i': return padded(c.weekday == 0 ? 7 : c.weekday, count);  // ISO day of the week
    case 'G': return count == 4 ? (c.year > 0 ? "Anno Domini" : "Before Christ") : (c.year > 0 ? "AD" : "BC");
    case 'b':
    case 'B': return c.hour < 12 ? "AM" : "PM";
    case 'O': return count == 4 ? "GMT+00:00" : "GMT";
    case 'z': return count == 4 ? "Coordinated Universal Time" : "UTC";
    case 'X': return "Z";  // the offset of UTC
    case 'x': return count == 1 ? "+00" : count == 2 || count == 4 ? "+0000" : "+00:00";
    case 'Q': return padded((c.month - 1) / 3 + 1, count);
    default: break;
  }
  throw std::invalid_argument(fmt::format("Format string contains an unescaped latin alphabet character `{}`", letter));
}

}  // namespace

int64_t parseDate(std::string_view text) {
  size_t pos = 0;
  int64_t sign = 1;
  size_t yearDigits = 4;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {  // expanded years: +002021
    sign = text[0] == '-' ? -1 : 1;
    ++pos;
    yearDigits = 6;
  }
  const int64_t year = sign * digitsAt(text, pos, yearDigits);
  int64_t month = 1, day = 1, hour = 0, minute = 0, second = 0, ms = 0, offsetMinutes = 0;
  if (pos < text.size() && text[pos] == '-') {
    ++pos;
    month = digitsAt(text, pos, 2);
    if (pos < text.size() && text[pos] == '-') {
      ++pos;
      day = digitsAt(text, pos, 2);
    }
  }
  if (pos < text.size() && (text[pos] == 'T' || text[pos] == 't' || text[pos] == ' ')) {
    ++pos;
    hour = digitsAt(text, pos, 2);
    if (pos >= text.size() || text[pos] != ':') invalid();
    ++pos;
    minute = digitsAt(text, pos, 2);
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      second = digitsAt(text, pos, 2);
      if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
        ++pos;
        size_t start = pos;
        int64_t fraction = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
          if (pos - start < 3) fraction = fraction * 10 + (text[pos] - '0');
          ++pos;
        }
        if (pos == start) invalid();
        for (size_t digits = pos - start; digits < 3; ++digits) fraction *= 10;
        ms = fraction;
      }
    }
    if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
      ++pos;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      const int64_t offsetSign = text[pos] == '-' ? -1 : 1;
      ++pos;
      const int64_t offsetHours = digitsAt(text, pos, 2);
      int64_t offsetMins = 0;
      if (pos < text.size() && text[pos] == ':') ++pos;
      if (pos < text.size()) offsetMins = digitsAt(text, pos, 2);
      offsetMinutes = offsetSign * (offsetHours * 60 + offsetMins);
    }
  }
  if (pos != text.size()) invalid();
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 59) invalid();
  if (hour == 24 && (minute || second || ms)) invalid();
  return fromFields(static_cast<double>(year), static_cast<double>(month - 1), static_cast<double>(day),
                    static_cast<double>(hour), static_cast<double>(minute - offsetMinutes), static_cast<double>(second),
                    static_cast<double>(ms));
}

std::string toIsoString(int64_t milliseconds) {
  const Civil c = toCivil(milliseconds);
  const std::string year = c.year >= 0 && c.year <= 9999 ? padded(c.year, 4)
                                                          : (c.year < 0 ? "-" : "+") + padded(std::llabs(c.year), 6);
  return fmt::format("{}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", year, c.month, c.day, c.hour, c.minute, c.second,
                     c.millisecond);
}

std::string formatDate(int64_t milliseconds, std::string_view format) {
  const Civil c = toCivil(milliseconds);
  std::string out;
  size_t i = 0;
  while (i < format.size()) {
    const char ch = format[i];
    if (ch == '\'') {
      // 'quoted text', with '' for a quote
      if (i + 1 < format.size() && format[i + 1] == '\'') {
        out += '\'';
        i += 2;
        continue;
      }
      ++i;
      while (i < format.size()) {
        if (format[i] == '\'') {
          if (i + 1 < format.size() && format[i + 1] == '\'') {
            out += '\'';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        out += format[i++];
      }
      continue;
    }
    if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) {
      size_t count = 1;
      while (i + count < format.size() && format[i + count] == ch) ++count;
      if (ch == 'd' && count == 1 && i + 1 < format.size() && format[i + 1] == 'o') {  // "do": 1st, 2nd
        out += std::to_string(c.day) + ordinalSuffix(c.day);
        i += 2;
        continue;
      }
      if (ch == 't' || ch == 'T') {  // seconds or milliseconds since 1970
        out += std::to_string(ch == 't' ? (milliseconds >= 0 ? milliseconds / 1000 : -((-milliseconds + 999) / 1000))
                                        : milliseconds);
      } else {
        out += formatToken(ch, count, c);
      }
      i += count;
      continue;
    }
    out += ch;
    ++i;
  }
  return out;
}

int64_t shiftDate(int64_t milliseconds, double amount, std::string_view unit) {
  if (std::isnan(amount)) throw std::invalid_argument("Invalid time value");
  if (unit == "hours" || unit == "minutes" || unit == "seconds") {
    const double factor = unit == "hours" ? 3600000.0 : unit == "minutes" ? 60000.0 : 1000.0;
    const double total = static_cast<double>(milliseconds) + amount * factor;
    if (std::fabs(total) > kMaxTime) throw std::invalid_argument("Invalid time value");
    return static_cast<int64_t>(total);
  }
  const Civil c = toCivil(milliseconds);
  const double whole = std::trunc(amount);
  const double timeOfDay =
      static_cast<double>(c.hour * 3600000 + c.minute * 60000 + c.second * 1000 + c.millisecond);
  if (unit == "years" || unit == "months") {
    const double months = unit == "years" ? whole * 12 : whole;
    const double target = static_cast<double>(c.month - 1) + months;
    const int64_t targetYear = c.year + static_cast<int64_t>(std::floor(target / 12));
    const int64_t targetMonth = static_cast<int64_t>(target - std::floor(target / 12) * 12) + 1;
    const int64_t day = std::min(c.day, daysInMonth(targetYear, targetMonth));
    return fromFields(static_cast<double>(targetYear), static_cast<double>(targetMonth - 1), static_cast<double>(day),
                      0, 0, 0, timeOfDay);
  }
  if (unit == "weeks" || unit == "days") {
    const double days = unit == "weeks" ? whole * 7 : whole;
    return fromFields(static_cast<double>(c.year), static_cast<double>(c.month - 1), static_cast<double>(c.day) + days,
                      0, 0, 0, timeOfDay);
  }
  throw std::invalid_argument(fmt::format("unknown unit \"{}\"", unit));
}

int64_t modifyDate(int64_t milliseconds, double amount, std::string_view unit) {
  if (std::isnan(amount)) throw std::invalid_argument("Invalid time value");
  const Civil c = toCivil(milliseconds);
  double year = static_cast<double>(c.year), month = static_cast<double>(c.month - 1), day = static_cast<double>(c.day);
  double hour = static_cast<double>(c.hour), minute = static_cast<double>(c.minute);
  double second = static_cast<double>(c.second), ms = static_cast<double>(c.millisecond);
  const double value = std::trunc(amount);
  if (unit == "years") year = value;
  else if (unit == "months") month = value;
  else if (unit == "days") day = value;
  else if (unit == "hours") hour = value;
  else if (unit == "minutes") minute = value;
  else if (unit == "seconds") second = value;
  else if (unit == "milliseconds") ms = value;
  else throw std::invalid_argument(fmt::format("unknown unit \"{}\"", unit));
  return fromFields(year, month, day, hour, minute, second, ms);
}

}  // namespace gardensync::config::tmpl
