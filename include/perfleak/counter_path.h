// CounterPath: one parsed PDH counter path, `\\MACHINE\Object(Parent/Instance#Index)\Counter`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "perfleak/status.h"

namespace perfleak {

/// The parts of a PDH counter path. Every part but object and counter is optional, as PDH
/// allows. Names are UTF-8 and kept exactly as the log writes them (letter case, localized
/// names, `[`/`]` where PDH replaced parentheses); matching is case-insensitive instead.
struct CounterPath {
  std::string machine;  ///< without the leading `\\`; empty when the path has no machine
  std::string object;
  std::string parent;    ///< empty when there is no `Parent/` part
  std::string instance;  ///< without `#index`; empty with has_instance == false
  std::optional<std::uint32_t> instance_index;  ///< the `#n` PDH gives duplicate names
  std::string counter;
  bool has_instance = false;

  /// Parses a path. Instance names may hold `/`, `#`, spaces, dots, brackets and even `\`
  /// (`Paging File(\??\C:\pagefile.sys)`): the instance runs from the first `(` after the
  /// object to the last `)\`. A `/` splits off a parent only for objects that have parents
  /// (Thread, Job Object Details, ...), so `PRO/1000` stays one instance name.
  /// Returns kParseError for an empty string, a missing object or counter, or an unclosed `(`.
  static Result<CounterPath> Parse(std::string_view text);

  /// The path as PDH writes it; Parse(p.ToString()) == p and ToString(Parse(s)) == s.
  std::string ToString() const;

  /// `svchost#1` (instance and index) or `svchost`; empty without instance.
  std::string InstanceWithIndex() const;

  friend bool operator==(const CounterPath&, const CounterPath&) = default;
};

/// A counter selection such as `\Process(*)\Private Bytes`, `\Memory\*` or
/// `\\WEB01\Process(w3wp*)\*`. `*` and `?` are wildcards in every part; matching ignores ASCII
/// letter case. A pattern without a machine matches every machine; a pattern without an
/// instance part matches every instance. A pattern that does not start with `\` is matched
/// against the whole path text (`*Private Bytes`).
class CounterPattern {
 public:
  /// Returns kInvalidArgument for an empty or malformed pattern.
  static Result<CounterPattern> Parse(std::string_view text);

  bool Matches(const CounterPath& path) const;
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  bool whole_path_ = false;
  CounterPath parts_;
};

/// Glob match with `*` and `?`, ASCII case-insensitive; linear-time in practice (no
/// backtracking explosion: one star is remembered at a time).
bool GlobMatch(std::string_view pattern, std::string_view text);

}  // namespace perfleak
