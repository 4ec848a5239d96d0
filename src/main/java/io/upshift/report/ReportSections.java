package io.upshift.report;

import io.upshift.engine.RunEvent;
import io.upshift.engine.RunSummary;
import io.upshift.plan.Capability;
import io.upshift.verify.Verifier;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The report's sections after the timeline: capability windows, failures, operators' actions,
 * snapshot comparisons and backups.
 */
final class ReportSections {
  /** Groups of failures shown open when there are at most this many. */
  private static final int OPEN_FAILURES = 3;

  private ReportSections() {}

  static void capabilities(Html h, ReportData data, Verifier.Report predicted) {
    RunSummary s = data.summary();
    h.raw("<h2 id=\"capabilities\">Capability windows</h2>\n");
    h.raw("<p class=\"muted\">When each capability was down: <em>predicted</em> by the plan's")
        .raw(" rehearsal estimate (expected durations, and 95th percentile), and <em>measured</em>")
        .raw(" in this run: as the engine derived it from the components' states, and by probes")
        .raw(" from outside when the run had some.</p>\n");
    h.raw("<div id=\"capability-chart\" class=\"chart\"></div>\n<table>")
        .head(
            "capability",
            "budget",
            "predicted downtime",
            "predicted p95",
            "predicted windows",
            "measured downtime",
            "measured windows")
        .raw("<tbody>");
    for (Capability c : data.plan().capabilities().values()) {
      String name = c.name();
      long measured = s.downtime(name);
      boolean over = c.maxDowntimeMillis() >= 0 && measured > c.maxDowntimeMillis();
      h.raw("<tr><td>").text(name).raw("</td><td class=\"n\">");
      h.text(c.maxDowntimeMillis() < 0 ? "" : Html.length(c.maxDowntimeMillis()));
      h.raw("</td><td class=\"n\">");
      if (predicted != null) {
        h.text(Html.length(predicted.expected().downtime(name)))
            .raw("</td><td class=\"n\">")
            .text(Html.length(predicted.p95().downtime(name)))
            .raw("</td><td>")
            .text(SummaryTable.windows(predicted.expected().windows().get(name)));
      } else {
        h.raw("</td><td class=\"n\"></td><td>");
      }
      h.raw("</td><td class=\"n").raw(over ? " over" : "").raw("\">");
      h.text(Html.length(measured) + (over ? " (over budget)" : ""));
      h.raw("</td><td>").text(SummaryTable.windows(s.windows().get(name))).raw("</td></tr>\n");
    }
    h.raw("</tbody></table>\n");
    List<ReportData.ProbeRun> probes = data.probes();
    h.el("h3", null, "Measured by probes");
    if (probes.isEmpty()) {
      h.el("p", "muted", "This run had no probes; the measured windows above are the engine's.");
      return;
    }
    h.raw("<table>")
        .head("capability", "probe", "downtime", "windows", "samples", "failed", "last failure")
        .raw("<tbody>");
    for (ReportData.ProbeRun p : probes) {
      long down = p.windows.stream().mapToLong(RunSummary.Window::length).sum();
      h.row(
          p.capability,
          p.probe,
          "#" + Html.length(down),
          SummaryTable.windows(p.windows),
          "#" + (p.samples < 0 ? "" : Count.of(p.samples)),
          "#" + (p.samples < 0 ? "" : Count.of(p.failedSamples)),
          p.lastDetail);
    }
    h.raw("</tbody></table>\n");
  }

