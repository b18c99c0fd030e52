#include <gmock/gmock.h>
#include <gtest/gtest.h>

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
// libpng-dev, so a skip there means the setup is broken and the page was never rendered.
bool InCi() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}
#define PERFLEAK_SKIP_UNLESS_CI(message)                                                \
  do {                                                                                  \
    if (InCi()) FAIL() << "CI=true, but " << message << " (scripts/setup installs it)"; \
    GTEST_SKIP() << message;                                                            \
  } while (false)

// Runs headless Chromium on `page` with `action` (`--screenshot=...` or `--dump-dom`), stdout to
// `stdout_path`; `timeout` bounds it whatever Chromium does (90 s, far above the usual 1-3 s).
int RunChromium(const std::string& dir, const std::string& page, const std::string& action,
                const std::string& stdout_path) {
  const std::string command =
      "timeout -k 5 90 " + std::string(kChromium) +
      " --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking"
      " --disable-component-update --disable-sync --hide-scrollbars --user-data-dir=" +
      dir + "/profile " + action + " --window-size=1280,2000 file://" + page + " >" + stdout_path +
      " 2>" + dir + "/chromium.log";
  return std::system(command.c_str());
}

TEST(HtmlReporter, ScriptSortsAndFiltersInChromium) {
  if (!std::filesystem::exists(kChromium)) {
    PERFLEAK_SKIP_UNLESS_CI("Chromium not installed at " << kChromium
                                                         << "; skipping the script test");
  }
  const std::string dir = testing::MakeTempDir("perfleak_html_script");
  std::string html = RenderHtml(testing::MakeGoldenReport());
  // Clicks Score (ascending), then filters for w3wp, and leaves the outcome in the DOM.
  const std::string probe =
      "<script>try{document.querySelectorAll('#findings th')[9].click();"
      "var order=[].map.call(document.querySelectorAll('#findings tbody td:first-child'),"
      "function(c){return c.textContent}).join(',');var q=document.getElementById('q');"
      "q.value='w3wp';q.dispatchEvent(new Event('input'));document.body.setAttribute("
      "'data-probe',order+'|'+document.getElementById('shown').textContent);}catch(e){"
      "document.body.setAttribute('data-probe','error '+e)}</script></body>";
  html.replace(html.rfind("</body>"), 7, probe);
  testing::WriteStringToFile(dir + "/page.html", html);
  ASSERT_EQ(RunChromium(dir, dir + "/page.html", "--dump-dom", dir + "/dom.html"), 0)
      << "chromium failed; see " << dir << "/chromium.log";
  const std::string dom = testing::ReadFileToString(dir + "/dom.html");
  EXPECT_THAT(dom, HasSubstr("data-probe=\"3,2,1|1\""));
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

}  // namespace
}  // namespace perfleak
