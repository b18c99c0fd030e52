#include "blg/blg_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "blg/counter_types.h"
#include "blg/etl.h"
#include "blg/pdh_records.h"
#include "blg/perf_data_block.h"
#include "common/counter_pattern_set.h"
#include "common/parallel_for_internal.h"
#include "common/read_limits_internal.h"
#include "common/row_source_internal.h"
#include "common/time_zone_internal.h"
#include "perfleak/time_format.h"

namespace perfleak::blg {

namespace {

constexpr std::uint32_t kStatusValidData = 0;  // PDH_CSTATUS_VALID_DATA
constexpr std::uint32_t kStatusNewData = 1;    // PDH_CSTATUS_NEW_DATA
constexpr std::size_t kMaxWarnings = 200;
// 9999-12-31 as a FILETIME: later sample times are corrupt (and would overflow Ticks math).
constexpr std::int64_t kMaxFileTime = 2'650'467'743'999'999'999;
// TIME_ZONE_INFORMATION biases beyond a day are corrupt.
constexpr std::int32_t kMaxBiasMinutes = 24 * 60;

bool PlausibleZone(const TimeZoneInfo& tz) {
  auto ok = [](std::int32_t b) { return b >= -kMaxBiasMinutes && b <= kMaxBiasMinutes; };
  return ok(tz.bias) && ok(tz.standard_bias) && ok(tz.daylight_bias);
}

bool StatusOk(std::uint32_t status) {
  return status == kStatusValidData || status == kStatusNewData;
}

std::string StatusName(std::uint32_t status) {
  switch (status) {
    case 0x800007D0u:
      return "0x800007D0 PDH_CSTATUS_NO_MACHINE";
    case 0xC0000BB8u:
      return "0xC0000BB8 PDH_CSTATUS_NO_OBJECT";
    case 0xC0000BB9u:
      return "0xC0000BB9 PDH_CSTATUS_NO_COUNTER";
    case 0x800007D1u:
      return "0x800007D1 PDH_CSTATUS_NO_INSTANCE";
    case 0x800007D2u:
      return "0x800007D2 PDH_CSTATUS_ITEM_NOT_VALIDATED";
    default:
      return fmt::format("0x{:08X}", status);
  }
}

// PDH numbers duplicate instance names in order of appearance within one instance list: a,
// a#1, a#2 (the `#n` of CounterPath::instance_index). One numbering per list.
class DuplicateNumbering {
 public:
  // The number of this occurrence of `key`: 0 for the first, 1 for the second, ...
  std::uint32_t Next(const std::string& key) { return seen_[key]++; }

 private:
  std::unordered_map<std::string, std::uint32_t> seen_;
};

// Builds the columns of a CounterLog sample by sample. Columns are grouped by the header
// entry they come from (relog's order) and, inside a group, kept in first-seen order.
//
// Three modes: kColumns builds the columns; kStructure only finds them (their paths and
// types, the samples' count), keeping no value; kRows, on a copy of a builder that found
// every column, writes the values of a few consecutive samples as rows of a caller's buffer
// (in the columns' final order) and may create no column.
class ColumnBuilder {
 public:
  enum class Mode : std::uint8_t { kColumns, kStructure, kRows };

  ColumnBuilder(CounterLog& log, const ReadOptions& options, internal::CounterPatternSet patterns)
      : log_(&log), options_(&options), patterns_(std::move(patterns)) {}
  // A copy of `other` (its columns so far) that writes into `log`.
  // Its columns get an arena of their own, freed with the range.
  ColumnBuilder(const ColumnBuilder& other, CounterLog& log) : ColumnBuilder(other) {
    log_ = &log;
    arena_ = nullptr;
  }

  // Returns the column for `path`, creating it (NaN-filled so far), or -1 when the path
  // matches no pattern. kLimitExceeded when max_counters would be passed.
  Result<std::int64_t> Add(std::size_t group, CounterPath path, std::uint32_t type,
                           std::int64_t frequency) {
    if (!patterns_.empty() && !patterns_.Matches(path)) return std::int64_t{-1};
    if (mode_ == Mode::kRows) {
      return Status::ParseError(fmt::format(
          "{}: {} appears in a second reading of the log but not in the first; hint: the file "
          "may be changing while it is read",
          log_->source, path.ToString()));
    }
    if (columns_.size() >= options_->max_counters) {
      return Status::LimitExceeded(fmt::format(
          "{}: more than {} counters (max_counters); hint: select counters with patterns or "
          "raise the limit",
          log_->source, options_->max_counters));
    }
    Named c;
    c.group = group;
    c.path = std::move(path);
    if (mode_ == Mode::kStructure) {
      Series& h = series_.emplace_back();
      h.type = type;
      h.frequency = frequency;
      columns_.push_back(std::move(c));
      PERFLEAK_RETURN_NOT_OK(CheckCells());
      return static_cast<std::int64_t>(columns_.size() - 1);
    }
    if (arena_ == nullptr) {
      arena_ = ColumnArena::ForBytes((columns_.size() + 1) * expected_samples_ * sizeof(double));
    }
    Series& h = series_.emplace_back();
    h.values = perfleak::Column(ColumnAllocator<double>(arena_));
    h.type = type;
    h.frequency = frequency;
    // Growing every column by doubling moved each value about twice; the number of data
    // records bounds the samples, and max_cells bounds what may be reserved up front.
    if (expected_samples_ > 0 && columns_.size() < options_->max_cells / expected_samples_) {
      h.values.reserve(expected_samples_);
    }
    h.values.assign(flushed_samples_, kMissing);
    block_.resize(block_.size() + block_rows_, kMissing);
    columns_.push_back(std::move(c));
    PERFLEAK_RETURN_NOT_OK(CheckCells());
    return static_cast<std::int64_t>(columns_.size() - 1);
  }

  void ExpectSamples(std::size_t n) { expected_samples_ = n; }

  // Before any column is added.
  void SetMode(Mode mode) { mode_ = mode; }
  bool finds_only() const { return mode_ == Mode::kStructure; }
  bool writes_rows() const { return mode_ == Mode::kRows; }

  // Ends a kStructure builder's work: `log` gets the paths in their final order, and the
  // builder a copy of it for kRows copies (positions_). The builder stays usable to copy.
  void WritePaths(CounterLog& log) {
    const std::vector<std::size_t> order = FinalOrder();
    positions_.assign(columns_.size(), 0);
    log.paths.reserve(columns_.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
      positions_[order[k]] = static_cast<std::uint32_t>(k);
      log.paths.push_back(columns_[order[k]].path);
    }
  }

  // A kRows copy of a builder that found every column (WritePaths done).
  ColumnBuilder ForRows() const {
    ColumnBuilder rows(*this);
    rows.mode_ = Mode::kRows;
    rows.scratch_.assign(columns_.size(), kMissing);
    return rows;
  }

  // kRows: samples [first, first + out.size() / columns) are written to `out`; the sample
  // before them, when `prime`, to a scratch row (it only sets the previous raw values of the
  // first rates). No raw value of an earlier call is used.
  void StartRows(std::span<double> out, std::size_t first, bool prime) {
    rows_ = out;
    rows_first_ = first;
    num_samples_ = prime ? first - 1 : first;
    for (Series& c : series_) c.prev.reset();
  }

