package io.upshift.report;

import io.upshift.engine.RunStatus;
import io.upshift.engine.RunSummary;
import io.upshift.plan.Stage;
import io.upshift.plan.Step;
import io.upshift.verify.Verifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * The run report: one self-contained HTML file (styles, data and Apache ECharts inlined; nothing
 * fetched from the network) that an operator can open or attach to a change ticket. It shows the
 * header, the timeline of stages, steps and batches, the capability windows predicted and measured,
 * the failures with their output, the operators' actions, snapshot comparisons and backups,
 * aggregated so that a fleet of thousands of hosts stays readable.
 */
public final class HtmlReport {
  /** At most this many batches are listed in a step's drill-down table. */
  static final int BATCH_ROWS = 200;

  private HtmlReport() {}

  /**
   * Renders the report.
   *
   * @param predicted the plan's rehearsal estimate (expected and 95th percentile), or null
   * @param generatedAt when the report is made (epoch millis), for its footer
   */
  public static String render(ReportData data, Verifier.Report predicted, long generatedAt) {
    Html h = new Html();
    String title = "Upshift run report: " + data.plan().name();
    h.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .raw("<title>")
        .text(title)
        .raw("</title>\n<style>\n")
        .raw(resource("report.css"))
        .raw("</style>\n</head>\n<body>\n");
    header(h, data);
    timeline(h, data, predicted);
    ReportSections.capabilities(h, data, predicted);
    ReportSections.failures(h, data);
    ReportSections.audit(h, data);
    ReportSections.snapshots(h, data);
    ReportSections.backups(h, data);
    h.raw("<footer>Made by Upshift on ")
        .text(Html.wall(generatedAt))
        .raw(". Times are from the run's start")
        .text(data.header().virtualClock() ? " on the rehearsal's virtual clock" : "")
        .raw(". Charts drawn with Apache ECharts (Apache License 2.0).</footer>\n");
    h.raw("<script>\n").raw(resource("echarts.min.js")).raw("\n</script>\n");
    h.raw("<script>\nvar REPORT = ").raw(ChartData.json(data, predicted)).raw(";\n</script>\n");
    h.raw("<script>\n").raw(resource("report.js")).raw("</script>\n</body></html>\n");
    return h.toString();
  }

  /** Renders the report and writes it to {@code file} atomically; returns its size in bytes. */
  public static long write(ReportData data, Verifier.Report predicted, Path file)
      throws IOException {
    byte[] bytes =
        render(data, predicted, System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8);
    Path abs = file.toAbsolutePath();
    Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return bytes.length;
  }

  private static void header(Html h, ReportData data) {
    RunSummary s = data.summary();
    ReportData.Header hd = data.header();
    String status = s.status().word();
    h.el("h1", null, data.plan().name());
    h.raw("<dl class=\"header\">\n");
    dt(h, "status");
    h.raw("<dd><span class=\"status ").raw(status).raw("\">").text(status).raw("</span>");
    if (data.haltReason() != null) {
      h.raw(" ").text(data.haltReason());
    }
    h.raw("</dd>\n");
    dd(h, "run", hd.runId() == null ? "not recorded (no journal)" : hd.runId());
    dd(
        h,
        "target",
        hd.target()
            + (hd.virtualClock()
                ? " (rehearsal on the simulated fleet, seed " + hd.seed() + ")"
                : ""));
    dd(h, "plan file", String.valueOf(data.plan().file()));
    dd(
        h,
        "upgrade",
        data.plan().from()
            + " to "
            + data.plan().to()
            + ", "
            + data.plan().stages().size()
            + " stages");
    dd(h, "hosts", Count.of(data.plan().inventory().size()));
    if (hd.virtualClock()) {
      dd(h, "rehearsed", Html.wall(hd.wallStart()));
      dd(h, "duration", Html.length(data.makespan()) + " on the virtual clock");
    } else {
      dd(h, "started", Html.wall(hd.wallStart()));
      dd(
          h,
          s.status() == RunStatus.PAUSED ? "paused" : "ended",
          hd.wallStart() < 0 ? "" : Html.wall(hd.wallStart() + data.makespan()));
      dd(h, "duration", Html.length(data.makespan()));
    }
    var st = s.state();
    if (st != null) {
      dd(
          h,
          "host-steps",
          Count.of(st.stepsTotal())
              + " in all: "
              + Count.of(st.stepsSucceeded())
              + " succeeded, "
              + Count.of(st.stepsFailed())
              + " failed, "
              + Count.of(st.stepsSkipped())
              + " skipped (hosts out after an earlier failure)");
      dd(h, "hosts failed", Count.of(st.failures().size()));
    }
    h.raw("</dl>\n");
  }

  private static void dt(Html h, String term) {
    h.raw("<dt>").text(term).raw("</dt>");
  }

  private static void dd(Html h, String term, String value) {
    dt(h, term);
    h.raw("<dd>").text(value).raw("</dd>\n");
  }

