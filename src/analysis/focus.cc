#include "perfleak/focus.h"

#include <algorithm>
#include <vector>

#include "common/time_format_internal.h"
#include "perfleak/time_format.h"

namespace perfleak {

namespace {

constexpr const char* kTimeForms =
    "expected the log's local time (2026-11-20 03:12, 2026-11-20T03:12:00, 11/20/2026 "
    "03:12:00) or ISO 8601 with a zone (2026-11-20T11:12:00Z, 2026-11-20T13:12:00+02:00)";

}  // namespace

Result<TimeText> ParseTimeText(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  TimeText out;
  if (text.size() >= 3 && text[2] == '/') {
    if (internal::ParsePdhTimeText(text, &out.ticks)) return out;
    return Status::InvalidArgument("cannot read the time '" + std::string(text) + "'; " +
                                   kTimeForms);
  }
  std::string iso(text);
  // ISO 8601 allows a space for the `T` by mutual agreement (RFC 3339, 5.6), as logs show it.
  if (iso.size() > 10 && iso[10] == ' ') iso[10] = 'T';
  auto parsed = ParseIsoTime(iso, &out.has_zone);
  if (!parsed.ok()) {
    return Status::InvalidArgument("cannot read the time '" + std::string(text) + "'; " +
                                   kTimeForms);
  }
  out.ticks = *parsed;
  return out;
}

Result<ResolvedFocus> ResolveFocus(const CounterLog& log, const FocusOptions& focus) {
  const std::size_t n = log.num_samples();
  ResolvedFocus out;
  out.end = n;
  if (n == 0) return out;
  const auto range = [&] {
    return log.source + " runs from " + FormatLocal(log.time_local.front()) + " to " +
           FormatLocal(log.time_local.back()) + " local time (" +
           FormatIsoUtc(log.time_utc.front(), false) + " to " +
           FormatIsoUtc(log.time_utc.back(), false) + ")";
  };
  // Places one time: returns the UTC instant; the log's clock (local or UTC) is chosen by the
  // text having a zone. Local times map through the nearest sample's own offset, so DST and
  // the CSV bias are whatever the log recorded.
  const auto place = [&](const char* option, const std::string& text) -> Result<Ticks> {
    PERFLEAK_ASSIGN_OR_RETURN(const TimeText t, ParseTimeText(text));
    const std::vector<Ticks>& axis = t.has_zone ? log.time_utc : log.time_local;
    const auto [lo, hi] = std::minmax_element(axis.begin(), axis.end());
    if (t.ticks < *lo || t.ticks > *hi) {
      return Status::OutOfRange(std::string(option) + " " + text +
                                " is outside the log: " + range() +
                                "; hint: give a time inside that range, as the log shows "
                                "it or ISO 8601 with a zone");
    }
    std::size_t nearest = 0;
    Ticks best = -1;
    for (std::size_t i = 0; i < n; ++i) {
      const Ticks d = axis[i] > t.ticks ? axis[i] - t.ticks : t.ticks - axis[i];
      if (best < 0 || d < best) {
        best = d;
        nearest = i;
      }
    }
    return t.has_zone ? t.ticks : log.time_utc[nearest] + (t.ticks - log.time_local[nearest]);
  };
  std::optional<Ticks> from, to;
  if (!focus.from.empty()) {
    PERFLEAK_ASSIGN_OR_RETURN(from, place("--from", focus.from));
  }
  if (!focus.to.empty()) {
    PERFLEAK_ASSIGN_OR_RETURN(to, place("--to", focus.to));
  }
  if (!focus.at.empty()) {
    PERFLEAK_ASSIGN_OR_RETURN(out.at_utc, place("--at", focus.at));
    if (!to) to = out.at_utc;
    if (!from) {
      const auto run_up =
          static_cast<Ticks>(focus.run_up_hours * static_cast<double>(kTicksPerHour));
      from = std::max(*out.at_utc - run_up, log.time_utc.front());
    }
  }
  if (from && to && *from > *to) {
    return Status::OutOfRange("the focus window ends (" + FormatIsoUtc(*to, false) +
                              ") before it starts (" + FormatIsoUtc(*from, false) +
                              "); hint: --from must come before --to and --at");
  }
  out.begin = n;
  out.end = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const Ticks t = log.time_utc[i];
    if ((from && t < *from) || (to && t > *to)) continue;
    out.begin = std::min(out.begin, i);
    out.end = std::max(out.end, i + 1);
  }
  if (out.begin >= out.end) {
    return Status::OutOfRange("the focus window holds no sample of the log: " + range() +
                              "; hint: widen --from/--to");
  }
  out.from_utc = log.time_utc[out.begin];
  out.to_utc = log.time_utc[out.end - 1];
  return out;
}

}  // namespace perfleak
