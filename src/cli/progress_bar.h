// The batch progress bar `analyze` draws on a terminal's stderr.
#pragma once

#include <chrono>
#include <ostream>

#include "perfleak/batch.h"

namespace perfleak::cli {

/// Progress in two phases, redrawn in place with `\r`: files read / total with MB/s, then logs
/// analysed / total, each phase with its own ETA (the analysis of a 1,000-file batch takes
/// longer than its reading, so a bar stuck at "1000/1000 ... ETA 0 s" would look frozen).
/// Erases its line when destroyed, if it drew one.
class ProgressBar {
 public:
  explicit ProgressBar(std::ostream& err);
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  ~ProgressBar();

  /// Redraws the bar for `p` (a BatchOptions::on_progress callback).
  void Update(const BatchProgress& p);

 private:
  std::ostream& err_;
  std::chrono::steady_clock::time_point phase_start_;
  bool analysing_ = false;
  bool drawn_ = false;
};

}  // namespace perfleak::cli
