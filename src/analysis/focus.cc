#include "perfleak/focus.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/focus.h"
#include "common/ascii_case_internal.h"
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

namespace internal {

namespace {

// `--process`: an image name, an instance (`svchost#1`) or a PID, ASCII case ignored.
bool MatchesProcess(const Finding& f, std::string_view wanted) {
  // Windows people type image names as Task Manager shows them; perfmon drops the `.exe`.
  std::string name = AsciiLower(wanted);
  if (name.size() > 4 && name.ends_with(".exe")) name.resize(name.size() - 4);
  if (AsciiLower(f.process) == name || AsciiLower(f.instance) == name) return true;
  std::int64_t pid = 0;
  const auto [end, ec] = std::from_chars(wanted.data(), wanted.data() + wanted.size(), pid);
  if (ec != std::errc() || end != wanted.data() + wanted.size()) return false;
  return std::find(f.pids.begin(), f.pids.end(), pid) != f.pids.end();
}

// "; image names in the log: a, b, c" (sorted, case-insensitively distinct), or "".
std::string ImageNamesNote(std::vector<std::string> images) {
  std::sort(images.begin(), images.end(), [](const std::string& a, const std::string& b) {
    return AsciiLower(a) < AsciiLower(b);
  });
  images.erase(std::unique(images.begin(), images.end(),
                           [](const std::string& a, const std::string& b) {
                             return AsciiLower(a) == AsciiLower(b);
                           }),
               images.end());
  if (images.empty()) return "; the log has no process counters";
  std::string out = "; image names in the log: ";
  for (std::size_t i = 0; i < images.size(); ++i) out += (i == 0 ? "" : ", ") + images[i];
  return out;
}

}  // namespace

CounterLog SliceRows(const CounterLog& log, std::size_t begin, std::size_t end) {
  CounterLog out;
  out.source = log.source;
  out.format = log.format;
  out.time_zone = log.time_zone;
  out.paths = log.paths;
  out.metadata = log.metadata;
  const auto b = static_cast<std::ptrdiff_t>(begin), e = static_cast<std::ptrdiff_t>(end);
  out.time_utc.assign(log.time_utc.begin() + b, log.time_utc.begin() + e);
  out.time_local.assign(log.time_local.begin() + b, log.time_local.begin() + e);
  out.columns.reserve(log.columns.size());
  for (const auto& column : log.columns)
    out.columns.emplace_back(column.begin() + b, column.begin() + e);
  return out;
}

std::vector<Finding> KeepFocusProcess(std::vector<Finding> findings, std::string_view wanted,
                                      const std::string& source,
                                      std::vector<std::string>* warnings) {
  std::vector<Finding> kept;
  std::vector<std::string> images;  // what the caller could have meant, for the message
  for (Finding& f : findings) {
    if (!f.system) images.push_back(f.process);
    if (f.system || MatchesProcess(f, wanted)) kept.push_back(std::move(f));
  }
  const bool any =
      std::any_of(kept.begin(), kept.end(), [](const Finding& f) { return !f.system; });
  if (!any) {
    warnings->push_back(source + ": --process " + std::string(wanted) +
                        " matches no process instance, PID or image name in the log" +
                        ImageNamesNote(std::move(images)));
  }
  return kept;
}

}  // namespace internal

}  // namespace perfleak
