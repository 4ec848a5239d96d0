package io.upshift.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.Cli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML run report, opened in headless Chromium as an operator would: the CERN rehearsal (2,164
 * hosts) and a local run with failures, an approval and a resume. The screenshots stay under
 * target/report-test for a look.
 */
class RunReportTest {
  static final Path SHOTS = Path.of("target", "report-test");
  static final List<String> CERN_STAGES =
      List.of(
          "Ceilometer", "Glance", "Keystone", "Cinder", "Client CLIs", "Horizon", "Nova", "After");

  @TempDir Path dir;

  @Test
  void theCernRehearsalsReportDrawsItsStagesAndCapabilityWindows() throws Exception {
    Path html = dir.resolve("cern.html");
    Cli.Result r =
        Cli.run("run", "examples/cern-havana", "--progress", "none", "--report", html.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("report written to " + html);
    String page = Files.readString(html);
    assertThat(Files.size(html))
        .as("one file with ECharts inlined, not a row per action")
        .isBetween(1_000_000L, 2_000_000L);
    assertThat(page)
        .contains("CERN cloud, Grizzly to Havana")
        .contains("2,164")
        .doesNotContain("<script src")
        .doesNotContain("<link");
    // aggregated: no table row per host-step (20,384 of them)
    assertThat(page.split("<tr>", -1).length).isLessThan(1500);

    Path browser = Chromium.find();
    String dom = open(browser, html, "cern");
    assertThat(texts(svgAfter(dom, "timeline-chart"))).containsAll(CERN_STAGES);
    String capabilities = svgAfter(dom, "capability-chart");
    assertThat(texts(capabilities))
        .contains("image-api", "vm-launch", "predicted", "measured", "predicted p95");
    assertThat(section(dom, "capabilities")).contains("predicted downtime", "measured downtime");
  }

  @Test
  void aLocalRunsReportShowsFailuresApprovalsAndNoSecret() throws Exception {
    Path plan = LocalRuns.write(dir);
    Path journal = dir.resolve("journal.db");
    Path first = dir.resolve("paused.html");
    Cli.Result paused =
        Cli.run(
            "run",
            plan.toString(),
            "--target",
            "local",
            "--progress",
            "none",
            "--journal",
            journal.toString(),
            "--report",
            first.toString());
    assertThat(paused.code()).as(paused.err()).isEqualTo(3);
    assertThat(Files.readString(first)).contains("paused").contains("approval needed");
    assertThat(
            Cli.run(
                    "approve",
                    "last",
                    "--journal",
                    journal.toString(),
                    "--by",
                    "alice",
                    "--comment",
                    "CAB-42")
                .code())
        .isZero();
    Path html = dir.resolve("run.html");
    Cli.Result resumed =
        Cli.run(
            "resume",
            "last",
            "--progress",
            "none",
            "--journal",
            journal.toString(),
            "--report",
            html.toString());
    assertThat(resumed.code()).as(resumed.err()).isEqualTo(1);
    String page = Files.readString(html);
    assertThat(page)
        .contains("stage `Two`, step 1")
        .contains("the &lt;b&gt;output&lt;/b&gt; of h3")
        .contains("approved by alice: CAB-42")
        .contains("resumed by")
        .doesNotContain(LocalRuns.SECRET)
        .contains("********");

    Path later = dir.resolve("later.html");
    Cli.Result report =
        Cli.run("report", "last", "--journal", journal.toString(), "--out", later.toString());
    assertThat(report.code()).as(report.err()).isZero();
    assertThat(withoutFooter(Files.readString(later))).isEqualTo(withoutFooter(page));

    String dom = open(Chromium.find(), html, "local");
    assertThat(texts(svgAfter(dom, "timeline-chart"))).contains("One", "Two");
    assertThat(section(dom, "failures")).contains("h2").contains("h3").contains("k1");
  }

  @Test
  void reportAndExportSayWhatIsWrongWithoutATrace() {
    Cli.Result none = Cli.run("export", "last", "--journal", dir.resolve("j.db").toString());
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("say what to export");
    Cli.Result missing =
        Cli.run("report", "last", "--journal", dir.resolve("nowhere.db").toString());
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("no journal at").doesNotContain("\tat ");
    Cli.Result folder =
        Cli.run(
            "run",
            "examples/cern-havana",
            "--report",
            dir.resolve("no/such/folder/r.html").toString());
    assertThat(folder.code()).isEqualTo(2);
    assertThat(folder.err()).contains("--report").contains("does not exist");
  }

  /** Opens the page in Chromium: a screenshot under target/, and the DOM after its scripts ran. */
  private String open(Path browser, Path html, String name) throws Exception {
    Files.createDirectories(SHOTS);
    Path png = SHOTS.resolve(name + ".png");
    Files.deleteIfExists(png);
    Chromium.screenshot(browser, html, png, dir.resolve("profile"));
    byte[] bytes = Files.readAllBytes(png);
    assertThat(bytes.length).as("a rendered page, not a blank one").isGreaterThan(20_000);
    assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    return Chromium.dumpDom(browser, html, dir.resolve("profile"));
  }

  private static String withoutFooter(String page) {
    return page.replaceAll("Made by Upshift on [^.]*\\.", "");
  }

  /** The first SVG inside the element with this id. */
  static String svgAfter(String dom, String id) {
    int at = dom.indexOf("id=\"" + id + "\"");
    assertThat(at).as("element #%s", id).isNotNegative();
    int start = dom.indexOf("<svg", at);
    int end = dom.indexOf("</svg>", start);
    assertThat(start).as("an SVG drawn in #%s", id).isPositive();
    return dom.substring(start, end);
  }

  /** The text nodes of an SVG. */
  static List<String> texts(String svg) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("<text[^>]*>([^<]*)</text>").matcher(svg);
    while (m.find()) {
      out.add(m.group(1).replace("&amp;", "&"));
    }
    return out;
  }

  /** The page from the heading with this id to the next heading of its level. */
  static String section(String dom, String id) {
    int at = dom.indexOf("<h2 id=\"" + id + "\"");
    assertThat(at).as("section #%s", id).isNotNegative();
    int end = dom.indexOf("<h2", at + 4);
    return dom.substring(at, end < 0 ? dom.length() : end);
  }
}
