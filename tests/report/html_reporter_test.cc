#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "perfleak/report.h"
#include "report/report_fixtures.h"
#include "test_util.h"

#ifdef PERFLEAK_HAVE_PNG
#include <png.h>
#endif

namespace perfleak {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string RenderHtml(const Report& report, ReportOptions options = {}) {
  options.generated_utc = "2026-11-24T16:00:00Z";
  std::ostringstream out;
  const Status status = MakeReporter(ReportFormat::kHtml, options)->Write(report, out);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return out.str();
}

std::size_t Count(std::string_view text, std::string_view needle) {
  std::size_t n = 0;
  for (std::size_t pos = text.find(needle); pos != std::string_view::npos;
       pos = text.find(needle, pos + needle.size())) {
    ++n;
  }
  return n;
}

// With nothing flagged, "No leaks or suspects found" is followed by why that says little; the
// log's row in Logs carries the sentence too.
TEST(HtmlReporter, NoLeaksInAShortCaptureSaysItRulesNothingOut) {
  Report report = testing::MakeSparseReport(40, 60);
  report.logs[0].analysis.findings.clear();
  report.logs[0].analysis.caveats = {"short_capture"};
  const std::string html = RenderHtml(report);
  const std::size_t none = html.find("No leaks or suspects found.");
  ASSERT_NE(none, std::string::npos);
  const std::size_t note = html.find("<p class=\"note caveat\">Short capture: the log spans only");
  EXPECT_GT(note, none);
  EXPECT_LT(note, none + 100);
  EXPECT_THAT(html, HasSubstr("<td colspan=\"8\" class=\"caveat\">Short capture:"));
}

TEST(HtmlReporter, MatchesGolden) {
  EXPECT_EQ(
      testing::CompareWithGolden("report_basic.html", RenderHtml(testing::MakeGoldenReport())), "");
}

TEST(HtmlReporter, NeedsNoNetwork) {
  const std::string html = RenderHtml(testing::MakeGoldenReport());
  for (const char* bad : {"http:", "https:", "<link", " src=", "@import", "url(", "//cdn"}) {
    EXPECT_THAT(html, Not(HasSubstr(bad))) << bad;
  }
}

TEST(HtmlReporter, EscapesProcessNames) {
  const std::string html = RenderHtml(testing::MakeGoldenReport());
  EXPECT_THAT(html, Not(HasSubstr("Evil<script>")));
  EXPECT_THAT(html, HasSubstr("Evil&lt;script&gt;&amp;&quot;x&quot;"));
  EXPECT_EQ(Count(html, "<script>"), 1u);
}

TEST(HtmlReporter, HasSummaryTableDetailsAndSparklines) {
  const std::string html = RenderHtml(testing::MakeGoldenReport());
  EXPECT_THAT(html, HasSubstr("<div class=\"n\">1</div><div class=\"l\">leak</div>"));
  EXPECT_THAT(html, HasSubstr("<div class=\"n\">2</div><div class=\"l\">suspects</div>"));
  EXPECT_THAT(html, HasSubstr("<div class=\"n\">1</div><div class=\"l\">failed log</div>"));
  EXPECT_THAT(html, HasSubstr("<table id=\"findings\">"));
  EXPECT_THAT(html, HasSubstr("<a href=\"#f-1\">OrderService#1</a>"));
  EXPECT_THAT(html, HasSubstr("id=\"f-1\""));
  EXPECT_EQ(Count(html, "<svg class=\"chart\""), 3u);
  EXPECT_EQ(Count(html, "<svg class=\"spark\""), 4u);
  EXPECT_THAT(html, HasSubstr("class=\"onset\""));
  EXPECT_THAT(html, HasSubstr("class=\"restart\""));
  EXPECT_THAT(html, HasSubstr("class=\"envelope\""));
  EXPECT_THAT(html, HasSubstr("class=\"trend\""));
  EXPECT_THAT(html, HasSubstr("<code>gflags /i OrderService.exe +ust</code>"));
  EXPECT_THAT(html, HasSubstr("record 12 at byte 40960"));
}

TEST(HtmlReporter, SparklineTilesNameTheirMachine) {
  Report report;
  for (const char* machine : {"WEB01", "WEB02"}) {
    Report one = testing::MakeSparseReport(97, 300);
    one.logs[0].analysis.findings[0].machine = machine;
    report.logs.push_back(std::move(one.logs[0]));
  }
  const std::string html = RenderHtml(report);
  const std::string sparks = html.substr(html.find("<div class=\"sparks\">"));
  EXPECT_THAT(sparks, HasSubstr("<span class=\"sh\">on WEB01</span>"));
  EXPECT_THAT(sparks, HasSubstr("<span class=\"sh\">on WEB02</span>"));
}

TEST(HtmlReporter, DetailWithoutLogSaysWhy) {
  Report report = testing::MakeGoldenReport();
  report.logs[0].log.reset();
  const std::string html = RenderHtml(report);
  EXPECT_EQ(Count(html, "<svg class=\"chart\""), 0u);
  EXPECT_THAT(html, HasSubstr("not kept in memory"));
}

TEST(HtmlReporter, BigLogStaysSmall) {
  // 1,250 processes x 4 counters = 5,000 counters, 720 samples each.
  const Report report = testing::MakeLargeReport(1250, 720);
  ReportOptions options;
  options.include_ok = true;
  const std::string html = RenderHtml(report, options);
  EXPECT_LT(html.size(), 5u * 1024 * 1024);
  EXPECT_LE(Count(html, "<svg class=\"spark\""), 300u);
  EXPECT_LE(Count(html, "<svg class=\"chart\""), 100u);
  EXPECT_THAT(html, HasSubstr("the first 300 of 1250 are shown"));
}

TEST(HtmlReporter, ThousandLogBatchStaysSmallAndOpensDetailsOnDemand) {
  // 1,000 unstitched logs of 8 h at 5 min, three leaks and a System memory analysis each.
  Report report;
  for (int k = 0; k < 1000; ++k) {
    Report one = testing::MakeSparseReport(97, 300);
    LogReport& entry = one.logs[0];
    entry.path = fmt::format("case/machine{:04d}/DataCollector01.blg", k);
    std::vector<Finding>& findings = entry.analysis.findings;
    findings[0].machine = fmt::format("WEB{:04d}", k);
    for (const char* name : {"w3wp#1", "w3wp#2"}) {
      findings.push_back(findings[0]);
      findings.back().instance = name;
    }
    SystemMemoryAnalysis memory;
    memory.window_from_utc = entry.log->time_utc.front();
    memory.window_to_utc = entry.log->time_utc.back();
    SystemMemory machine;
    machine.machine = findings[0].machine;
    machine.commit_limit_bytes = 16.0 * 1024 * testing::kMiB;
    for (std::size_t i = 0; i < entry.log->time_utc.size(); ++i) {
      machine.chart.push_back({entry.log->time_utc[i], 6e9 + 1e7 * static_cast<double>(i), 17e9});
    }
    memory.machines.push_back(machine);
    entry.analysis.system_memory = memory;
    report.logs.push_back(std::move(entry));
  }
  const std::string html = RenderHtml(report);
  EXPECT_LT(html.size(), 10u * 1024 * 1024);
  EXPECT_LE(Count(html, "<svg class=\"chart\""), 200u);
  // The first findings are open; the next ones wait in templates built when opened; past 500
  // only the table row is left, without a link to a detail that is not there.
  const std::size_t first_lazy = html.find("<details class=\"lazy\">");
  ASSERT_NE(first_lazy, std::string::npos);
  EXPECT_EQ(Count(html.substr(0, first_lazy), "<section class=\"detail"), 21u);
  EXPECT_EQ(Count(html, "<details class=\"lazy\"><summary>chart and evidence</summary><template>"),
            480u);
  EXPECT_EQ(Count(html, "<section class=\"detail"), 500u);
  EXPECT_EQ(Count(html, "<tr data-verdict=\"leak\">"), 3000u);
  EXPECT_EQ(Count(html, "<a href=\"#f-"), 500u);
  EXPECT_THAT(html, HasSubstr("Details of the first 500 of 3000 flagged findings are shown"));
  // The System memory section is collapsed, with commit charts for 100 of the 1,000 machines.
  EXPECT_EQ(Count(html, "aria-label=\"Committed bytes against"), 100u);
  EXPECT_THAT(html, HasSubstr("<details class=\"lazy sysmem\">"));
  EXPECT_THAT(html, HasSubstr("addEventListener('toggle'"));
}

#ifdef PERFLEAK_HAVE_PNG
// Share of pixels that are not (near) white, and whether several colours appear.
struct PngStats {
  bool ok = false;
  double ink = 0.0;
  std::size_t colours = 0;
};

PngStats Inspect(const std::string& path) {
  PngStats stats;
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (png_image_begin_read_from_file(&image, path.c_str()) == 0) return stats;
  image.format = PNG_FORMAT_RGB;
  std::vector<png_byte> pixels(PNG_IMAGE_SIZE(image));
  if (png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr) == 0) return stats;
  std::size_t inked = 0;
  std::vector<bool> seen(4096, false);
  for (std::size_t i = 0; i + 2 < pixels.size(); i += 3) {
    if (pixels[i] < 235 || pixels[i + 1] < 235 || pixels[i + 2] < 235) ++inked;
    const std::size_t bin =
        (pixels[i] >> 4) << 8 | (pixels[i + 1] >> 4) << 4 | (pixels[i + 2] >> 4);
    if (!seen[bin]) {
      seen[bin] = true;
      ++stats.colours;
    }
  }
  stats.ok = true;
  stats.ink = static_cast<double>(inked) / static_cast<double>(pixels.size() / 3);
  return stats;
}
#endif

