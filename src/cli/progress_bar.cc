#include "progress_bar.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "perfleak/time_format.h"

namespace perfleak::cli {

ProgressBar::ProgressBar(std::ostream& err)
    : err_(err), phase_start_(std::chrono::steady_clock::now()) {}

void ProgressBar::Update(const BatchProgress& p) {
  const auto now = std::chrono::steady_clock::now();
  if (p.analysing && !analysing_) {
    // Phase two gets its own clock: its ETA must not be read off the reading speed.
    analysing_ = true;
    phase_start_ = now;
  }
  const double elapsed = std::chrono::duration<double>(now - phase_start_).count();
  double frac = 0.0;
  std::string what;
  if (analysing_) {
    frac = static_cast<double>(p.timelines_done) /
           static_cast<double>(std::max<std::size_t>(1, p.timelines_total));
    what = fmt::format("analysing {}/{} logs", p.timelines_done, p.timelines_total);
  } else {
    const double mb_s = elapsed > 0 ? static_cast<double>(p.bytes_done) / 1e6 / elapsed : 0.0;
    frac = p.bytes_total > 0
               ? static_cast<double>(p.bytes_done) / static_cast<double>(p.bytes_total)
               : static_cast<double>(p.files_done) /
                     static_cast<double>(std::max<std::size_t>(1, p.files_total));
    what = fmt::format("reading {}/{} files  {:.0f} MB/s", p.files_done, p.files_total, mb_s);
  }
  // No ETA before the first item of a phase is done: it would be a guess.
  const std::string eta = frac > 0 ? "ETA " + FormatDuration(elapsed * (1 - frac) / frac) : "ETA -";
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(std::clamp(frac, 0.0, 1.0) * kWidth);
  err_ << fmt::format("\r[{:<{}}] {}  {}   ", std::string(static_cast<std::size_t>(filled), '#'),
                      kWidth, what, eta)
       << std::flush;
  drawn_ = true;
}

ProgressBar::~ProgressBar() {
  if (drawn_) err_ << "\r" << std::string(80, ' ') << "\r" << std::flush;
}

}  // namespace perfleak::cli