  // Samples go to a small block (a few rows of all columns, NaN-filled) that is appended to
  // the columns when full: growing every column by one value per sample touched a cold cache
  // line per column and cost more than formatting the values.
  Status BeginSample() {
    if (mode_ == Mode::kRows) {
      const std::size_t width = series_.size();
      row_ = num_samples_ < rows_first_ ? scratch_.data()
                                        : rows_.data() + (num_samples_ - rows_first_) * width;
      std::fill(row_, row_ + width, kMissing);
      ++num_samples_;
      return Status::OK();
    }
    if (num_samples_ > flushed_samples_ && num_samples_ - flushed_samples_ == block_rows_) {
      FlushBlock();
    }
    ++num_samples_;
    return CheckCells();
  }

  // Formats `raw` into the current sample of column `col`; `valid` false records a missing
  // value and forgets the previous raw value, so the next rate is also missing (as PDH).
  void Set(std::int64_t col, const RawValue& raw, bool valid) {
    Series& c = series_[static_cast<std::size_t>(col)];
    if (!valid) {
      c.prev.reset();
      return;
    }
    Format(col, raw, c.type, c.frequency);
  }

  // As Set for a present value, with the type and time base it comes with. Whole-object
  // counters take theirs from each block (PerfFreq can differ between the blocks of one log);
  // their columns are only ever written here, so nothing needs to be kept in the column.
  void SetWithTimeBase(std::int64_t col, const RawValue& raw, std::uint32_t type,
                       std::int64_t frequency) {
    Format(col, raw, type, frequency);
  }

  // Adds a column like `other`'s column `col`, which another range created.
  Result<std::int64_t> AddLike(const ColumnBuilder& other, std::size_t col) {
    const Series& s = other.series_[col];
    return Add(other.columns_[col].group, other.columns_[col].path, s.type, s.frequency);
  }

  std::size_t size() const { return columns_.size(); }
  const CounterPath& PathOf(std::size_t col) const { return columns_[col].path; }
  std::uint32_t TypeOf(std::size_t col) const { return series_[col].type; }

  // Moves every sample into the columns (AppendRange reads and extends them there).
  void Flush() { FlushBlock(); }

  // The values of column `col` (after Flush), leaving it empty.
  perfleak::Column TakeValues(std::size_t col) {
    return std::move(series_[static_cast<std::size_t>(col)].values);
  }

  // Appends `values` but their first `skip` to column `col`, of which Flush was the last
  // change; EndAppend then makes the appended samples count. Calls for different columns may
  // run at the same time.
  void AppendFlushed(std::size_t col, perfleak::Column values, std::size_t skip) {
    perfleak::Column& to = series_[col].values;
    to.insert(to.end(), values.begin() + static_cast<std::ptrdiff_t>(skip), values.end());
  }

  // As AppendFlushed for `samples` missing values.
  void AppendMissing(std::size_t col, std::size_t samples) {
    perfleak::Column& to = series_[col].values;
    to.resize(to.size() + samples, kMissing);
  }

  // Counts `samples` samples that AppendFlushed or AppendMissing gave every column.
  void EndAppend(std::size_t samples) {
    num_samples_ += samples;
    flushed_samples_ = num_samples_;
    if (mode_ == Mode::kColumns) block_.assign(series_.size() * block_rows_, kMissing);
  }

  void Finish() {
    FlushBlock();
    const std::vector<std::size_t> order = FinalOrder();
    log_->paths.reserve(columns_.size());
    log_->columns.reserve(columns_.size());
    for (const std::size_t i : order) {
      log_->paths.push_back(std::move(columns_[i].path));
      log_->columns.push_back(std::move(series_[i].values));
    }
    columns_.clear();
    series_.clear();
  }

  // kLimitExceeded when the columns x samples so far exceed max_cells.
  Status CheckCells() const {
    if (num_samples_ > 0 && columns_.size() > options_->max_cells / num_samples_) {
      return Status::LimitExceeded(fmt::format(
          "{}: {} counters x {} samples exceed max_cells ({}); hint: select counters with "
          "patterns or raise the limit",
          log_->source, columns_.size(), num_samples_, options_->max_cells));
    }
    return Status::OK();
  }

 private:
  struct Named {
    std::size_t group = 0;
    CounterPath path;
  };
  // What every sample touches, kept apart from the paths so that it stays dense in cache.
  struct Series {
    std::uint32_t type = 0;
    std::int64_t frequency = 0;
    perfleak::Column values;
    std::optional<RawValue> prev;
    std::size_t prev_sample = 0;
  };

  // Appends the block's rows to the columns and starts an empty block. Its height is chosen
  // here, from the columns known so far, so that the block stays cache-sized; the first
  // block has one row, as the columns of a log are mostly created by its first sample.
  void FlushBlock() {
    if (mode_ != Mode::kColumns) return;
    const std::size_t rows = num_samples_ - flushed_samples_;
    for (std::size_t i = 0; i < series_.size(); ++i) {
      const double* first = block_.data() + i * block_rows_;
      series_[i].values.insert(series_[i].values.end(), first, first + rows);
    }
    flushed_samples_ = num_samples_;
    block_rows_ = std::clamp<std::size_t>(kBlockCells / std::max<std::size_t>(series_.size(), 1), 1,
                                          kMaxBlockRows);
    block_.assign(series_.size() * block_rows_, kMissing);
  }

  // The columns in their final order: by group, inside a group in first-seen order.
  std::vector<std::size_t> FinalOrder() const {
    std::vector<std::size_t> order(columns_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [this](std::size_t a, std::size_t b) {
      return columns_[a].group < columns_[b].group;
    });
    return order;
  }

  void Format(std::int64_t col, const RawValue& raw, std::uint32_t type, std::int64_t frequency) {
    if (mode_ == Mode::kStructure) return;
    Series& c = series_[static_cast<std::size_t>(col)];
    const std::size_t sample = num_samples_ - 1;
    // A column written twice in one sample (two instances mapping to one path) keeps the
    // last value.
    double& cell =
        mode_ == Mode::kRows
            ? row_[positions_[static_cast<std::size_t>(col)]]
            : block_[static_cast<std::size_t>(col) * block_rows_ + (sample - flushed_samples_)];
    // A reference, not a copy: building an optional per value was a measurable cost.
    static const std::optional<RawValue> kNone;
    const std::optional<RawValue>& prev = c.prev_sample + 1 == sample ? c.prev : kNone;
    FormatCounterValueInto(type, frequency, raw, prev, cell);
    c.prev = raw;
    c.prev_sample = sample;
  }

  CounterLog* log_;
  const ReadOptions* options_;
  internal::CounterPatternSet patterns_;
  std::vector<Named> columns_;
  std::vector<Series> series_;  ///< parallel to columns_
  // The log's columns, once they pass what ColumnArena::ForBytes takes (the first columns,
  // before that, are on the heap).
  std::shared_ptr<ColumnArena> arena_;
  std::size_t num_samples_ = 0;
  std::size_t expected_samples_ = 0;
  static constexpr std::size_t kBlockCells = std::size_t{1} << 16;
  static constexpr std::size_t kMaxBlockRows = 16;
  // Samples [flushed_samples_, num_samples_) as block_rows_ rows per column.
  std::vector<double> block_;
  std::size_t block_rows_ = 1;
  std::size_t flushed_samples_ = 0;
  Mode mode_ = Mode::kColumns;
  // kRows: each column's place in a row, the rows being written and the first one's sample,
  // the current sample's row, and the row of a priming sample.
  std::vector<std::uint32_t> positions_;
  std::span<double> rows_;
  std::size_t rows_first_ = 0;
  double* row_ = nullptr;
  std::vector<double> scratch_;
};

class BlgDecoder {
 public:
  BlgDecoder(std::string_view name, const ReadOptions& options, CounterLog& log,
             internal::CounterPatternSet patterns)
      : name_(name),
        log_(&log),
        columns_(log, options, std::move(patterns)),
        max_samples_(options.max_samples) {}

