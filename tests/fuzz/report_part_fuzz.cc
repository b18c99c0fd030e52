// Fuzzes the report-part reader (`perfleak merge`'s input, from shared storage). Beyond "no
// crash, no hang": a failure names the part and is a parse error or a refused format; a part
// that reads back is written and read again to the same part (the JSON lines are a fixpoint
// after one round), and merging it alone keeps its logs.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>

#include "perfleak/report_part.h"

namespace {

constexpr std::string_view kName = "fuzz_part.jsonl";

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "report part fuzz invariant broken: %s\n", what);
  std::abort();
}

std::string Written(const perfleak::ReportPart& part) {
  std::ostringstream out;
  if (!perfleak::WriteReportPart(part, out).ok()) Fail("writing a part that was read failed");
  return std::move(out).str();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string name(kName);
  auto part = perfleak::ParseReportPart(text, name);
  if (!part.ok()) {
    const perfleak::StatusCode code = part.status().code();
    if (code != perfleak::StatusCode::kParseError &&
        code != perfleak::StatusCode::kUnsupportedFormat) {
      Fail("a failure that is neither a parse error nor a refused format");
    }
    if (part.status().message().rfind(name, 0) != 0) Fail("error does not name the part");
    return 0;
  }
  const std::string once = Written(*part);
  auto again = perfleak::ParseReportPart(once, name);
  if (!again.ok()) Fail("a part written from a part that was read does not read back");
  if (Written(*again) != once) Fail("writing and reading again changed the part");
  const std::size_t logs = part->report.logs.size();
  const perfleak::Shard shard = part->shard;
  std::vector<perfleak::ReportPart> alone;
  alone.push_back(std::move(part).value());
  auto merged = perfleak::MergeReportParts(std::move(alone), {name});
  if (merged.ok() && merged->report.logs.size() != logs) Fail("a merge of one part lost logs");
  if (!merged.ok() && shard.count <= 1 && shard.index == 1) Fail("the only shard did not merge");
  return 0;
}
