#include "perfleak/counter_path.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "common/ascii_case_internal.h"
#include "common/object_names_internal.h"

namespace perfleak {

namespace {

// Objects whose instances carry a `Parent/` prefix. Elsewhere a `/` belongs to the instance
// name (network adapters such as `Intel[R] PRO/1000 MT`).
bool ObjectHasParents(std::string_view object) {
  static constexpr std::array<std::string_view, 4> kParentObjects = {
      "Thread", "Job Object Details", "Processor Information", "Thread Details"};
  return std::any_of(kParentObjects.begin(), kParentObjects.end(),
                     [&](std::string_view o) { return EqualsIgnoreAsciiCase(o, object); });
}

// Splits a trailing `#<digits>` off an instance name. Leading zeros are not an index PDH
// would write, so `x#01` stays a name and the round trip stays exact.
void SplitIndex(std::string_view text, std::string* name, std::optional<std::uint32_t>* index) {
  const auto hash = text.rfind('#');
  if (hash != std::string_view::npos && hash + 1 < text.size()) {
    std::string_view digits = text.substr(hash + 1);
    const bool all_digits =
        std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (all_digits && digits.size() <= 9 && (digits.size() == 1 || digits[0] != '0')) {
      std::uint32_t value = 0;
      for (char c : digits) value = value * 10 + static_cast<std::uint32_t>(c - '0');
      *name = std::string(text.substr(0, hash));
      *index = value;
      return;
    }
  }
  *name = std::string(text);
  index->reset();
}

}  // namespace

Result<CounterPath> CounterPath::Parse(std::string_view text) {
  CounterPath path;
  std::string_view rest = text;
  if (rest.empty()) return Status::ParseError("empty counter path");
  if (rest.substr(0, 2) == "\\\\") {
    rest.remove_prefix(2);
    const auto slash = rest.find('\\');
    if (slash == std::string_view::npos) {
      return Status::ParseError("counter path '" + std::string(text) +
                                "' has a machine but no object");
    }
    if (slash == 0) {
      return Status::ParseError("counter path '" + std::string(text) +
                                "' has an empty machine name");
    }
    path.machine = std::string(rest.substr(0, slash));
    rest.remove_prefix(slash);
  }
  if (rest.empty() || rest[0] != '\\') {
    return Status::ParseError("counter path '" + std::string(text) + "' does not start with '\\'");
  }
  rest.remove_prefix(1);
  const auto paren = rest.find('(');
  const auto slash = rest.find('\\');
  if (paren != std::string_view::npos && (slash == std::string_view::npos || paren < slash)) {
    const auto close = rest.rfind(")\\");
    if (close == std::string_view::npos || close < paren) {
      return Status::ParseError("counter path '" + std::string(text) +
                                "' has an instance '(' without a closing ')\\'");
    }
    path.object = std::string(rest.substr(0, paren));
    std::string_view inst = rest.substr(paren + 1, close - paren - 1);
    path.has_instance = true;
    if (ObjectHasParents(path.object)) {
      const auto parent_sep = inst.find('/');
      // An empty parent (`Thread(/x)`) is no parent: the slash stays in the instance name, so
      // printing the path gives it back (the fuzzer found `(/` did not round-trip).
      if (parent_sep != std::string_view::npos && parent_sep > 0) {
        path.parent = std::string(inst.substr(0, parent_sep));
        inst.remove_prefix(parent_sep + 1);
      }
    }
    SplitIndex(inst, &path.instance, &path.instance_index);
    path.counter = std::string(rest.substr(close + 2));
  } else {
    if (slash == std::string_view::npos) {
      return Status::ParseError("counter path '" + std::string(text) + "' has no counter name");
    }
    path.object = std::string(rest.substr(0, slash));
    path.counter = std::string(rest.substr(slash + 1));
  }
  if (path.object.empty()) {
    return Status::ParseError("counter path '" + std::string(text) + "' has an empty object name");
  }
  if (path.counter.empty()) {
    return Status::ParseError("counter path '" + std::string(text) + "' has an empty counter name");
  }
  return path;
}

std::string CounterPath::InstanceWithIndex() const {
  if (!has_instance) return {};
  std::string out = instance;
  if (instance_index) out += "#" + std::to_string(*instance_index);
  return out;
}

std::string CounterPath::ToString() const {
  std::string out;
  out.reserve(machine.size() + object.size() + instance.size() + counter.size() + 16);
  if (!machine.empty()) out += "\\\\" + machine;
  out += '\\';
  out += object;
  if (has_instance) {
    out += '(';
    if (!parent.empty()) out += parent + "/";
    out += InstanceWithIndex();
    out += ')';
  }
  out += '\\';
  out += counter;
  return out;
}

bool GlobMatch(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0;
  std::size_t star = std::string_view::npos, star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size() &&
        (pattern[p] == '?' || AsciiLower(pattern[p]) == AsciiLower(text[t]))) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

Result<CounterPattern> CounterPattern::Parse(std::string_view text) {
  CounterPattern pattern;
  pattern.text_ = std::string(text);
  if (text.empty()) return Status::InvalidArgument("empty counter pattern");
  if (text[0] != '\\') {
    pattern.whole_path_ = true;
    return pattern;
  }
  auto parsed = CounterPath::Parse(text);
  if (!parsed.ok()) {
    return Status::InvalidArgument("bad counter pattern '" + std::string(text) +
                                   "': " + parsed.status().message() +
                                   "; hint: write it as \\Object(Instance)\\Counter, e.g. "
                                   "\\Process(*)\\Private Bytes");
  }
  pattern.parts_ = std::move(parsed).value();
  return pattern;
}

bool CounterPattern::Matches(const CounterPath& path) const {
  if (whole_path_) return GlobMatch(text_, path.ToString());
  if (!parts_.machine.empty() && !GlobMatch(parts_.machine, path.machine)) return false;
  // `\Process(*)\*` finds `\Процесс(...)` too: users type the English object names.
  if (!GlobMatch(parts_.object, path.object)) {
    const std::string_view english = internal::EnglishObjectName(path.object);
    if (english.empty() || !GlobMatch(parts_.object, english)) return false;
  }
  if (!GlobMatch(parts_.counter, path.counter)) return false;
  if (parts_.has_instance) {
    const std::string want = parts_.InstanceWithIndex();
    if (want != "*") {
      if (!path.has_instance) return false;
      if (!GlobMatch(want, path.InstanceWithIndex())) return false;
    }
    if (!parts_.parent.empty() && !GlobMatch(parts_.parent, path.parent)) return false;
  }
  return true;
}

}  // namespace perfleak