  // A decoder for a later range of data records: `prepared`'s counter list, name table and
  // fixed columns (Prepare done, no sample decoded), writing into `local`. Its warnings only
  // tell whether the range was quiet; its zone is the header's, as the first sample sets it.
  BlgDecoder(const BlgDecoder& prepared, CounterLog& local) : BlgDecoder(prepared) {
    log_ = &local;
    columns_ = ColumnBuilder(prepared.columns_, local);
    const LogfileHeader& h = etl_->header;
    zone_decided_ = true;
    zone_ok_ = h.time_zone && PlausibleZone(*h.time_zone);
    record_keys_ = true;
  }

  // A decoder that only finds the columns and samples (ColumnBuilder::Mode::kStructure), with
  // every warning and error the decode of the values gives. Before Prepare.
  void FindOnly() { columns_.SetMode(ColumnBuilder::Mode::kStructure); }

  // A decoder of rows, from one that found every column and sample (FindOnly, DecodeRecords
  // and WriteHeader done): it writes values only, and gives no warning (the finding gave them).
  struct RowsTag {};
  BlgDecoder(const BlgDecoder& found, RowsTag) : BlgDecoder(found) {
    columns_ = found.columns_.ForRows();
    muted_ = true;
    // The instance resolutions point into `found`'s maps: resolved again from ours. The key
    // list, for joining ranges, points into them too, and rows are never joined.
    for (EntryState& state : entry_state_) {
      state.object_identity.clear();
      state.instances.clear();
    }
    column_keys_.clear();
  }

  // The records that made samples, in order (after DecodeRecords of a FindOnly decoder).
  std::span<const PdhRecord* const> sample_records() const { return sample_records_; }

  // Ends a FindOnly decoder's work: the final warnings and the paths in their final order go to
  // its log, which then holds all but the values.
  void WriteHeader() {
    FinishWarnings();
    columns_.WritePaths(*log_);
  }

  // For a decoder of rows: writes the values of samples [begin, end) of `samples` (the finding
  // decoder's sample_records) into `out`, row-major.
  Status DecodeRows(std::span<const PdhRecord* const> samples, std::size_t begin, std::size_t end,
                    std::span<double> out) {
    const bool prime = begin > 0;
    columns_.StartRows(out, begin, prime);
    sample_count_ = prime ? begin - 1 : begin;
    for (std::size_t s = sample_count_; s < end; ++s) {
      PERFLEAK_RETURN_NOT_OK(DecodeSample(*samples[s]));
      if (sample_count_ != s + 1) {
        return Status::ParseError(fmt::format(
            "{}: record {} made a sample in the first reading of the log but not in the "
            "second; hint: the file may be changing while it is read",
            name_, samples[s]->ordinal));
      }
    }
    return Status::OK();
  }

  Status Run(const EtlContent& etl, EtlInput input) {
    PERFLEAK_RETURN_NOT_OK(Prepare(etl, input));
    PERFLEAK_RETURN_NOT_OK(DecodeRecords(data_records_));
    Finish();
    return Status::OK();
  }

  // Everything before the samples: metadata, the counter list, the name table, the columns of
  // single counters, and the data records to decode (max_samples applied).
  Status Prepare(const EtlContent& etl, EtlInput input) {
    etl_ = &etl;
    reader_.emplace(name_, input);
    for (const std::string& w : etl.warnings) Warn(w);
    SetMetadataAndZone(etl);
    PERFLEAK_RETURN_NOT_OK(FindHeader(etl));
    for (const PdhRecord& rec : etl.records) {
      if (rec.kind == static_cast<std::uint8_t>(PdhRecordKind::kNameTable)) {
        PERFLEAK_ASSIGN_OR_RETURN(const ByteView bytes, reader_->Read(etl, rec));
        ParseNameTable(bytes, names_);
      }
    }
    if (!names_.empty())
      log_->metadata.emplace_back("name_table_entries", std::to_string(names_.size()));
    for (const PdhRecord& rec : etl.records) {
      if (rec.kind != static_cast<std::uint8_t>(PdhRecordKind::kData)) continue;
      if (max_samples_ != 0 && data_records_.size() == max_samples_) break;
      data_records_.push_back(&rec);
    }
    columns_.ExpectSamples(data_records_.size());
    PERFLEAK_RETURN_NOT_OK(CreateFixedColumns());
    fixed_columns_ = columns_.size();
    return Status::OK();
  }

  std::span<const PdhRecord* const> data_records() const { return data_records_; }

  Status DecodeRecords(std::span<const PdhRecord* const> records) {
    for (const PdhRecord* rec : records) PERFLEAK_RETURN_NOT_OK(DecodeSample(*rec));
    return Status::OK();
  }

  // For a decoder of a later range: decodes `previous` (the last record of the range before)
  // only for each column's previous raw value, so that the range's first rates are the
  // sequential ones, then the range. The sample of `previous` is dropped by JoinRanges.
  Status DecodeRangeAfter(const PdhRecord& previous, std::span<const PdhRecord* const> records) {
    columns_.ExpectSamples(records.size() + 1);
    PERFLEAK_RETURN_NOT_OK(DecodeSample(previous));
    primed_ = sample_count_ == 1;
    warnings_after_priming_ = warn_calls_ - once_warnings_;
    return DecodeRecords(records);
  }

  // The final warnings and the columns in group order.
  void Finish() {
    FinishWarnings();
    columns_.Finish();
  }

  // Starts recording the internal key of each column created from now on (JoinRanges joins
  // ranges by them, not by path: two instances can map to one path).
  void RecordColumnKeys() { record_keys_ = true; }

  // Appends the samples of `ranges`, decoders of the ranges after ours in file order
  // (DecodeRangeAfter done), to this one: their columns map to ours by key, new ones follow in
  // first-seen order with missing values before. False when the result might differ from
  // decoding sequentially (a range warned or skipped its first record, a column's path or
  // pattern match differs, a limit is passed): then this decoder is unusable and the caller
  // decodes sequentially. The values are copied on up to `threads` threads.
  Result<bool> JoinRanges(std::span<BlgDecoder* const> ranges, std::size_t threads) {
    std::vector<std::vector<std::int64_t>> to_global(ranges.size());
    for (std::size_t r = 0; r < ranges.size(); ++r) {
      if (!QuietAfterUs(*ranges[r]) || !MapRangeColumns(*ranges[r], to_global[r])) return false;
    }
    // Finding only: no values to copy, only the samples to count.
    if (!columns_.finds_only()) PERFLEAK_RETURN_NOT_OK(AppendValues(ranges, to_global, threads));
    for (const BlgDecoder* range : ranges) columns_.EndAppend(range->sample_count_ - 1);
    for (BlgDecoder* range : ranges) {
      // The range's first sample is the previous range's last record: not appended.
      auto append = [](std::vector<Ticks>& to, const std::vector<Ticks>& from) {
        to.insert(to.end(), from.begin() + 1, from.end());
      };
      append(log_->time_local, range->log_->time_local);
      append(log_->time_utc, range->log_->time_utc);
      if (columns_.finds_only()) {
        sample_records_.insert(sample_records_.end(), range->sample_records_.begin() + 1,
                               range->sample_records_.end());
      }
      sample_count_ += range->sample_count_ - 1;
    }
    return columns_.CheckCells().ok();
  }

