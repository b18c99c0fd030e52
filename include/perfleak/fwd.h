// Forward declarations of every public type, by the header that defines it (the test
// PublicApi.FwdDeclaresEveryPublicType keeps this list complete).
#pragma once

#include <cstdint>

namespace perfleak {

// status.h
enum class StatusCode : std::uint8_t;
class Status;
template <typename T>
class Result;

// counter_path.h
struct CounterPath;
class CounterPattern;

// column.h
class ColumnArena;
template <class T>
class ColumnAllocator;

// counter_log.h
enum class LogFormat : std::uint8_t;
struct LogTimeZone;
struct CounterLog;

// read_options.h, reader.h, writer.h
enum class InvalidRowPolicy : std::uint8_t;
struct ReadOptions;
enum class DetectedFormat : std::uint8_t;
struct WriteOptions;
class LogToWrite;

// log_summary.h
struct LogSummary;

// log_input.h
struct ArchiveOptions;
struct ArchiveMemberRef;
struct LogInput;

// tasklist.h
enum class TasklistFormat;
struct TasklistProcess;
struct TasklistExport;
struct TasklistLimits;

// analysis.h
enum class Verdict : std::uint8_t;
enum class Sensitivity : std::uint8_t;
struct AnalysisOptions;
struct Lifetime;
struct TrendSegment;
struct SignalPoint;
struct Explanation;
struct Evidence;
struct PidServices;
struct HostedServices;
struct Finding;
struct NoData;
struct LogAnalysis;
struct CollectObjects;

// focus.h
struct FocusOptions;
struct TimeText;
struct ResolvedFocus;

// memory_pressure.h
struct MemoryPressureOptions;
enum class PressureKind : std::uint8_t;
struct Grower;
struct Attribution;
struct PressureEpisode;
enum class ForecastStatus : std::uint8_t;
struct ExhaustionForecast;
struct MemoryPoint;
struct SystemMemory;
struct SystemMemoryAnalysis;

// report.h
struct LogTimings;
struct LogReport;
struct SkippedInput;
struct ReportOptions;
struct Report;
class Reporter;
enum class ReportFormat : std::uint8_t;

// report_part.h
struct ReportPart;

// batch.h
struct BatchProgress;
struct Shard;
struct BatchOptions;
struct BatchInputs;

}  // namespace perfleak
