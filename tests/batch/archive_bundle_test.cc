// Case bundles read in place: a zip of a support case gives the report of its extracted
// folder; nested, cab, 7z and tar.gz bundles; damaged, encrypted and hostile archives end in
// clear errors naming the member.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "archive_fixtures.h"
#include "fleet_folder.h"
#include "perfleak/batch.h"
#include "perfleak/report.h"
#include "perfleak/time_format.h"
#include "report/report_fixtures.h"

namespace perfleak {
namespace {

using testing::RenderReport;

namespace fs = std::filesystem;
using testing::ArchiveKind;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::SmallCsv;
using testing::WriteArchive;

void ReplaceAll(std::string* text, const std::string& from, const std::string& to) {
  for (std::size_t at = text->find(from); at != std::string::npos;
       at = text->find(from, at + to.size())) {
    text->replace(at, from.size(), to);
  }
}

const LogReport* Find(const Report& report, const std::string& needle) {
  for (const LogReport& log : report.logs) {
    if (log.path.find(needle) != std::string::npos) return &log;
  }
  return nullptr;
}

class CaseBundle : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::MakeTempDir("perfleak-bundle"); }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& bytes) const {
    const std::string path = dir_ + "/" + name;
    testing::WriteStringToFile(path, bytes);
    return path;
  }
  static Report Run(const std::vector<std::string>& paths, BatchOptions options = {}) {
    options.read.counter_patterns = AnalysisCounterPatterns();
    return RunBatch(paths, options);
  }
  std::string dir_;
};

// The TSS layout: perfmon logs several folders down, beside unrelated files.
std::vector<testing::ArchiveMember> TssMembers(const std::string& case_folder) {
  auto members = testing::FolderMembers(case_folder, "TSS/SDP/Perfmon/");
  members.push_back({"TSS/SDP/msinfo32.nfo", "<MsInfo>not a log</MsInfo>\n"});
  members.push_back({"TSS/_TSS_collect.log.txt", "TSS v2026.11 started\n"});
  return members;
}

TEST_F(CaseBundle, TssZipGivesTheFindingsOfTheExtractedFolder) {
  const testing::FleetFolder folder = testing::MakeFleetFolder(dir_ + "/extracted");
  const std::string zip =
      Write("case-4711.zip", WriteArchive(TssMembers(folder.root), ArchiveKind::kZip));
  std::string from_folder = RenderReport(Run({folder.root}), ReportFormat::kJson);
  std::string from_zip = RenderReport(Run({zip}), ReportFormat::kJson);
  ReplaceAll(&from_folder, folder.root + "/", "CASE/");
  ReplaceAll(&from_zip, zip + "!/TSS/SDP/Perfmon/", "CASE/");
  auto a = nlohmann::json::parse(from_folder), b = nlohmann::json::parse(from_zip);
  for (auto& log : b["logs"]) {
    EXPECT_EQ(log["archive"], zip);
    log.erase("archive");
  }
  EXPECT_EQ(a["logs"], b["logs"]);
  EXPECT_EQ(a["findings"], b["findings"]);
  EXPECT_EQ(a["fleet"], b["fleet"]);
  // The unrelated files of the bundle are listed as skipped, beside the folder's own.
  EXPECT_EQ(b["skipped"].size(), a["skipped"].size() + 2);
  ASSERT_FALSE(b["findings"].empty());
}

TEST_F(CaseBundle, JobsDoNotChangeTheReportOfOneArchive) {
  const testing::FleetFolder folder = testing::MakeFleetFolder(dir_ + "/extracted");
  const std::string zip =
      Write("case.zip", WriteArchive(TssMembers(folder.root), ArchiveKind::kZip));
  BatchOptions one, four;
  one.jobs = 1;
  four.jobs = 4;
  EXPECT_EQ(RenderReport(Run({zip}, one), ReportFormat::kJson),
            RenderReport(Run({zip}, four), ReportFormat::kJson));
}

