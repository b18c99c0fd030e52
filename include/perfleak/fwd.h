// Forward declarations of the public types.
#pragma once

namespace perfleak {
class Status;
template <typename T>
class Result;
struct CounterPath;
class CounterPattern;
struct CounterLog;
struct ReadOptions;
struct WriteOptions;
struct LogSummary;
struct AnalysisOptions;
struct Evidence;
struct Finding;
struct LogAnalysis;
struct FocusOptions;
struct ResolvedFocus;
struct TimeText;
struct MemoryPressureOptions;
struct PressureEpisode;
struct Grower;
struct Attribution;
struct ExhaustionForecast;
struct SystemMemory;
struct SystemMemoryAnalysis;
struct LogReport;
struct Report;
struct ReportOptions;
class Reporter;
}  // namespace perfleak