constexpr const char* kChromium = "/usr/bin/chromium";

// Under CI=true (what CI sets) a missing tool is a failure: scripts/setup installs Chromium and
// libpng-dev, so a skip there means the setup is broken and the page was never rendered
// (PERFLEAK_SKIP_UNLESS_CI, test_util.h).

// Runs headless Chromium on `page` with `action` (`--screenshot=...` or `--dump-dom`), stdout to
// `stdout_path`; `timeout` bounds it whatever Chromium does (90 s, far above the usual 1-3 s).
int RunChromium(const std::string& dir, const std::string& page, const std::string& action,
                const std::string& stdout_path, const std::string& window = "1280,2000") {
  const std::string command =
      "timeout -k 5 90 " + std::string(kChromium) +
      " --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking"
      " --disable-component-update --disable-sync --hide-scrollbars --user-data-dir=" +
      dir + "/profile " + action + " --window-size=" + window + " file://" + page + " >" +
      stdout_path + " 2>" + dir + "/chromium.log";
  return std::system(command.c_str());
}

TEST(HtmlReporter, ScriptSortsAndFiltersInChromium) {
  if (!std::filesystem::exists(kChromium)) {
    PERFLEAK_SKIP_UNLESS_CI("Chromium not installed at " << kChromium
                                                         << "; skipping the script test");
  }
  const std::string dir = testing::MakeTempDir("perfleak_html_script");
  std::string html = RenderHtml(testing::MakeGoldenReport());
  // Clicks Score twice (a number: largest first, then smallest first), then filters for w3wp,
  // and leaves the outcome in the DOM.
  const std::string probe =
      "<script>try{var th=document.querySelectorAll('#findings th')[9];"
      "function ranks(){return [].map.call(document.querySelectorAll('#findings tbody "
      "td:first-child'),function(c){return c.textContent}).join(',')}"
      "th.click();var order=ranks();th.click();order+=';'+ranks();"
      "var q=document.getElementById('q');"
      "q.value='w3wp';q.dispatchEvent(new Event('input'));document.body.setAttribute("
      "'data-probe',order+'|'+document.getElementById('shown').textContent);}catch(e){"
      "document.body.setAttribute('data-probe','error '+e)}</script></body>";
  html.replace(html.rfind("</body>"), 7, probe);
  testing::WriteStringToFile(dir + "/page.html", html);
  ASSERT_EQ(RunChromium(dir, dir + "/page.html", "--dump-dom", dir + "/dom.html"), 0)
      << "chromium failed; see " << dir << "/chromium.log";
  const std::string dom = testing::ReadFileToString(dir + "/dom.html");
  EXPECT_THAT(dom, HasSubstr("data-probe=\"1,2,3;3,2,1|1\""));
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

// `probe` (JavaScript setting the variable `out`) run in Chromium on `html` once it has loaded;
// returns `out`, or "error ..." when it threw.
std::string ProbeInChromium(const std::string& dir, std::string html, const std::string& probe,
                            const std::string& window = "1280,2000") {
  const std::string script = "<script>try{var out='';" + probe +
                             ";document.body.setAttribute('data-probe',out)}catch(e){"
                             "document.body.setAttribute('data-probe','error '+e)}</script></body>";
  html.replace(html.rfind("</body>"), 7, script);
  testing::WriteStringToFile(dir + "/probe.html", html);
  const int rc = RunChromium(dir, dir + "/probe.html", "--dump-dom", dir + "/dom.html", window);
  EXPECT_EQ(rc, 0) << "chromium failed; see " << dir << "/chromium.log";
  const std::string dom = testing::ReadFileToString(dir + "/dom.html");
  const std::size_t at = dom.find("data-probe=\"");
  if (at == std::string::npos) return "no probe in the DOM";
  const std::size_t begin = at + 12;
  return dom.substr(begin, dom.find('"', begin) - begin);
}

TEST(HtmlReporter, FindingsTableFitsAn800PixelWindowInChromium) {
  if (!std::filesystem::exists(kChromium)) {
    PERFLEAK_SKIP_UNLESS_CI("Chromium not installed at " << kChromium
                                                         << "; skipping the layout test");
  }
  const std::string dir = testing::MakeTempDir("perfleak_html_800");
  // Long names and a fleet of machines: what pushes a table wider than a narrow window.
  Report report = testing::MakeGoldenReport();
  for (Finding& f : report.logs[0].analysis.findings) {
    if (f.instance == "OrderService#1") f.instance = "OrderServiceWorkerHostForTenantContoso#1";
    f.machine = "WEB01-PRODUCTION-WESTEUROPE";
  }
  report.logs[0].path = "case-4711/WEB01-PRODUCTION-WESTEUROPE/PerfLogs/Admin/DataCollector01.csv";
  report.skipped.push_back({"case-4711/WEB01-PRODUCTION-WESTEUROPE/PerfLogs/Admin/readme.txt",
                            "not a counter log: no PDH header and no ETL buffer header"});
  const std::string probe =
      "var t=document.getElementById('findings').getBoundingClientRect();"
      "out=document.documentElement.scrollWidth+','+Math.ceil(t.right)+','+"
      "document.documentElement.clientWidth";
  const std::string widths = ProbeInChromium(dir, RenderHtml(report), probe, "800,1200");
  int page = 0, table = 0, viewport = 0;
  ASSERT_EQ(std::sscanf(widths.c_str(), "%d,%d,%d", &page, &table, &viewport), 3) << widths;
  EXPECT_EQ(viewport, 800);
  EXPECT_LE(page, 800) << "the page scrolls sideways at 800 px";
  EXPECT_LE(table, 800) << "the findings table overflows at 800 px";
  // At 1280 px the same page has room: the check above is not vacuous.
  const std::string wide = ProbeInChromium(dir, RenderHtml(report), probe);
  EXPECT_THAT(wide, HasSubstr(",1280")) << wide;
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

TEST(HtmlReporter, MoreChangePointsShowOnlyWhenAskedInChromium) {
  if (!std::filesystem::exists(kChromium)) {
    PERFLEAK_SKIP_UNLESS_CI("Chromium not installed at " << kChromium
                                                         << "; skipping the toggle test");
  }
  const std::string dir = testing::MakeTempDir("perfleak_html_cp");
  Report report = testing::MakeGoldenReport();
  std::vector<Finding>& findings = report.logs[0].analysis.findings;
  const auto order = std::find_if(findings.begin(), findings.end(),
                                  [](const Finding& f) { return f.instance == "OrderService#1"; });
  ASSERT_NE(order, findings.end());
  Evidence& lead = order->evidence[0];
  const Ticks t0 = lead.trend.front().t0, t1 = lead.trend.back().t1;
  for (int k = 1; k < 40; ++k) lead.change_points.push_back(t0 + (t1 - t0) * k / 40);
  // Counts the extra change-point lines drawn (not display:none) before and after opening
  // the toggle.
  const std::string probe =
      "function shown(){return [].filter.call(document.querySelectorAll('line.cp-more'),"
      "function(l){return getComputedStyle(l).display!=='none'}).length}"
      "var d=document.querySelector('details.cpd');var before=shown();d.open=true;"
      "out=before+','+shown()+','+document.querySelectorAll('line.cp-more').length";
  const std::string counts = ProbeInChromium(dir, RenderHtml(report), probe);
  int before = -1, after = -1, total = -1;
  ASSERT_EQ(std::sscanf(counts.c_str(), "%d,%d,%d", &before, &after, &total), 3) << counts;
  EXPECT_GE(total, 30);
  EXPECT_EQ(before, 0);
  EXPECT_EQ(after, total);
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

TEST(HtmlReporter, RendersInHeadlessChromium) {
  if (!std::filesystem::exists(kChromium)) {
    PERFLEAK_SKIP_UNLESS_CI("Chromium not installed at " << kChromium
                                                         << "; skipping the render test");
  }
#ifndef PERFLEAK_HAVE_PNG
  PERFLEAK_SKIP_UNLESS_CI("built without libpng (libpng-dev); cannot inspect the screenshot");
#else
  const std::string dir = testing::MakeTempDir("perfleak_html_render");
  const std::string page = dir + "/report.html";
  const std::string png = dir + "/report.png";
  testing::WriteStringToFile(page, RenderHtml(testing::MakeGoldenReport()));
  ASSERT_EQ(RunChromium(dir, page, "--screenshot=" + png, dir + "/stdout.txt"), 0)
      << "chromium failed; see " << dir << "/chromium.log";
  const PngStats stats = Inspect(png);
  ASSERT_TRUE(stats.ok) << "cannot read " << png;
  EXPECT_GT(stats.ink, 0.02) << "the page looks blank";
  EXPECT_GT(stats.colours, 10u) << "the page has almost no colours";
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
#endif
}

#ifdef PERFLEAK_HAVE_PNG
// Pixels within a small distance of `rgb` (0xRRGGBB): the drawn line's own colour, not the
// anti-aliased blend at its edges.
std::size_t CountColour(const std::string& path, std::uint32_t rgb) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (png_image_begin_read_from_file(&image, path.c_str()) == 0) return 0;
  image.format = PNG_FORMAT_RGB;
  std::vector<png_byte> pixels(PNG_IMAGE_SIZE(image));
  if (png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr) == 0) return 0;
  const int r = static_cast<int>(rgb >> 16), g = static_cast<int>((rgb >> 8) & 0xFF),
            b = static_cast<int>(rgb & 0xFF);
  std::size_t n = 0;
  for (std::size_t i = 0; i + 2 < pixels.size(); i += 3) {
    const int dr = pixels[i] - r, dg = pixels[i + 1] - g, db = pixels[i + 2] - b;
    if (dr * dr + dg * dg + db * db < 40 * 40) ++n;
  }
  return n;
}
#endif

// The page's <style> and the first element starting with `open` up to `close`, alone on a
// page, so that nothing else on the report (links share the series colour) is counted.
std::string IsolatedPage(const std::string& html, std::string_view open, std::string_view close,
                         std::string_view wrapper_style) {
  const std::size_t style = html.find("<style>");
  const std::size_t style_end = html.find("</style>") + 8;
  const std::size_t begin = html.find(open);
  if (style == std::string::npos || begin == std::string::npos) return {};
  const std::size_t end = html.find(close, begin) + close.size();
  return "<!DOCTYPE html><html><head><meta charset=\"utf-8\">" +
         html.substr(style, style_end - style) + "</head><body><div style=\"" +
         std::string(wrapper_style) + "\">" + html.substr(begin, end - begin) +
         "</div></body></html>";
}

TEST(HtmlReporter, SparseLogsDrawTheirSeriesInChromium) {
  if (!std::filesystem::exists(kChromium)) {
    PERFLEAK_SKIP_UNLESS_CI("Chromium not installed at " << kChromium
                                                         << "; skipping the render test");
  }
#ifndef PERFLEAK_HAVE_PNG
  PERFLEAK_SKIP_UNLESS_CI("built without libpng (libpng-dev); cannot inspect the screenshot");
#else
  const std::string dir = testing::MakeTempDir("perfleak_html_sparse");
  // 8 h at 5 min: the detail chart's series (#1d4ed8) across the plot, not only its legend
  // swatch (18 px); 11 samples (PAL's sample log): the sparkline in the leak colour (#b91c1c).
  const std::string chart_page = IsolatedPage(RenderHtml(testing::MakeSparseReport(97, 300)),
                                              "<svg class=\"chart\"", "</svg>", "width:760px");
  const std::string spark_page = IsolatedPage(RenderHtml(testing::MakeSparseReport(11, 15)),
                                              "<svg class=\"spark\"", "</svg>", "width:180px");
  ASSERT_FALSE(chart_page.empty());
  ASSERT_FALSE(spark_page.empty());
  // The same chart without its series path: what the legend swatch alone gives.
  std::string bare_page = chart_page;
  const std::size_t d = bare_page.find("d=\"", bare_page.find("class=\"series\""));
  bare_page.erase(d + 3, bare_page.find('"', d + 3) - (d + 3));
  const auto shoot = [&](const std::string& name, const std::string& page) {
    testing::WriteStringToFile(dir + "/" + name + ".html", page);
    const int rc = RunChromium(dir, dir + "/" + name + ".html",
                               "--screenshot=" + dir + "/" + name + ".png", dir + "/stdout.txt");
    EXPECT_EQ(rc, 0) << "chromium failed; see " << dir << "/chromium.log";
    return dir + "/" + name + ".png";
  };
  const std::size_t bare = CountColour(shoot("bare", bare_page), 0x1d4ed8);
  const std::size_t drawn = CountColour(shoot("chart", chart_page), 0x1d4ed8);
  // The fitted trend is drawn over the series, so only part of the line shows its colour.
  EXPECT_GT(drawn, bare + 80) << dir << "/chart.png (legend alone: " << bare << ")";
  EXPECT_GT(CountColour(shoot("spark", spark_page), 0xb91c1c), 40u) << dir << "/spark.png";
  if (::testing::Test::HasFailure()) return;  // keep the screenshots to look at
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
#endif
}

}  // namespace
}  // namespace perfleak