TEST_F(CaseBundle, MemberPathsAreShownInEveryFormat) {
  const std::string zip = Write(
      "case-4711.zip",
      WriteArchive({{"TSS/Perfmon/DataCollector01.csv", SmallCsv(0, 40)}}, ArchiveKind::kZip));
  const Report report = Run({zip});
  const std::string member = zip + "!/TSS/Perfmon/DataCollector01.csv";
  ASSERT_EQ(report.logs.size(), 1u);
  EXPECT_EQ(report.logs[0].path, member);
  EXPECT_EQ(report.logs[0].archive, zip);
  EXPECT_TRUE(report.logs[0].status.ok()) << report.logs[0].status.message();
  EXPECT_THAT(RenderReport(report, ReportFormat::kText), HasSubstr(member));
  EXPECT_THAT(RenderReport(report, ReportFormat::kHtml), HasSubstr(member));
  const auto j = nlohmann::json::parse(RenderReport(report, ReportFormat::kJson));
  EXPECT_EQ(j["logs"][0]["path"], member);
  EXPECT_EQ(j["logs"][0]["archive"], zip);
}

TEST_F(CaseBundle, RollOverPartsInsideOneBundleAreStitchedAndGlobsMatchMemberPaths) {
  const std::string zip =
      Write("case.zip", WriteArchive({{"web01/DataCollector01.csv", SmallCsv(0, 40)},
                                      {"web01/DataCollector01_000002.csv", SmallCsv(10, 40)},
                                      {"db01/DataCollector01.csv", SmallCsv(0, 40, "DB01")}},
                                     ArchiveKind::kZip));
  const Report all = Run({zip});
  ASSERT_EQ(all.logs.size(), 2u);
  const LogReport* web = Find(all, "web01/DataCollector01.csv");
  ASSERT_NE(web, nullptr);
  EXPECT_EQ(web->parts.size(), 2u);
  BatchOptions only_web;
  only_web.include = {"web01/*"};
  const Report web_only = Run({zip}, only_web);
  ASSERT_EQ(web_only.logs.size(), 1u);
  EXPECT_THAT(web_only.logs[0].path, HasSubstr("web01/"));
  BatchOptions no_parts;
  no_parts.exclude = {"*_000002*"};
  EXPECT_EQ(Run({zip}, no_parts).logs.size(), 2u);
  EXPECT_EQ(Find(Run({zip}, no_parts), "web01")->parts.size(), 1u);
}

TEST_F(CaseBundle, ZipInsideZipIsOpenedUpToTheDepth) {
  const std::string inner = WriteArchive(
      {{"DataCollector01.csv", SmallCsv(0, 40)}, {"DataCollector01_000002.csv", SmallCsv(10, 40)}},
      ArchiveKind::kZip);
  const std::string outer =
      Write("outer.zip", WriteArchive({{"upload/inner.zip", inner}}, ArchiveKind::kZip));
  const Report report = Run({outer});
  ASSERT_EQ(report.logs.size(), 1u);
  EXPECT_EQ(report.logs[0].path, outer + "!/upload/inner.zip!/DataCollector01.csv");
  EXPECT_EQ(report.logs[0].archive, outer + "!/upload/inner.zip");
  EXPECT_EQ(report.logs[0].parts.size(), 2u);

  BatchOptions shallow;
  shallow.archive.max_depth = 1;
  const Report refused = Run({outer}, shallow);
  ASSERT_EQ(refused.logs.size(), 1u);
  EXPECT_FALSE(refused.logs[0].status.ok());
  EXPECT_THAT(refused.logs[0].status.message(),
              HasSubstr("outer.zip!/upload/inner.zip: limit exceeded: an archive nested deeper "
                        "than 1 levels is not opened; hint: --archive-depth 2"));
}

TEST_F(CaseBundle, SevenZipTarGzAndPlainGzAreReadByContent) {
  const std::vector<testing::ArchiveMember> members = {{"perf/web.csv", SmallCsv(0, 40)}};
  // Named against their content: the format is told by the bytes.
  for (const auto& [name, bytes] :
       {std::pair{"a.zip", WriteArchive(members, ArchiveKind::kSevenZip)},
        std::pair{"b.bin", WriteArchive(members, ArchiveKind::kTarGz)},
        std::pair{"c.tar", WriteArchive(members, ArchiveKind::kTar)}}) {
    const std::string path = Write(name, bytes);
    const Report report = Run({path});
    ASSERT_EQ(report.logs.size(), 1u) << name;
    EXPECT_EQ(report.logs[0].path, path + "!/perf/web.csv");
    EXPECT_TRUE(report.logs[0].status.ok()) << report.logs[0].status.message();
  }
  const std::string gz = Write("web.csv.gz", testing::Gzip(SmallCsv(0, 40)));
  const Report report = Run({gz});
  ASSERT_EQ(report.logs.size(), 1u);
  EXPECT_EQ(report.logs[0].path, gz + "!/web.csv");
  EXPECT_TRUE(report.logs[0].status.ok()) << report.logs[0].status.message();
}