  // Appends every range's values (to_global[range][its column] = our column) to our columns,
  // missing where a range lacks one. Tasks of whole columns, so that threads never share one.
  // A range's columns are in its own arena (ColumnArena), returned when the range is gone.
  Status AppendValues(std::span<BlgDecoder* const> ranges,
                      const std::vector<std::vector<std::int64_t>>& to_global,
                      std::size_t threads) {
    // Per range, our column -> its column (or -1: the instance is absent there).
    std::vector<std::vector<std::int64_t>> to_local(ranges.size());
    for (std::size_t r = 0; r < ranges.size(); ++r) {
      to_local[r].assign(columns_.size(), -1);
      for (std::size_t col = 0; col < to_global[r].size(); ++col) {
        to_local[r][static_cast<std::size_t>(to_global[r][col])] = static_cast<std::int64_t>(col);
      }
      ranges[r]->columns_.Flush();
    }
    columns_.Flush();
    constexpr std::size_t kColumnsPerTask = 64;
    const std::size_t tasks = (columns_.size() + kColumnsPerTask - 1) / kColumnsPerTask;
    PERFLEAK_RETURN_NOT_OK(internal::ParallelFor(tasks, threads, [&](std::size_t task) {
      const std::size_t end = std::min(columns_.size(), (task + 1) * kColumnsPerTask);
      for (std::size_t col = task * kColumnsPerTask; col < end; ++col) {
        for (std::size_t r = 0; r < ranges.size(); ++r) {
          const std::int64_t local = to_local[r][col];
          const std::size_t samples = ranges[r]->sample_count_ - 1;
          if (local < 0) {
            columns_.AppendMissing(col, samples);
          } else {
            columns_.AppendFlushed(
                col, ranges[r]->columns_.TakeValues(static_cast<std::size_t>(local)), 1);
          }
        }
      }
    }));
    return Status::OK();
  }

  // Whether `range` gave no warning after its first record but the once-only ones this
  // decoder gave as well, and decoded that record as a sample.
  bool QuietAfterUs(const BlgDecoder& range) const {
    if (!range.primed_ || sample_count_ == 0) return false;
    if (range.warn_calls_ - range.once_warnings_ != range.warnings_after_priming_) return false;
    return (!range.warned_extra_items_ || warned_extra_items_) &&
           (!range.warned_no_names_ || warned_no_names_);
  }

 private:
  // The warnings that sum up the whole decode.
  void FinishWarnings() {
    if (unsupported_types_ > 0) {
      Warn(
          fmt::format("{}: {} counters have a counter type perfleak cannot format; their "
                      "values are missing",
                      name_, unsupported_types_));
    }
    if (suppressed_warnings_ > 0) {
      log_->warnings.push_back(
          fmt::format("{}: {} more warnings not shown", name_, suppressed_warnings_));
    }
    if (data_records_.empty()) {
      Warn(fmt::format("{}: the log holds a counter list but no samples", name_));
    }
  }

  void Warn(std::string msg) {
    if (muted_) return;
    ++warn_calls_;
    if (log_->warnings.size() >= kMaxWarnings) {
      ++suppressed_warnings_;
      return;
    }
    log_->warnings.push_back(std::move(msg));
  }

  void SetMetadataAndZone(const EtlContent& etl) {
    const LogfileHeader& h = etl.header;
    auto& m = log_->metadata;
    m.emplace_back("os_version", fmt::format("{}.{}", h.os_major, h.os_minor));
    m.emplace_back("os_build", std::to_string(h.os_build));
    m.emplace_back("pointer_size", std::to_string(h.pointer_size));
    m.emplace_back("log_file_mode", fmt::format("0x{:08x}", h.log_file_mode));
    m.emplace_back("circular", (h.log_file_mode & kModeCircular) != 0 ? "true" : "false");
    m.emplace_back("buffer_size", std::to_string(h.buffer_size));
    m.emplace_back("buffers", std::to_string(etl.num_buffers));
    m.emplace_back("buffers_written", std::to_string(h.buffers_written));
    m.emplace_back("events_lost", std::to_string(h.events_lost));
    m.emplace_back("buffers_lost", std::to_string(h.buffers_lost));
    m.emplace_back("num_processors", std::to_string(h.num_processors));
    m.emplace_back("cpu_mhz", std::to_string(h.cpu_mhz));
    m.emplace_back("perf_freq", std::to_string(h.perf_freq));
    m.emplace_back("clock_type", std::to_string(h.clock_type));
    if (h.start_time_utc > kFileTimeUnixEpoch) {
      m.emplace_back("logger_start_utc", FormatIsoUtc(h.start_time_utc - kFileTimeUnixEpoch));
    }
    if (h.end_time_utc > kFileTimeUnixEpoch) {
      m.emplace_back("logger_end_utc", FormatIsoUtc(h.end_time_utc - kFileTimeUnixEpoch));
    }
    if (h.events_lost > 0 || h.buffers_lost > 0) {
      Warn(
          fmt::format("{}: the logger reports {} events and {} buffers lost; samples may be "
                      "missing",
                      name_, h.events_lost, h.buffers_lost));
    }
    if (h.clock_type != 2 && h.clock_type != 0) {
      Warn(
          fmt::format("{}: the ETW clock type is {} (not system time); sample times come from "
                      "the event headers and may be off",
                      name_, h.clock_type));
    }
  }

  void SetZoneFromFirstSample(Ticks first_local) {
    const LogfileHeader& h = etl_->header;
    if (!h.time_zone) return;
    if (!PlausibleZone(*h.time_zone)) {
      Warn(
          fmt::format("{}: the time-zone bias in the logfile header ({} min) is implausible; "
                      "times are taken as UTC",
                      name_, h.time_zone->bias));
      return;
    }
    zone_ok_ = true;
    const TimeZoneInfo& tz = *h.time_zone;
    const bool dst = tz.IsDaylight(first_local);
    const std::string& stored =
        dst && !tz.daylight_name.empty() ? tz.daylight_name : tz.standard_name;
    log_->time_zone.bias_minutes = tz.BiasAt(first_local);
    log_->time_zone.has_bias = true;
    // Windows 10+ stores a MUI reference (`@tzres.dll,-212`); relog writes the display name
    // in its CSV header, so the model carries the name and keeps the reference as metadata.
    std::string readable = stored;
    if (auto resolved = ResolveMuiZoneName(stored)) {
      readable = *resolved;
      log_->metadata.emplace_back("time_zone_stored_name", stored);
    }
    log_->time_zone.name = readable;
    // For reference only: UTC comes from the header's own rules, which are what the writing
    // machine used, not from the IANA database.
    if (auto iana = internal::WindowsZoneToIana(readable)) log_->time_zone.iana_name = *iana;
  }