  private static void timeline(Html h, ReportData data, Verifier.Report predicted) {
    RunSummary s = data.summary();
    h.raw("<h2 id=\"timeline\">Timeline</h2>\n");
    h.raw("<p class=\"muted\">Each stage's span, its steps (alternating shades, red when hosts")
        .raw(" failed) and, beneath, the predicted span from the plan's rehearsal estimate.")
        .raw(" Open a stage below for its steps and batches.</p>\n");
    h.raw("<div id=\"timeline-chart\" class=\"chart\"></div>\n");
    h.raw("<table>").head("stage", "status", "start", "end", "duration", "predicted", "p95");
    h.raw("<tbody>");
    for (RunSummary.StageResult r : s.stages()) {
      boolean started = r.start() >= 0;
      long end = r.end() < 0 ? data.makespan() : r.end();
      String pe = "";
      String p95 = "";
      if (predicted != null) {
        int i = s.stages().indexOf(r);
        var e = predicted.expected().stages().get(i);
        var p = predicted.p95().stages().get(i);
        pe = Html.length(e.end() - e.start());
        p95 = Html.length(p.end() - p.start());
      }
      h.row(
          r.name(),
          started ? r.status().word() : "not started",
          started ? "#" + Names.clock(r.start()) : "",
          started ? "#" + Names.clock(end) : "",
          started ? "#" + Html.length(end - r.start()) : "",
          "#" + pe,
          "#" + p95);
    }
    h.raw("</tbody></table>\n");
    for (Stage stage : data.plan().stages()) {
      stage(h, data, stage, predicted);
    }
  }

  private static void stage(Html h, ReportData data, Stage stage, Verifier.Report predicted) {
    long hostSteps = 0;
    long failed = 0;
    for (Step step : stage.steps()) {
      ReportData.StepRun r = data.step(stage.index(), step.index());
      hostSteps += r.hosts;
      failed += r.failed;
    }
    h.raw("<details data-stage=\"").raw(String.valueOf(stage.index())).raw("\"><summary>");
    h.el("strong", null, stage.name())
        .text(
            " — "
                + stage.steps().size()
                + " steps, "
                + Count.of(hostSteps)
                + " host-steps"
                + (failed > 0 ? ", " + Count.of(failed) + " failed" : ""))
        .raw("</summary>\n<div class=\"chart stage-chart\" data-stage=\"")
        .raw(String.valueOf(stage.index()))
        .raw("\"></div>\n<table>")
        .head(
            "#",
            "step",
            "kind",
            "hosts",
            "ok",
            "failed",
            "skipped",
            "start",
            "duration",
            "predicted start",
            "batches");
    h.raw("<tbody>");
    for (Step step : stage.steps()) {
      ReportData.StepRun r = data.step(stage.index(), step.index());
      long ps =
          predicted == null ? -1 : predicted.expected().stepStart(stage.index(), step.index());
      boolean ran = r.start >= 0;
      h.row(
          "#" + (step.index() + 1),
          step.name(),
          step.kind().key(),
          "#" + (ran ? Count.of(r.hosts) : Count.of(step.hosts().length)),
          "#" + (ran ? Count.of(r.succeeded) : ""),
          "#" + (ran ? Count.of(r.failed) : ""),
          "#" + (ran ? Count.of(r.skipped) : ""),
          "#" + (ran ? Names.clock(r.start) : "not run"),
          "#" + (ran ? Html.length(r.end - r.start) : ""),
          "#" + (ps < 0 ? "" : Names.clock(ps)),
          "#" + r.batches.size());
    }
    h.raw("</tbody></table>\n");
    for (Step step : stage.steps()) {
      batches(h, step, data.step(stage.index(), step.index()));
    }
    Map<String, long[]> cells = data.cells(stage.index());
    if (cells.size() > 1) {
      h.raw("<details><summary>by site/cell (").raw(String.valueOf(cells.size()));
      h.raw(")</summary><table>")
          .head("site/cell", "actions ok", "actions failed", "checks failed")
          .raw("<tbody>");
      cells.forEach(
          (cell, c) ->
              h.row(cell, "#" + Count.of(c[0]), "#" + Count.of(c[1]), "#" + Count.of(c[2])));
      h.raw("</tbody></table></details>\n");
    }
    h.raw("</details>\n");
  }

  private static void batches(Html h, Step step, ReportData.StepRun r) {
    if (r.batches.size() < 2) {
      return;
    }
    h.raw("<details><summary>step ")
        .text((step.index() + 1) + " `" + step.name() + "`: " + r.batches.size() + " batches")
        .raw("</summary><table>")
        .head("group", "batch", "hosts", "start", "duration", "failed")
        .raw("<tbody>");
    int shown = Math.min(BATCH_ROWS, r.batches.size());
    for (int i = 0; i < shown; i++) {
      ReportData.Batch b = r.batches.get(i);
      h.row(
          b.group,
          "#" + b.number,
          "#" + b.hosts,
          "#" + Names.clock(b.start),
          "#" + Html.length(b.end - b.start),
          "#" + b.failed);
    }
    h.raw("</tbody></table>");
    if (shown < r.batches.size()) {
      h.el("p", "muted", "… and " + (r.batches.size() - shown) + " more batches");
    }
    h.raw("</details>\n");
  }

  static String resource(String name) {
    try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the report's resource " + name + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