TEST_F(CaseBundle, ArchivesFoundInAFolderAreOpened) {
  fs::create_directories(dir_ + "/case/web01");
  testing::WriteStringToFile(dir_ + "/case/web01/DataCollector01.csv", SmallCsv(0, 40));
  testing::WriteStringToFile(
      dir_ + "/case/db01.zip",
      WriteArchive({{"DataCollector01.csv", SmallCsv(0, 40, "DB01")}}, ArchiveKind::kZip));
  const Report report = Run({dir_ + "/case"});
  ASSERT_EQ(report.logs.size(), 2u);
  EXPECT_NE(Find(report, "db01.zip!/DataCollector01.csv"), nullptr);
}

TEST_F(CaseBundle, CabinetWrittenByGcab) {
  if (!testing::HaveGcab()) PERFLEAK_SKIP_UNLESS_CI("gcab is not installed");
  fs::create_directories(dir_ + "/src/Perfmon");
  testing::WriteStringToFile(dir_ + "/src/Perfmon/DataCollector01.csv", SmallCsv(0, 40));
  testing::WriteStringToFile(dir_ + "/src/readme.txt", "not a log\n");
  const std::string cab = dir_ + "/case.cab";
  ASSERT_TRUE(testing::WriteCab(dir_ + "/src", cab));
  const Report report = Run({cab});
  ASSERT_EQ(report.logs.size(), 1u);
  EXPECT_EQ(report.logs[0].path, cab + "!/Perfmon/DataCollector01.csv");
  EXPECT_TRUE(report.logs[0].status.ok()) << report.logs[0].status.message();
  ASSERT_EQ(report.skipped.size(), 1u);
  EXPECT_EQ(report.skipped[0].path, cab + "!/readme.txt");
}

TEST_F(CaseBundle, TruncatedZipYieldsEveryReadableMemberAndNamesTheCut) {
  std::vector<testing::ArchiveMember> members;
  for (const char* machine : {"APP01", "DB01", "WEB01"}) {
    members.push_back({std::string(machine) + "/perf.csv", SmallCsv(0, 400, machine)});
  }
  const std::string whole = WriteArchive(members, ArchiveKind::kZip);
  const std::string zip = Write("cut.zip", whole.substr(0, whole.size() * 3 / 5));
  const Report report = Run({zip});
  std::size_t ok = 0;
  std::string errors;
  for (const LogReport& log : report.logs) {
    if (log.status.ok()) {
      ++ok;
    } else {
      errors += log.status.message() + "\n";
    }
  }
  EXPECT_GE(ok, 1u) << errors;
  EXPECT_LT(ok, 3u);
  EXPECT_THAT(errors, HasSubstr("cut.zip"));
  EXPECT_THAT(errors, HasSubstr("byte"));
  EXPECT_THAT(errors, HasSubstr("hint:"));
}

TEST_F(CaseBundle, EncryptedMemberFailsWithAHint) {
  const std::string zip = Write(
      "secret.zip",
      WriteArchive({{"Perfmon/DataCollector01.csv", SmallCsv(0, 40)}}, ArchiveKind::kZip, "pw"));
  const Report report = Run({zip});
  ASSERT_EQ(report.logs.size(), 1u);
  EXPECT_EQ(report.logs[0].path, zip + "!/Perfmon/DataCollector01.csv");
  EXPECT_EQ(report.logs[0].archive, zip);
  EXPECT_THAT(report.logs[0].status.message(),
              HasSubstr("secret.zip!/Perfmon/DataCollector01.csv: the member is encrypted"));
  EXPECT_THAT(report.logs[0].status.message(), HasSubstr("hint: perfleak takes no passwords"));
}

TEST_F(CaseBundle, ZipBombStopsWithLimitExceededNamingTheMember) {
  const std::string bomb = testing::ZipBomb(std::uint64_t{10} << 30);  // 10 GiB of zeros
  EXPECT_LT(bomb.size(), 1024u);
  const std::string zip = Write("bomb.zip", bomb);
  const std::string member = zip + "!/TSS/Perfmon/DataCollector01.blg.gz!/DataCollector01.blg";
  const Report report = Run({zip});
  ASSERT_EQ(report.logs.size(), 1u);
  EXPECT_EQ(report.logs[0].path, member);
  EXPECT_EQ(report.logs[0].status.code(), StatusCode::kLimitExceeded);
  EXPECT_THAT(report.logs[0].status.message(),
              HasSubstr(member + ": limit exceeded: the member inflates more than 1000 times"));
  EXPECT_THAT(report.logs[0].status.message(), HasSubstr("--archive-max-ratio"));

  // With the ratio raised, the total limit stops it.
  BatchOptions trusting;
  trusting.archive.max_ratio = 1e12;
  trusting.archive.max_bytes = std::uint64_t{256} << 20;
  const Report total = Run({zip}, trusting);
  ASSERT_EQ(total.logs.size(), 1u);
  EXPECT_THAT(
      total.logs[0].status.message(),
      HasSubstr(member + ": limit exceeded: more than 256.0 MiB uncompressed read from " + zip));
  EXPECT_THAT(total.logs[0].status.message(), HasSubstr("--archive-max-bytes"));
}