  Status FindHeader(const EtlContent& etl) {
    const PdhRecord* header = nullptr;
    for (const PdhRecord& rec : etl.records) {
      if (rec.kind != static_cast<std::uint8_t>(PdhRecordKind::kHeader)) continue;
      PERFLEAK_ASSIGN_OR_RETURN(const ByteView bytes, reader_->Read(etl, rec));
      if (header == nullptr) {
        header = &rec;
        header_bytes_.assign(bytes.span().begin(), bytes.span().end());
      } else if (bytes.size() != header_bytes_.size() ||
                 !std::equal(bytes.span().begin(), bytes.span().end(), header_bytes_.begin())) {
        Warn(fmt::format("{}: a second, different counter list at byte {} is ignored", name_,
                         rec.file_offset));
      }
    }
    if (header == nullptr) {
      return Status::ParseError(fmt::format(
          "{}: no PDH counter list (header record) in {} PDH records; hint: the start of a "
          "circular or cut log may be lost; relog on Windows may still read it",
          name_, etl.records.size()));
    }
    std::string warning;
    auto entries = ParseCounterList(ByteView(std::span<const std::byte>(header_bytes_)), &warning);
    if (!entries.ok()) {
      return Status::ParseError(fmt::format("{}: record {} at byte {}: {}", name_, header->ordinal,
                                            header->file_offset, entries.status().message()));
    }
    if (!warning.empty()) {
      Warn(fmt::format("{}: record {} at byte {}: {}", name_, header->ordinal, header->file_offset,
                       warning));
    }
    entries_ = std::move(entries).value();
    entry_state_.resize(entries_.size());
    return Status::OK();
  }

  CounterPath EntryPath(const CounterListEntry& e) const {
    CounterPath p;
    p.machine = e.machine;
    p.object = e.object;
    p.counter = e.counter;
    if (e.instance) {
      p.has_instance = true;
      p.instance = *e.instance;
      p.parent = e.parent;
      if (e.instance_index > 0) p.instance_index = static_cast<std::uint32_t>(e.instance_index);
    }
    return p;
  }

  // Single-counter entries get their column up front, so a counter that never reports
  // still has its (empty) column in header order, as relog writes it.
  Status CreateFixedColumns() {
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      const CounterListEntry& e = entries_[i];
      if ((e.flags & 0x11) != 0) continue;
      PERFLEAK_ASSIGN_OR_RETURN(entry_state_[i].single_column,
                                columns_.Add(i, EntryPath(e), e.type, e.frequency));
      NoteType(e.type);
    }
    return Status::OK();
  }

  // The column of an instance's counter first met by this decoder, `key` its internal key:
  // created (the key recorded when ranges are to be joined), or, for a decoder of rows, the
  // column the finding pass has for the key (a later range of it may have created it).
  Result<std::int64_t> NewColumn(std::size_t entry_idx, CounterPath path, std::uint32_t type,
                                 std::int64_t frequency, std::string key) {
    if (columns_.writes_rows()) {
      if (auto found = key_columns_.find(key); found != key_columns_.end()) return found->second;
    }
    PERFLEAK_ASSIGN_OR_RETURN(const std::int64_t col,
                              columns_.Add(entry_idx, std::move(path), type, frequency));
    if (col >= 0) NoteType(type);
    if (record_keys_) NoteKey(col, std::move(key));
    return col;
  }

  // Node-based map: the key strings column_keys_ points to stay put.
  void NoteKey(std::int64_t col, std::string key) {
    const auto it = key_columns_.emplace(std::move(key), col).first;
    if (col >= 0) column_keys_.push_back(&it->first);
  }

  // Maps each column of `range` to ours (to_global[range column] = our column), adding the
  // ones it created first. False when a key resolved differently there (another path, or a
  // pattern matched in one range but not in the other), or a new column passes max_counters.
  bool MapRangeColumns(const BlgDecoder& range, std::vector<std::int64_t>& to_global) {
    to_global.assign(range.columns_.size(), -1);
    for (std::size_t col = 0; col < fixed_columns_; ++col) {
      to_global[col] = static_cast<std::int64_t>(col);
    }
    for (std::size_t i = 0; i < range.column_keys_.size(); ++i) {
      const std::string& key = *range.column_keys_[i];
      const std::size_t local = range.fixed_columns_ + i;
      if (auto found = key_columns_.find(key); found != key_columns_.end()) {
        if (found->second < 0) return false;
        const auto col = static_cast<std::size_t>(found->second);
        if (!(columns_.PathOf(col) == range.columns_.PathOf(local))) return false;
        to_global[local] = found->second;
        continue;
      }
      auto col = columns_.AddLike(range.columns_, local);
      if (!col.ok() || *col < 0) return false;
      NoteType(range.columns_.TypeOf(local));
      NoteKey(*col, key);
      to_global[local] = *col;
    }
    for (const auto& [key, col] : range.key_columns_) {
      if (col >= 0) continue;
      const auto found = key_columns_.emplace(key, -1).first;
      if (found->second >= 0) return false;
    }
    return true;
  }

  void NoteType(std::uint32_t type) {
    if (!IsSupportedCounterType(type)) ++unsupported_types_;
  }

  std::string Place(const PdhRecord& rec) const {
    return fmt::format("{}: record {} (sample {}) at byte {}", name_, rec.ordinal,
                       sample_count_ + 1, rec.file_offset);
  }

  Status DecodeSample(const PdhRecord& rec) {
    std::string error;
    PERFLEAK_ASSIGN_OR_RETURN(const ByteView bytes, reader_->Read(*etl_, rec));
    SplitSampleInto(bytes, items_, &error);
    const std::vector<BlItem>& items = items_;
    if (items.empty()) {
      Warn(fmt::format("{}: {}; sample skipped", Place(rec), error));
      return Status::OK();
    }
    if (!error.empty()) {
      Warn(fmt::format("{}: {}; the counters after it are missing in this sample", Place(rec),
                       error));
    }
    if (items.size() > entries_.size() && !warned_extra_items_) {
      warned_extra_items_ = true;
      ++once_warnings_;
      Warn(fmt::format("{}: {} sub-records for {} logged counters; the extra ones are ignored",
                       Place(rec), items.size(), entries_.size()));
    }
    if (rec.timestamp <= 0 || rec.timestamp > kMaxFileTime) {
      Warn(fmt::format("{}: implausible sample time {} (FILETIME); sample skipped", Place(rec),
                       rec.timestamp));
      return Status::OK();
    }
    const Ticks local = rec.timestamp - kFileTimeUnixEpoch;
    if (!zone_decided_) {
      zone_decided_ = true;
      SetZoneFromFirstSample(local);
    }
    PERFLEAK_RETURN_NOT_OK(columns_.BeginSample());
    bad_status_ = 0;
    first_bad_status_ = 0;
    const std::size_t n = std::min(items.size(), entries_.size());
    for (std::size_t i = 0; i < n; ++i) {
      const BlItem& item = items[i];
      Status st;
      switch (item.kind) {
        case kBlSingle:
          st = DecodeSingleItem(rec, i, item);
          break;
        case kBlArray:
          st = DecodeArrayItem(rec, i, item);
          break;
        case kBlPerfData:
          st = DecodePerfDataItem(rec, i, item);
          break;
        default:
          Warn(fmt::format("{}: sub-record {} at offset {} has unknown kind 0x{:04x}; skipped",
                           Place(rec), i + 1, item.offset, item.kind));
          break;
      }
      // Not PERFLEAK_RETURN_NOT_OK: it would copy the Status (and its string) for every item.
      if (!st.ok()) return st;
    }
    if (bad_status_ > 0) {
      Warn(
          fmt::format("{}: {} counter values have no data (status {}, e.g. {}); they are "
                      "missing",
                      Place(rec), bad_status_, StatusName(first_bad_status_), first_bad_path_));
    }
    ++sample_count_;
    if (muted_) return Status::OK();  // a decoder of rows: the times are the header's
    if (columns_.finds_only()) sample_records_.push_back(&rec);
    log_->time_local.push_back(local);
    const LogfileHeader& h = etl_->header;
    log_->time_utc.push_back(zone_ok_ ? h.time_zone->LocalToUtc(local) : local);
    return Status::OK();
  }