  static void failures(Html h, ReportData data) {
    List<ReportData.FailureGroup> groups = data.failures();
    long total = groups.stream().mapToLong(g -> g.count).sum();
    h.raw("<h2 id=\"failures\">Failures</h2>\n");
    if (groups.isEmpty()) {
      h.el("p", "muted", "No action or check failed.");
      return;
    }
    h.el(
        "p",
        null,
        Count.of(total)
            + " failed action(s) and check(s), in "
            + groups.size()
            + " group(s) of the same step, phase, exit code and reason"
            + (data.failuresDropped() > 0
                ? "; " + data.failuresDropped() + " more in groups not kept"
                : "")
            + ".");
    if (groups.size() > 10) {
      h.raw(
          "<input id=\"failure-filter\" type=\"search\" placeholder=\"filter: host, step, reason\">");
    }
    boolean open = groups.size() <= OPEN_FAILURES;
    for (ReportData.FailureGroup g : groups) {
      h.raw(open ? "<details open><summary>" : "<details><summary>");
      h.el("strong", null, Names.step(data.plan(), g.stage, g.step))
          .text(
              " ("
                  + g.phase.word()
                  + "): "
                  + (g.reason.isEmpty() ? "failed" : g.reason)
                  + (g.exitCode >= 0 && !g.reason.contains("exit") ? ", exit " + g.exitCode : "")
                  + " — "
                  + Count.of(g.count)
                  + " host(s)")
          .raw("</summary>\n<p class=\"hosts\">");
      h.text(String.join(", ", g.hosts));
      if (g.count > g.hosts.size()) {
        h.text(", … and " + Count.of(g.count - g.hosts.size()) + " more");
      }
      h.raw("</p>\n");
      if (g.cells.size() > 1) {
        h.el(
            "p",
            "muted",
            "by cell: "
                + g.cells.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", ")));
      }
      g.outputs.forEach(
          (output, host) -> {
            h.el("p", "muted", "output of " + host + ":");
            h.el("pre", null, output);
          });
      if (g.outputs.size() == ReportData.OUTPUTS) {
        h.el("p", "muted", "(the first " + ReportData.OUTPUTS + " distinct outputs)");
      }
      h.raw("</details>\n");
    }
  }

  static void audit(Html h, ReportData data) {
    h.raw("<h2 id=\"operators\">Approvals and operators' actions</h2>\n");
    List<ReportData.AuditLine> lines = data.audit();
    if (lines.isEmpty()) {
      h.el("p", "muted", "None: no gate, pause, resume, abort, halt or action in doubt.");
      return;
    }
    long start = data.header().virtualClock() ? -1 : data.header().wallStart();
    h.raw("<table>").head("time", "by the clock", "what", "").raw("<tbody>");
    for (ReportData.AuditLine l : lines) {
      h.row(
          "#" + Names.clock(l.at()),
          start < 0 ? "" : Html.wall(start + l.at()),
          l.kind(),
          l.text());
    }
    h.raw("</tbody></table>\n");
  }

  static void snapshots(Html h, ReportData data) {
    h.raw("<h2 id=\"snapshots\">Snapshot comparisons</h2>\n");
    List<ReportData.SnapshotGroup> groups = data.snapshots();
    if (groups.isEmpty()) {
      h.el("p", "muted", "This run compared no snapshots.");
      return;
    }
    for (ReportData.SnapshotGroup g : groups) {
      h.raw(g.equal ? "<details><summary>" : "<details open><summary>");
      h.el("strong", null, g.name)
          .text(
              " at "
                  + Names.step(data.plan(), g.stage, g.step)
                  + ": "
                  + (g.equal ? "equal" : "differs")
                  + " on "
                  + Count.of(g.count)
                  + " host(s)")
          .raw("</summary>\n<p class=\"hosts\">")
          .text(String.join(", ", g.hosts) + (g.count > g.hosts.size() ? ", …" : ""))
          .raw("</p>\n");
      if (!g.equal && !g.diff.isEmpty()) {
        diff(h, g.diff);
      }
      h.raw("</details>\n");
    }
  }

  private static void diff(Html h, String diff) {
    h.raw("<pre class=\"diff\">");
    for (String line : diff.split("\n", -1)) {
      String cls =
          line.startsWith("@@")
              ? "hunk"
              : line.startsWith("+") && !line.startsWith("+++")
                  ? "add"
                  : line.startsWith("-") && !line.startsWith("---") ? "del" : null;
      if (cls == null) {
        h.text(line).raw("\n");
      } else {
        h.el("span", cls, line).raw("\n");
      }
    }
    h.raw("</pre>\n");
  }

  static void backups(Html h, ReportData data) {
    h.raw("<h2 id=\"backups\">Backups</h2>\n");
    List<RunEvent.BackupTaken> backups = data.backups();
    if (backups.isEmpty()) {
      h.el("p", "muted", "This run recorded no database backup.");
      return;
    }
    h.raw("<table>")
        .head("time", "database", "host", "step", "kept at", "bytes", "sha256")
        .raw("<tbody>");
    for (RunEvent.BackupTaken b : backups) {
      h.row(
          "#" + Names.clock(b.at()),
          b.database(),
          data.plan().inventory().host(b.host()).name(),
          Names.step(data.plan(), b.stage(), b.step()),
          b.path(),
          "#" + Count.of(b.bytes()),
          b.sha256());
    }
    h.raw("</tbody></table>\n");
  }
}