TEST_F(CaseBundle, HostileMemberNamesAreShownSafely) {
  const std::string zip =
      Write("names.zip", WriteArchive({{"TSS/<script>alert(1)</script>.csv", SmallCsv(0, 40, "A")},
                                       {"../../escape.csv", SmallCsv(0, 40, "B")},
                                       {"TSS/clear\x1b[2J\x07.csv", SmallCsv(0, 40, "C")},
                                       {"TSS/cp1252-\xe9t\xe9.csv", SmallCsv(0, 40, "D")},
                                       {"TSS/evil\x1b]0;x\x07.txt", "not a log"}},
                                      ArchiveKind::kZip));
  const Report report = Run({zip});
  ASSERT_EQ(report.logs.size(), 4u);
  for (const LogReport& log : report.logs) {
    EXPECT_TRUE(log.status.ok()) << log.status.message();
  }
  EXPECT_NE(Find(report, "names.zip!/../../escape.csv"), nullptr) << "`..` stays visible text";
  EXPECT_NE(Find(report, "names.zip!/TSS/clear?[2J?.csv"), nullptr);
  EXPECT_NE(Find(report, "names.zip!/TSS/cp1252-\xEF\xBF\xBDt\xEF\xBF\xBD.csv"), nullptr);
  ASSERT_EQ(report.skipped.size(), 1u);
  EXPECT_EQ(report.skipped[0].path, zip + "!/TSS/evil?]0;x?.txt");
  EXPECT_FALSE(fs::exists(dir_ + "/../escape.csv")) << "nothing is extracted";

  const std::string html = RenderReport(report, ReportFormat::kHtml);
  EXPECT_THAT(html, Not(HasSubstr("<script>alert(1)")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;.csv"));
  const std::string text = RenderReport(report, ReportFormat::kText);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_EQ(text.find('\x07'), std::string::npos);
  const auto j = nlohmann::json::parse(RenderReport(report, ReportFormat::kJson));
  EXPECT_EQ(j["logs"].size(), 4u);
}

TEST_F(CaseBundle, OneMemberIsNamedWithTheBangSyntax) {
  const std::string zip =
      Write("case.zip", WriteArchive({{"web01/DataCollector01.csv", SmallCsv(0, 40)},
                                      {"db01/DataCollector01.csv", SmallCsv(0, 40, "DB01")}},
                                     ArchiveKind::kZip));
  BatchInputs one = DiscoverInputs({zip + "!/db01/DataCollector01.csv"}, {});
  ASSERT_EQ(one.logs.size(), 1u);
  EXPECT_EQ(one.logs[0].path, zip + "!/db01/DataCollector01.csv");
  BatchInputs folder = DiscoverInputs({zip + "!/web01"}, {});
  ASSERT_EQ(folder.logs.size(), 1u);
  BatchInputs none = DiscoverInputs({zip + "!/nothing.csv"}, {});
  EXPECT_TRUE(none.logs.empty());
  ASSERT_EQ(none.failed.size(), 1u);
  EXPECT_THAT(none.failed[0].status.message(), HasSubstr("no such log in the archive"));
}

TEST_F(CaseBundle, ArchiveWithoutLogsFailsNamingIt) {
  const std::string zip =
      Write("docs.zip", WriteArchive({{"readme.txt", "hello\n"}}, ArchiveKind::kZip));
  BatchInputs in = DiscoverInputs({zip}, {});
  EXPECT_TRUE(in.logs.empty());
  ASSERT_EQ(in.failed.size(), 1u);
  EXPECT_THAT(in.failed[0].status.message(),
              HasSubstr("docs.zip: no counter log found in this archive (1 file(s), none a "
                        "counter log)"));
}

}  // namespace
}  // namespace perfleak