  void NoteBadStatus(std::uint32_t status, const CounterPath& path) {
    if (bad_status_++ == 0) {
      first_bad_status_ = status;
      first_bad_path_ = path.ToString();
    }
  }

  Status DecodeSingleItem(const PdhRecord& rec, std::size_t entry_idx, const BlItem& item) {
    const auto raw = DecodeSingle(item);
    const std::int64_t col = entry_state_[entry_idx].single_column;
    if (!raw) {
      Warn(
          fmt::format("{}: raw counter sub-record {} at offset {} is {} bytes, too short; "
                      "value missing",
                      Place(rec), entry_idx + 1, item.offset, item.bytes.size()));
      return Status::OK();
    }
    if (col < 0) return Status::OK();
    const bool valid = StatusOk(raw->status);
    if (!valid) NoteBadStatus(raw->status, EntryPath(entries_[entry_idx]));
    columns_.Set(col, RawValue{raw->first, raw->second, raw->multi_count}, valid);
    return Status::OK();
  }

  Status DecodeArrayItem(const PdhRecord& rec, std::size_t entry_idx, const BlItem& item) {
    if (!DecodeArrayInto(item, array_)) {
      Warn(
          fmt::format("{}: instance-array sub-record {} at offset {} ({} bytes) is damaged; "
                      "values missing",
                      Place(rec), entry_idx + 1, item.offset, item.bytes.size()));
      return Status::OK();
    }
    const RawArray& array = array_;
    const CounterListEntry& e = entries_[entry_idx];
    EntryState& state = entry_state_[entry_idx];
    identity_.clear();
    for (const RawArrayItem& it : array.items) AppendIdentity(identity_, it.raw_name);
    if (!SameBytes(identity_, state.array_identity)) {
      PERFLEAK_RETURN_NOT_OK(MapArrayColumns(entry_idx, array));
    }
    const bool valid = StatusOk(array.status);
    for (std::size_t k = 0; k < array.items.size(); ++k) {
      const std::int64_t col = state.array_columns[k];
      if (col < 0) continue;
      const RawArrayItem& it = array.items[k];
      if (!valid) NoteBadStatus(array.status, EntryPath(e));
      columns_.Set(col, RawValue{it.first, it.second, array.multi_count}, valid);
    }
    return Status::OK();
  }

  // Maps each item of `array` to its column (creating columns) when the instance list differs
  // from the previous sample's; an unchanged list (compared as raw bytes) reuses the mapping.
  Status MapArrayColumns(std::size_t entry_idx, const RawArray& array) {
    const CounterListEntry& e = entries_[entry_idx];
    EntryState& state = entry_state_[entry_idx];
    state.array_identity.clear();
    state.array_columns.clear();
    DuplicateNumbering numbering;
    for (const RawArrayItem& it : array.items) {
      const std::string name = it.Name();
      const std::uint32_t dup = numbering.Next(name);
      std::string key = dup == 0 ? name : fmt::format("{}#{}", name, dup);
      auto found = state.columns.find(key);
      if (found == state.columns.end()) {
        CounterPath path = EntryPath(e);
        path.has_instance = true;
        path.instance = name;
        path.instance_index.reset();
        if (dup > 0) path.instance_index = dup;
        PERFLEAK_ASSIGN_OR_RETURN(std::int64_t col,
                                  NewColumn(entry_idx, std::move(path), e.type, e.frequency,
                                            fmt::format("a{}\x1f{}", entry_idx, key)));
        found = state.columns.emplace(std::move(key), col).first;
      }
      state.array_columns.push_back(found->second);
    }
    state.array_identity = identity_;
    return Status::OK();
  }

  // memcmp: operator== on std::byte vectors compares byte by byte.
  static bool SameBytes(const std::vector<std::byte>& a, const std::vector<std::byte>& b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
  }

  // Appends `bytes` with its length, so that the concatenation identifies a sequence of names.
  static void AppendIdentity(std::vector<std::byte>& out, ByteView bytes) {
    const auto n = static_cast<std::uint32_t>(bytes.size());
    const auto* len = reinterpret_cast<const std::byte*>(&n);
    out.insert(out.end(), len, len + sizeof(n));
    out.insert(out.end(), bytes.span().begin(), bytes.span().end());
  }

  std::string CounterName(std::uint32_t index) const {
    if (auto it = names_.find(index); it != names_.end()) return it->second;
    if (const char* builtin = BuiltinCounterName(index)) return builtin;
    return std::to_string(index);
  }

  Status DecodePerfDataItem(const PdhRecord& rec, std::size_t entry_idx, const BlItem& item) {
    const Status decoded =
        DecodePerfDataBlockInto(*item.bytes.Sub(8, item.bytes.size() - 8), block_);
    if (!decoded.ok()) {
      Warn(
          fmt::format("{}: sub-record {} at offset {}: {}; this object is missing in the "
                      "sample",
                      Place(rec), entry_idx + 1, item.offset, decoded.message()));
      return Status::OK();
    }
    if (names_.empty() && !warned_no_names_) {
      warned_no_names_ = true;
      ++once_warnings_;
      Warn(
          fmt::format("{}: whole-object data but no counter name table; names come from a "
                      "built-in English table or are numeric indices",
                      name_));
    }
    const PerfDataBlock& block = block_;
    const CounterListEntry& e = entries_[entry_idx];
    EntryState& state = entry_state_[entry_idx];
    identity_.clear();
    const std::uint32_t num_objects = static_cast<std::uint32_t>(block.objects.size());
    AppendIdentity(identity_, ByteView(std::as_bytes(std::span(&num_objects, 1))));
    for (const PerfObject& obj : block.objects) {
      const std::uint32_t head[3] = {obj.title_index, obj.has_instances ? 1u : 0u,
                                     static_cast<std::uint32_t>(obj.instances.size())};
      AppendIdentity(identity_, ByteView(std::as_bytes(std::span(head))));
      for (const PerfInstance& inst : obj.instances) {
        AppendIdentity(identity_, inst.raw_name);
        AppendIdentity(identity_, ParentRawName(block, inst));
      }
    }
    const bool finds_only = columns_.finds_only();
    const bool same_counters = finds_only && NoteVisibleCounters(block, state.visible_counters);
    if (!SameBytes(identity_, state.object_identity)) {
      MapInstances(entry_idx, block);
    } else if (same_counters) {
      // Finding only: the previous sample's instances and visible counters have every column
      // they can have.
      return Status::OK();
    }
    std::size_t k = 0;
    for (std::size_t o = 0; o < block.objects.size(); ++o) {
      const PerfObject& obj = block.objects[o];
      PlanCounters(block, obj, plans_);
      for (const PerfInstance& inst : obj.instances) {
        InstanceRef& ref = state.instances[k++];
        std::vector<std::int64_t>& slots = *ref.slots;
        if (slots.size() < obj.counters.size()) slots.resize(obj.counters.size(), kUnset);
        for (std::size_t c = 0; c < obj.counters.size(); ++c) {
          const PerfCounterDef& def = obj.counters[c];
          const CounterPlan& plan = plans_[c];
          if (plan.hidden) continue;
          std::int64_t& col = slots[c];
          if (col == kUnset) {
            CounterPath path;
            path.machine = e.machine;
            path.object = state.object_names[o];
            path.counter = CounterName(def.title_index);
            if (obj.has_instances) {
              path.has_instance = true;
              path.instance = ref.name;
              path.parent = ref.parent;
              if (ref.dup > 0) path.instance_index = ref.dup;
            }
            PERFLEAK_ASSIGN_OR_RETURN(
                col, NewColumn(entry_idx, std::move(path), def.type, 0,
                               fmt::format("o{}\x1f{}\x1f{}", entry_idx, c, ref.key)));
          }
          if (col < 0 || finds_only) continue;
          std::int64_t frequency = 0;
          const auto raw = RawFromPlan(plan, inst, &frequency);
          if (raw) columns_.SetWithTimeBase(col, *raw, def.type, frequency);
        }
      }
    }
    return Status::OK();
  }

