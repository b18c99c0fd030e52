// Status and Result<T>: how every expected failure leaves the library.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace perfleak {

/// What went wrong, coarse enough for a caller to decide (exit code, retry, skip). The values
/// are written into report parts (`analyze --shard`), so they are fixed: never renumber one.
enum class StatusCode : std::uint8_t {
  kOk = 0,
  kInvalidArgument = 1,    ///< bad option or pattern given by the caller
  kIoError = 2,            ///< file missing, unreadable, a directory
  kParseError = 3,         ///< malformed content at a known place
  kUnsupportedFormat = 4,  ///< recognised but not supported (compressed ETL, a newer part)
  kUnknownFormat = 5,      ///< not a counter log at all
  kLimitExceeded = 6,      ///< a protective cap (counters, field size) was hit
  // 7 and 8 were codes no library function returned (insufficient data, numeric error).
  /// A time the caller gave lies outside the data (`--at`, `--from`, `--to` outside a log):
  /// the caller's mistake for that log, told apart from any other kInvalidArgument.
  kOutOfRange = 9,
  /// A bug in perfleak, never the input's fault: a Result built from an OK Status.
  kInternal = 10,
};

/// A success or an error with a one-line, human-readable message. Messages from parsers name
/// the file and the place (line, record or byte offset) and end with a hint where one helps.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status OK() { return {}; }
  static Status InvalidArgument(std::string msg) {
    return {StatusCode::kInvalidArgument, std::move(msg)};
  }
  static Status IoError(std::string msg) { return {StatusCode::kIoError, std::move(msg)}; }
  static Status ParseError(std::string msg) { return {StatusCode::kParseError, std::move(msg)}; }
  static Status Unsupported(std::string msg) {
    return {StatusCode::kUnsupportedFormat, std::move(msg)};
  }
  static Status UnknownFormat(std::string msg) {
    return {StatusCode::kUnknownFormat, std::move(msg)};
  }
  static Status LimitExceeded(std::string msg) {
    return {StatusCode::kLimitExceeded, std::move(msg)};
  }
  static Status OutOfRange(std::string msg) { return {StatusCode::kOutOfRange, std::move(msg)}; }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  /// "parse error: <message>" style text for logs; the bare message for OK is "OK".
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

/// A value or the Status that explains why there is none (C++20 has no std::expected).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT: implicit by design
  /// A failed Result. An OK `status` is a caller's bug (there is no value to hold): it becomes
  /// kInternal rather than a failed Result whose status() would say OK, so the failure can
  /// neither be mistaken for success nor pass unnoticed in a release build.
  Result(Status status)  // NOLINT: implicit by design
      : data_(status.ok() ? Status::Internal("Result built from an OK Status, without a value")
                          : std::move(status)) {}

  bool ok() const { return std::holds_alternative<T>(data_); }
  /// OK when a value is held.
  Status status() const { return ok() ? Status::OK() : std::get<Status>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T& value() & { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace perfleak

#define PERFLEAK_CONCAT_INNER(a, b) a##b
#define PERFLEAK_CONCAT(a, b) PERFLEAK_CONCAT_INNER(a, b)

/// Returns the Status from the enclosing function when `expr` is not OK.
#define PERFLEAK_RETURN_NOT_OK(expr)                     \
  do {                                                   \
    ::perfleak::Status perfleak_status_ = (expr);        \
    if (!perfleak_status_.ok()) return perfleak_status_; \
  } while (false)

#define PERFLEAK_ASSIGN_OR_RETURN_IMPL(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                                   \
  if (!tmp.ok()) return tmp.status();                   \
  lhs = std::move(tmp).value()

/// `PERFLEAK_ASSIGN_OR_RETURN(auto x, F())` declares x from a Result or returns its Status.
#define PERFLEAK_ASSIGN_OR_RETURN(lhs, rexpr) \
  PERFLEAK_ASSIGN_OR_RETURN_IMPL(PERFLEAK_CONCAT(perfleak_result_, __LINE__), lhs, rexpr)
