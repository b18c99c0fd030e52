#include "perfleak/time_format.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>

#include "common/time_format_internal.h"

namespace perfleak {

namespace {

struct Civil {
  int year, month, day, hour, minute, second, millis;
};

Civil ToCivil(Ticks ticks) {
  // Round to the millisecond first so that 59.9996 s prints as the next second, not ".1000".
  std::int64_t ms = ticks >= 0 ? (ticks + 5'000) / 10'000 : -((-ticks + 5'000) / 10'000);
  std::int64_t days = ms >= 0 ? ms / 86'400'000 : -((-ms + 86'399'999) / 86'400'000);
  std::int64_t ms_of_day = ms - days * 86'400'000;
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  Civil c{};
  c.year = static_cast<int>(ymd.year());
  c.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  c.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  c.hour = static_cast<int>(ms_of_day / 3'600'000);
  c.minute = static_cast<int>(ms_of_day / 60'000 % 60);
  c.second = static_cast<int>(ms_of_day / 1000 % 60);
  c.millis = static_cast<int>(ms_of_day % 1000);
  return c;
}

}  // namespace

bool CivilToTicks(int year, int month, int day, int hour, int minute, int second,
                  std::int64_t sub_second_ticks, Ticks* out) {
  if (month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
      second < 0 || second > 60 || sub_second_ticks < 0 || sub_second_ticks >= kTicksPerSecond ||
      year < 1601 || year > 9999) {
    return false;
  }
  const std::chrono::year_month_day ymd{std::chrono::year{year},
                                        std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return false;
  const std::int64_t days = std::chrono::sys_days{ymd}.time_since_epoch().count();
  *out = ((days * 24 + hour) * 60 + minute) * 60 * kTicksPerSecond + second * kTicksPerSecond +
         sub_second_ticks;
  return true;
}

std::string FormatIsoUtc(Ticks utc, bool always_millis) {
  const Civil c = ToCivil(utc);
  char buf[40];
  if (!always_millis && c.millis == 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day, c.hour,
                  c.minute, c.second);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", c.year, c.month, c.day,
                  c.hour, c.minute, c.second, c.millis);
  }
  return buf;
}

std::string FormatLocal(Ticks local) {
  const Civil c = ToCivil(local);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%03d", c.year, c.month, c.day,
                c.hour, c.minute, c.second, c.millis);
  return buf;
}

std::string FormatPdhTimestamp(Ticks local) {
  const Civil c = ToCivil(local);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%02d/%02d/%04d %02d:%02d:%02d.%03d", c.month, c.day, c.year,
                c.hour, c.minute, c.second, c.millis);
  return buf;
}

namespace {

// The digit readers of every time parser here (PDH timestamps, the user's PDH and ISO times).
// `count` decimal digits at *pos, advancing it; false (value unset) when one is not a digit.
bool ReadDigits(std::string_view s, std::size_t* pos, int count, int* value) {
  int v = 0;
  for (int i = 0; i < count; ++i) {
    if (*pos >= s.size() || s[*pos] < '0' || s[*pos] > '9') return false;
    v = v * 10 + (s[(*pos)++] - '0');
  }
  *value = v;
  return true;
}

// The digits of a fraction of a second at *pos (the `.` already read), at least one, as Ticks:
// up to 7 count (100 ns), later ones are read and dropped. Stops at the first non-digit.
bool ReadFraction(std::string_view s, std::size_t* pos, std::int64_t* ticks) {
  if (*pos >= s.size() || s[*pos] < '0' || s[*pos] > '9') return false;
  std::int64_t scale = kTicksPerSecond / 10, frac = 0;
  for (; *pos < s.size() && s[*pos] >= '0' && s[*pos] <= '9'; ++*pos) {
    frac += (s[*pos] - '0') * scale;
    scale /= 10;
  }
  *ticks = frac;
  return true;
}

// Fixed-position two-digit field of a PDH timestamp; -1 when not two digits.
int Two(std::string_view s, std::size_t at) {
  int v = 0;
  return ReadDigits(s, &at, 2, &v) ? v : -1;
}

}  // namespace

// The only timestamp form PDH writes (US order on every locale); the CSV reader's per-row path.
bool ParsePdhTimestamp(std::string_view s, Ticks* out) {
  if (s.size() < 19 || s[2] != '/' || s[5] != '/' || s[10] != ' ' || s[13] != ':' || s[16] != ':') {
    return false;
  }
  const int month = Two(s, 0), day = Two(s, 3), hour = Two(s, 11), minute = Two(s, 14),
            second = Two(s, 17);
  const int y1 = Two(s, 6), y2 = Two(s, 8);
  if (month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || y1 < 0 || y2 < 0)
    return false;
  std::int64_t frac = 0;
  std::size_t pos = 19;
  if (pos < s.size()) {
    if (s[pos] != '.') return false;
    ++pos;
    if (!ReadFraction(s, &pos, &frac) || pos != s.size()) return false;
  }
  return CivilToTicks(y1 * 100 + y2, month, day, hour, minute, second, frac, out);
}

namespace internal {

bool ParsePdhTimeText(std::string_view text, Ticks* out) {
  std::string full(text);
  if (full.size() == 16) full += ":00";
  if (!full.empty() && full.back() == '.') full.pop_back();
  return ParsePdhTimestamp(full, out);
}

}  // namespace internal

Result<Ticks> ParseIsoTime(std::string_view text, bool* has_zone) {
  auto fail = [&] {
    return Status::InvalidArgument("cannot read time '" + std::string(text) +
                                   "'; hint: use ISO 8601 such as 2026-11-20T03:12:00 (local) or "
                                   "2026-11-20T03:12:00Z");
  };
  std::size_t pos = 0;
  int year, month, day, hour, minute, second = 0;
  if (!ReadDigits(text, &pos, 4, &year) || pos >= text.size() || text[pos++] != '-' ||
      !ReadDigits(text, &pos, 2, &month) || pos >= text.size() || text[pos++] != '-' ||
      !ReadDigits(text, &pos, 2, &day) || pos >= text.size() ||
      (text[pos] != 'T' && text[pos] != ' ')) {
    return fail();
  }
  ++pos;
  if (!ReadDigits(text, &pos, 2, &hour) || pos >= text.size() || text[pos++] != ':' ||
      !ReadDigits(text, &pos, 2, &minute)) {
    return fail();
  }
  std::int64_t frac = 0;
  if (pos < text.size() && text[pos] == ':') {
    ++pos;
    if (!ReadDigits(text, &pos, 2, &second)) return fail();
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      if (!ReadFraction(text, &pos, &frac)) return fail();
    }
  }
  Ticks ticks = 0;
  if (!CivilToTicks(year, month, day, hour, minute, second, frac, &ticks)) return fail();
  *has_zone = false;
  if (pos == text.size()) return ticks;
  if (text[pos] == 'Z' && pos + 1 == text.size()) {
    *has_zone = true;
    return ticks;
  }
  if (text[pos] == '+' || text[pos] == '-') {
    const int sign = text[pos++] == '+' ? 1 : -1;
    int oh, om = 0;
    if (!ReadDigits(text, &pos, 2, &oh)) return fail();
    if (pos < text.size() && text[pos] == ':') ++pos;
    if (pos < text.size() && !ReadDigits(text, &pos, 2, &om)) return fail();
    if (pos != text.size() || oh > 23 || om > 59) return fail();
    *has_zone = true;
    return ticks - sign * (oh * 60 + om) * 60 * kTicksPerSecond;
  }
  return fail();
}

std::string FormatDuration(double seconds) {
  char buf[32];
  const double s = std::fabs(seconds);
  const double minutes = s / 60;
  const bool whole_minutes = std::fabs(minutes - std::round(minutes)) < 0.01;
  // Perfmon intervals are set in seconds: 90 s must not read as "2 min".
  if (s < 90 || (s < 300 && !whole_minutes)) {
    std::snprintf(buf, sizeof buf, "%.0f s", seconds);
  } else if (s < 90 * 60) {
    std::snprintf(buf, sizeof buf, "%.0f min", seconds / 60);
  } else if (s < 48 * 3600) {
    std::snprintf(buf, sizeof buf, "%.1f h", seconds / 3600);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f d", seconds / 86400);
  }
  return buf;
}

}  // namespace perfleak