  // Records which counters of each object of `block` have values (are not hidden); true when
  // they are those of the previous sample.
  bool NoteVisibleCounters(const PerfDataBlock& block, std::vector<std::uint32_t>& previous) {
    visible_.clear();
    for (const PerfObject& obj : block.objects) {
      PlanCounters(block, obj, plans_);
      visible_.push_back(static_cast<std::uint32_t>(plans_.size()));
      for (const CounterPlan& plan : plans_) visible_.push_back(plan.hidden ? 0 : 1);
    }
    const bool same = visible_ == previous;
    if (!same) previous = visible_;
    return same;
  }

  // Resolves every instance of `block` to its column slots and path parts when the instance
  // lists differ from the previous sample's; unchanged lists (same raw bytes, so the same
  // names, parents and #n numbers) reuse the previous resolution.
  void MapInstances(std::size_t entry_idx, const PerfDataBlock& block) {
    const CounterListEntry& e = entries_[entry_idx];
    EntryState& state = entry_state_[entry_idx];
    state.object_identity.clear();
    state.instances.clear();
    state.object_names.clear();
    for (const PerfObject& obj : block.objects) {
      state.object_names.push_back(block.objects.size() == 1 ? e.object
                                                             : CounterName(obj.title_index));
      DuplicateNumbering numbering;  // a parent/name pair is one name
      for (const PerfInstance& inst : obj.instances) {
        InstanceRef ref;
        ref.name = inst.Name();
        ref.parent = ParentRawName(block, inst).Utf16At(0);
        std::string base_key = ref.parent.empty() ? ref.name : ref.parent + "/" + ref.name;
        ref.dup = obj.has_instances ? numbering.Next(base_key) : 0;
        std::string key = fmt::format("{}\x1f{}\x1f{}", obj.title_index, base_key, ref.dup);
        // Node-based map: the address of a mapped value survives later insertions.
        ref.slots = &state.instance_columns[key];
        ref.key = std::move(key);
        state.instances.push_back(std::move(ref));
      }
    }
    state.object_identity = identity_;
  }

  // The raw name of the parent instance, or an empty view when the parent object is not in
  // this block.
  static ByteView ParentRawName(const PerfDataBlock& block, const PerfInstance& inst) {
    if (inst.parent_object_title == 0) return {};
    for (const PerfObject& o : block.objects) {
      if (o.title_index == inst.parent_object_title && o.has_instances &&
          inst.parent_instance < o.instances.size()) {
        return o.instances[inst.parent_instance].raw_name;
      }
    }
    return {};
  }

  struct InstanceRef {
    std::vector<std::int64_t>* slots = nullptr;
    std::string key;  ///< of instance_columns
    std::string name;
    std::string parent;
    std::uint32_t dup = 0;
  };

  struct EntryState {
    std::int64_t single_column = -1;
    std::unordered_map<std::string, std::int64_t> columns;
    std::unordered_map<std::string, std::vector<std::int64_t>> instance_columns;
    // The previous sample's instance lists as raw bytes, and what they resolved to. Kept
    // apart per sub-record kind: a damaged log may switch kinds for one entry.
    std::vector<std::byte> array_identity;
    std::vector<std::byte> object_identity;
    std::vector<std::int64_t> array_columns;
    std::vector<InstanceRef> instances;
    std::vector<std::string> object_names;
    std::vector<std::uint32_t> visible_counters;  ///< NoteVisibleCounters, when finding only
  };
  static constexpr std::int64_t kUnset = -2;

  std::string_view name_;
  CounterLog* log_;
  ColumnBuilder columns_;
  std::size_t max_samples_ = 0;  // ReadOptions::max_samples
  const EtlContent* etl_ = nullptr;
  std::vector<CounterListEntry> entries_;
  std::vector<EntryState> entry_state_;
  std::unordered_map<std::uint32_t, std::string> names_;
  std::size_t sample_count_ = 0;
  std::size_t suppressed_warnings_ = 0;
  std::size_t unsupported_types_ = 0;
  std::size_t bad_status_ = 0;
  std::uint32_t first_bad_status_ = 0;
  std::string first_bad_path_;
  bool warned_extra_items_ = false;
  bool zone_ok_ = false;
  bool warned_no_names_ = false;
  bool zone_decided_ = false;
  std::vector<const PdhRecord*> data_records_;
  std::vector<const PdhRecord*> sample_records_;  ///< of a FindOnly decoder
  bool muted_ = false;                            ///< a decoder of rows
  std::size_t fixed_columns_ = 0;
  // Range decoding (AppendRange): every Warn call, those of once-only warnings, and the
  // others' count after the previous range's record, which must not grow.
  std::size_t warn_calls_ = 0;
  std::size_t once_warnings_ = 0;
  std::size_t warnings_after_priming_ = 0;
  bool primed_ = false;
  // Columns created after Prepare by internal key (-1: the key matched no pattern), and the
  // keys of those columns in creation order (column fixed_columns_ + i has column_keys_[i]).
  bool record_keys_ = false;
  std::unordered_map<std::string, std::int64_t> key_columns_;
  std::vector<const std::string*> column_keys_;
  // Scratch reused from sample to sample, so that steady-state decoding does not allocate.
  std::vector<BlItem> items_;
  std::optional<RecordReader> reader_;  ///< items_ point into what it read last
  std::vector<std::byte> header_bytes_;
  RawArray array_;
  PerfDataBlock block_;
  std::vector<CounterPlan> plans_;
  std::vector<std::uint32_t> visible_;
  std::vector<std::byte> identity_;
};

// Decodes `main`'s data records (Prepare done) as `ranges` contiguous ranges on up to `threads`
// threads and joins them into `main` in file order. False when the join could differ from the
// sequential decode (then `main` is unusable); the first range's error is the sequential one.
Result<bool> DecodeInRanges(BlgDecoder& main, std::size_t ranges, std::size_t threads) {
  const std::span<const PdhRecord* const> records = main.data_records();
  std::vector<std::size_t> bounds(ranges + 1);
  for (std::size_t k = 0; k <= ranges; ++k) bounds[k] = records.size() * k / ranges;
  main.RecordColumnKeys();
  // Built before any decoding: each starts from `main` as Prepare left it.
  std::vector<CounterLog> locals(ranges);
  std::vector<std::optional<BlgDecoder>> helpers(ranges);
  for (std::size_t k = 1; k < ranges; ++k) helpers[k].emplace(main, locals[k]);
  std::vector<Status> status(ranges);
  PERFLEAK_RETURN_NOT_OK(internal::ParallelFor(ranges, threads, [&](std::size_t k) {
    const auto range = records.subspan(bounds[k], bounds[k + 1] - bounds[k]);
    status[k] = k == 0 ? main.DecodeRecords(range)
                       : helpers[k]->DecodeRangeAfter(*records[bounds[k] - 1], range);
  }));
  PERFLEAK_RETURN_NOT_OK(status[0]);
  std::vector<BlgDecoder*> later;
  for (std::size_t k = 1; k < ranges; ++k) {
    if (!status[k].ok()) return false;
    later.push_back(&*helpers[k]);
  }
  return main.JoinRanges(later, threads);
}

// Decodes the data records of `decoder` (Prepare done): as ranges on `threads` threads when
// there are at least two of `min_records_per_range`, else in one pass. False when the ranges did
// not join exactly: `decoder` is then unusable and the caller decodes again on one thread.
Result<bool> DecodeAll(BlgDecoder& decoder, std::size_t threads, std::size_t min_records_per_range,
                       RangeDecodeInfo* info) {
  const std::size_t ranges = std::min(
      threads, decoder.data_records().size() / std::max<std::size_t>(min_records_per_range, 1));
  info->ranges = std::max<std::size_t>(ranges, 1);
  if (ranges <= 1) {
    PERFLEAK_RETURN_NOT_OK(decoder.DecodeRecords(decoder.data_records()));
    return true;
  }
  PERFLEAK_ASSIGN_OR_RETURN(const bool joined, DecodeInRanges(decoder, ranges, threads));
  if (!joined) {
    info->ranges = 1;
    info->fell_back = true;
  }
  return joined;
}

// A .blg written as it is decoded: a first pass finds its columns, samples and warnings
// without keeping a value (every error shows there, before a row is written); then each slot's
// decoder decodes the rows it is asked for, priming its rates with the sample before them.
class BlgRows final : public internal::RowSource {
 public:
  BlgRows(std::string_view name, const ReadOptions& options, EtlContent etl)
      : name_(name), options_(options), etl_(std::move(etl)) {}
  BlgRows(const BlgRows&) = delete;
  BlgRows& operator=(const BlgRows&) = delete;

