// `tasklist /svc` exports: which services each PID hosts. perfmon does not log it, but support
// collections (TSS, SDP) often hold such an export next to the counter logs, so a leaking
// svchost can be named by its services.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "perfleak/counter_log.h"
#include "perfleak/status.h"

namespace perfleak {

/// The layouts `tasklist /svc` writes.
enum class TasklistFormat {
  kTable,  ///< the default fixed-width table, long service lists on continuation lines
  kCsv,    ///< `/fo csv` (with or without `/nh`): services comma-separated in one field
};

/// One process of an export.
struct TasklistProcess {
  /// As written (`svchost.exe`); the table cuts image names at its column width (25).
  std::string image;
  std::int64_t pid = 0;
  std::vector<std::string> services;  ///< in the export's order; empty for `N/A`
  std::size_t line = 0;               ///< 1-based line of the process's first row
};

/// A parsed export. Rows that could not be read are left out, each with a warning.
struct TasklistExport {
  std::string path;
  TasklistFormat format = TasklistFormat::kTable;
  /// "utf-8", "utf-16le", "cp1252" or "cp1251" (csv::TextEncodingName): what the bytes were.
  std::string encoding;
  std::vector<TasklistProcess> processes;  ///< in file order
  /// When the export was taken, in the machine's local time, from a date and time in the file
  /// name (TSS and SDP name their files `..._20261120_101500_...`, `..._261120-101500_...`);
  /// the content has none. Absent when the name has no such time.
  std::optional<Ticks> time_local;
  /// One per row skipped: `tasklist.txt:17: PID '12a' is not a number; row skipped`.
  std::vector<std::string> warnings;

  /// The process with that PID (the first one when the export lists it twice), or null.
  const TasklistProcess* Find(std::int64_t pid) const;
};

/// Limits that keep a hostile or mistaken file from costing much: a real export is tens of
/// kilobytes (a few hundred processes).
struct TasklistLimits {
  std::size_t max_bytes = 16u << 20;   ///< larger files are refused (kLimitExceeded)
  std::size_t max_line_bytes = 16384;  ///< longer lines are skipped with a warning
  std::size_t max_processes = 100000;  ///< rows beyond are dropped with one warning
  std::size_t max_warnings = 20;       ///< then one line says how many more were skipped
};

/// True when `head` (a file's first bytes, 4 KiB are plenty) is a `tasklist /svc` export by
/// its content: the table's `Image Name / PID / Services` header over its `===` rule, or the
/// CSV header, in English or a few localized spellings; a `/fo csv /nh` export by its rows
/// (three quoted fields, a numeric PID, the first PID 0). `tasklist /m` (modules) and plain
/// `tasklist` are not.
bool LooksLikeTasklistExport(std::span<const std::byte> head);

/// Parses an export held in memory; `path` names it in messages and TasklistExport::path.
/// Text is UTF-16LE (BOM, or detected without one), UTF-8 (BOM or not) or an ANSI code page.
/// Fails with kParseError when there is no tasklist /svc header or row at all (naming the
/// file and what was expected) and kLimitExceeded past TasklistLimits::max_bytes; malformed
/// rows are warnings, never errors.
Result<TasklistExport> ParseTasklistExport(std::string_view path, std::span<const std::byte> data,
                                           const TasklistLimits& limits = {});

/// Reads and parses the file at `path` (kIoError when it cannot be read).
Result<TasklistExport> ReadTasklistExport(const std::string& path,
                                          const TasklistLimits& limits = {});

/// The local time in a file name (`WEB01_20261120_101500_tasklist.txt`,
/// `tss_261120-101500_tasklist_svc.txt`, `2026-11-20_10-15-00`), or nullopt.
std::optional<Ticks> TimeInFileName(std::string_view file_name);

}  // namespace perfleak