  // The finding pass, in ranges on `threads` threads as ReadBlgInRanges decodes.
  Status Find(const internal::CounterPatternSet& patterns, EtlInput input, std::size_t threads,
              std::size_t min_records_per_range, RangeDecodeInfo* info) {
    bool found = false;
    if (threads > 1) {
      PERFLEAK_RETURN_NOT_OK(StartFinding(patterns, input));
      PERFLEAK_ASSIGN_OR_RETURN(found, DecodeAll(*found_, threads, min_records_per_range, info));
    }
    if (!found) {
      PERFLEAK_RETURN_NOT_OK(StartFinding(patterns, input));
      PERFLEAK_RETURN_NOT_OK(found_->DecodeRecords(found_->data_records()));
    }
    found_->WriteHeader();
    return Status::OK();
  }

  const CounterLog& header() const override { return header_; }

  Status BeginRows(std::size_t slots) override {
    decoders_.clear();
    decoders_.resize(slots);
    return Status::OK();
  }

  Status FillRows(std::size_t slot, std::size_t begin, std::size_t end,
                  std::span<double> values) override {
    std::optional<BlgDecoder>& decoder = decoders_[slot];
    if (!decoder) decoder.emplace(*found_, BlgDecoder::RowsTag{});
    return decoder->DecodeRows(found_->sample_records(), begin, end, values);
  }

 private:
  // A finding decoder, Prepare done, writing into an empty header.
  Status StartFinding(const internal::CounterPatternSet& patterns, EtlInput input) {
    header_ = CounterLog();
    header_.source = name_;
    header_.format = LogFormat::kBlg;
    found_.emplace(name_, options_, header_, patterns);
    found_->FindOnly();
    return found_->Prepare(etl_, input);
  }

  std::string name_;
  ReadOptions options_;
  EtlContent etl_;
  CounterLog header_;
  std::optional<BlgDecoder> found_;
  std::vector<std::optional<BlgDecoder>> decoders_;
};

// Where every decode starts: the options checked, the patterns parsed, the buffers walked.
struct Scanned {
  internal::CounterPatternSet patterns;
  EtlContent etl;
  std::size_t threads = 1;
};

Result<Scanned> Scan(std::string_view name, EtlInput input, const ReadOptions& options) {
  PERFLEAK_RETURN_NOT_OK(options.Validate());
  Scanned scanned;
  PERFLEAK_ASSIGN_OR_RETURN(scanned.patterns,
                            internal::CounterPatternSet::Parse(options.counter_patterns));
  scanned.threads = internal::WorkerCount(options.num_threads);
  PERFLEAK_ASSIGN_OR_RETURN(scanned.etl, ScanEtl(name, input, scanned.threads));
  return scanned;
}

}  // namespace

DetectedFormat Sniff(std::span<const std::byte> data) {
  const ByteView view(data);
  if (!LooksLikeEtl(view)) return DetectedFormat::kUnknown;
  return ContainsPdhGuid(view) ? DetectedFormat::kBlg : DetectedFormat::kEtlNotPdh;
}

Result<CounterLog> ReadBlg(std::string_view name, EtlInput input, const ReadOptions& options) {
  return ReadBlgInRanges(name, input, options, kMinRecordsPerRange);
}

Result<CounterLog> ReadBlgInRanges(std::string_view name, EtlInput input,
                                   const ReadOptions& options, std::size_t min_records_per_range,
                                   RangeDecodeInfo* info) {
  RangeDecodeInfo unused;
  if (info == nullptr) info = &unused;
  *info = RangeDecodeInfo();
  PERFLEAK_ASSIGN_OR_RETURN(Scanned scanned, Scan(name, input, options));
  const EtlContent& etl = scanned.etl;
  const std::size_t threads = scanned.threads;
  ReadOptions resolved = options;
  resolved.max_cells = internal::EffectiveMaxCells(options, input.data.size());
  auto new_log = [name] {
    CounterLog log;
    log.source = std::string(name);
    log.format = LogFormat::kBlg;
    return log;
  };
  if (threads > 1) {
    CounterLog log = new_log();
    BlgDecoder decoder(name, resolved, log, scanned.patterns);
    PERFLEAK_RETURN_NOT_OK(decoder.Prepare(etl, input));
    PERFLEAK_ASSIGN_OR_RETURN(const bool decoded,
                              DecodeAll(decoder, threads, min_records_per_range, info));
    if (decoded) {
      decoder.Finish();
      return log;
    }
  }
  // One thread, or a log whose ranges did not join exactly (a damaged or unusual one).
  CounterLog log = new_log();
  BlgDecoder decoder(name, resolved, log, std::move(scanned.patterns));
  PERFLEAK_RETURN_NOT_OK(decoder.Run(etl, input));
  return log;
}

Result<std::unique_ptr<internal::RowSource>> OpenBlgRows(std::string_view name, EtlInput input,
                                                         const ReadOptions& options,
                                                         std::size_t min_records_per_range,
                                                         RangeDecodeInfo* info) {
  RangeDecodeInfo unused;
  if (info == nullptr) info = &unused;
  *info = RangeDecodeInfo();
  PERFLEAK_ASSIGN_OR_RETURN(Scanned scanned, Scan(name, input, options));
  ReadOptions resolved = options;
  // No column is held whole, so the memory does not bound the cells; a limit given does.
  if (resolved.max_cells == 0) resolved.max_cells = std::numeric_limits<std::size_t>::max();
  auto rows = std::make_unique<BlgRows>(name, resolved, std::move(scanned.etl));
  PERFLEAK_RETURN_NOT_OK(
      rows->Find(scanned.patterns, input, scanned.threads, min_records_per_range, info));
  return std::unique_ptr<internal::RowSource>(std::move(rows));
}

}  // namespace perfleak::blg
