package io.upshift.serve;

import static io.upshift.report.Html.esc;

import io.upshift.engine.Estimate;
import io.upshift.engine.RunState;
import io.upshift.engine.RunSummary;
import io.upshift.engine.StepProgress;
import io.upshift.inventory.Host;
import io.upshift.journal.Requests;
import io.upshift.journal.RunRecord;
import io.upshift.plan.DurationModel;
import io.upshift.serve.LiveRun.HostState;
import io.upshift.verify.Verifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of a run page that change as the run goes on, rendered from what the watcher folded:
 * status, approvals, stages and waves, hosts by site and cell, capabilities, failures and the audit
 * trail. Each part is pushed whole to the browsers; every text from the plan, the hosts or the
 * operators is escaped.
 */
final class RunPage {
  /** The parts, in the order of the page. */
  static final List<String> PARTS =
      List.of("status", "approvals", "stages", "capabilities", "hosts", "failures", "audit");

  /** How many waves of the step in progress are listed, newest first. */
  static final int WAVES_SHOWN = 30;

  private final RunRecord record;
  private final LiveRun live;
  private final RunSummary summary;
  private final RunState state;
  private final Estimate estimate;
  private final Verifier.Report predicted;
  private final long seq;
  private final long journalSeq;
  private final String error;

  RunPage(
      RunRecord record,
      LiveRun live,
      RunSummary summary,
      RunState state,
      Estimate estimate,
      Verifier.Report predicted,
      long seq,
      long journalSeq,
      String error) {
    this.record = record;
    this.live = live;
    this.summary = summary;
    this.state = state;
    this.estimate = estimate;
    this.predicted = predicted;
    this.seq = seq;
    this.journalSeq = journalSeq;
    this.error = error;
  }

  Map<String, String> parts() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("status", oneLine(status()));
    m.put("approvals", oneLine(approvals()));
    m.put("stages", oneLine(stages()));
    m.put("capabilities", oneLine(capabilities()));
    m.put("hosts", oneLine(hosts()));
    m.put("failures", oneLine(failures()));
    m.put("audit", oneLine(audit()));
    return m;
  }

  /**
   * A part on one line, as a server-sent event's data is: line breaks (kept in outputs) become
   * character references, which HTML reads back as line breaks.
   */
  static String oneLine(String html) {
    return html.replace("\r", "").replace("\n", "&#10;");
  }

  private String status() {
    StringBuilder b = new StringBuilder();
    String status = record.statusWord();
    long now = System.currentTimeMillis();
    b.append("<div id=\"status-line\" data-seq=\"")
        .append(seq)
        .append("\" data-status=\"")
        .append(esc(status))
        .append("\"><span class=\"badge s-")
        .append(esc(status))
        .append("\">")
        .append(esc(status))
        .append("</span>");
    if (!record.detail().isEmpty()) {
      b.append(" <span class=\"detail\">").append(esc(record.detail())).append("</span>");
    }
    b.append("</div><dl class=\"facts\">");
    fact(b, "plan", esc(record.planName()));
    fact(
        b,
        "target",
        esc(record.target()) + (record.target().equals("sim") ? ", seed " + record.seed() : ""));
    int n = live.plan().inventory().size();
    fact(
        b,
        "hosts",
        n
            + ": "
            + live.count(HostState.DONE)
            + " done, "
            + live.count(HostState.RUNNING)
            + " running, "
            + live.count(HostState.FAILED)
            + " failed, "
            + live.count(HostState.WAITING)
            + " untouched");
    if (state.stage() >= 0 && state.currentStage() != null) {
      String now2 = esc(state.currentStage().name());
      if (state.progress() != null) {
        StepProgress p = state.progress();
        now2 += " / " + esc(p.step().describe()) + " (" + p.done() + " of " + p.total() + " hosts)";
      }
      fact(b, "now at", now2);
    }
    fact(b, "run clock", clock(live.lastAt()));
    if (!Requests.terminal(record.status())) {
      long eta;
      try {
        eta = estimate.remainingMillis(state);
      } catch (RuntimeException e) {
        eta = -1;
      }
      fact(b, "ETA", eta < 0 ? "unknown" : DurationModel.format(eta) + " (run clock)");
    }
    fact(
        b,
        "driver",
        record.live(now)
            ? esc(record.owner())
            : record.owner() == null
                ? "none (resume it with: upshift resume " + esc(record.id()) + ")"
                : "silent: " + esc(record.owner()));
    fact(
        b,
        "events",
        seq
            + (journalSeq > seq
                ? " of " + journalSeq + " read (catching up)"
                : " (journal " + esc(record.updatedAt()) + ")"));
    b.append("</dl>");
    if (error != null) {
      b.append("<p class=\"error\">").append(esc(error)).append("</p>");
    }
    return b.toString();
  }

  private static void fact(StringBuilder b, String name, String html) {
    b.append("<dt>").append(name).append("</dt><dd>").append(html).append("</dd>");
  }

  private String approvals() {
    if (record.gate().isEmpty()) {
      return "<p id=\"gate\" data-gate=\"\">No approval is waiting.</p>";
    }
    return "<p id=\"gate\" data-gate=\""
        + esc(record.gate())
        + "\" class=\"waiting\">Waiting for approval: <b>"
        + esc(gateName(record.gate()))
        + "</b></p>";
  }

  private String gateName(String gate) {
    String[] parts = gate.split("\\.");
    try {
      return live.step(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    } catch (RuntimeException e) {
      return "step " + gate;
    }
  }

  private String stages() {
    StringBuilder b =
        new StringBuilder(
            "<table class=\"grid\"><thead><tr><th>stage</th><th>status</th><th>start</th>"
                + "<th>end</th><th>length</th><th>actions ok</th><th>failed</th></tr></thead><tbody>");
    for (RunSummary.StageResult s : summary.stages()) {
      boolean started = s.start() >= 0;
      b.append("<tr class=\"st-")
          .append(started ? esc(s.status().word()) : "pending")
          .append("\"><td>")
          .append(esc(s.name()))
          .append("</td><td>")
          .append(started ? esc(s.status().word()) : "pending")
          .append("</td><td>")
          .append(started ? clock(s.start()) : "")
          .append("</td><td>")
          .append(started && s.end() >= s.start() ? clock(s.end()) : "")
          .append("</td><td>")
          .append(started && s.end() >= s.start() ? DurationModel.format(s.end() - s.start()) : "")
          .append("</td><td>")
          .append(s.succeeded())
          .append("</td><td>")
          .append(s.failed())
          .append("</td></tr>");
    }
    b.append("</tbody></table>");
    StepProgress p = state.progress();
    if (p != null) {
      b.append("<h3>Step in progress: ")
          .append(esc(p.step().describe()))
          .append("</h3><p>")
          .append(p.succeeded())
          .append(" succeeded, ")
          .append(p.failed())
          .append(" failed (budget ")
          .append(p.budget())
          .append("), ")
          .append(p.skipped())
          .append(" skipped, of ")
          .append(p.total())
          .append(" hosts</p>");
    }
    List<LiveRun.Wave> waves = live.waves();
    if (!waves.isEmpty()) {
      b.append(
          "<table class=\"grid waves\"><thead><tr><th>group</th><th>wave</th><th>hosts</th>"
              + "<th>done</th><th>failed</th><th>started</th></tr></thead><tbody>");
      // newest first: the waves in progress are on top
      int oldest = Math.max(0, waves.size() - WAVES_SHOWN);
      for (int i = waves.size() - 1; i >= oldest; i--) {
        LiveRun.Wave w = waves.get(i);
        b.append("<tr><td>")
            .append(esc(w.group))
            .append("</td><td>")
            .append(w.number + 1)
            .append("</td><td>")
            .append(w.hosts)
            .append("</td><td>")
            .append(w.done)
            .append("</td><td>")
            .append(w.failed)
            .append("</td><td>")
            .append(clock(w.start))
            .append("</td></tr>");
      }
      b.append("</tbody></table>");
      int hidden = live.wavesDropped() + oldest;
      if (hidden > 0) {
        b.append("<p class=\"note\">")
            .append(hidden)
            .append(" earlier waves of this step not shown</p>");
      }
    }
    return b.toString();
  }

  private String capabilities() {
    StringBuilder b =
        new StringBuilder(
            "<table class=\"grid\"><thead><tr><th>capability</th><th>now</th><th>down so far</th>"
                + "<th>windows so far (run clock)</th><th>windows the plan predicts</th></tr>"
                + "</thead><tbody>");
    Map<String, List<RunSummary.Window>> so = summary.windows();
    Map<String, List<RunSummary.Window>> pred =
        predicted == null ? Map.of() : predicted.expected().windows();
    StringBuilder chart = new StringBuilder("[");
    for (var e : live.capabilities().entrySet()) {
      String cap = e.getKey();
      boolean up = e.getValue();
      List<RunSummary.Window> w = so.getOrDefault(cap, List.of());
      b.append("<tr><td>")
          .append(esc(cap))
          .append("</td><td class=\"")
          .append(up ? "up\">up" : "down\">down")
          .append("</td><td>")
          .append(DurationModel.format(summary.downtime(cap)))
          .append("</td><td>")
          .append(windows(w))
          .append("</td><td>")
          .append(predicted == null ? "…" : windows(pred.getOrDefault(cap, List.of())))
          .append("</td></tr>");
      chartRow(chart, cap, "measured", w);
      chartRow(chart, cap, "predicted", pred.getOrDefault(cap, List.of()));
    }
    if (chart.length() > 1) {
      chart.setLength(chart.length() - 1);
    }
    chart.append(']');
    b.append("</tbody></table><div id=\"windows-chart\" data-windows=\"")
        .append(esc(chart.toString()))
        .append("\"></div>");
    return b.toString();
  }

  private static void chartRow(
      StringBuilder chart, String cap, String kind, List<RunSummary.Window> windows) {
    for (RunSummary.Window w : windows) {
      chart
          .append("{\"c\":\"")
          .append(jsonText(cap))
          .append("\",\"k\":\"")
          .append(kind)
          .append("\",\"s\":")
          .append(w.start())
          .append(",\"e\":")
          .append(w.end())
          .append("},");
    }
  }

  /** A string as JSON writes it inside quotes. */
  static String jsonText(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static String windows(List<RunSummary.Window> windows) {
    if (windows.isEmpty()) {
      return "none";
    }
    StringBuilder b = new StringBuilder();
    int shown = 0;
    for (RunSummary.Window w : windows) {
      if (shown++ == 8) {
        b.append(" … ").append(windows.size() - 8).append(" more");
        break;
      }
      b.append(shown > 1 ? ", " : "")
          .append(clock(w.start()))
          .append("–")
          .append(w.open() ? "now" : clock(w.end()));
    }
    return b.toString();
  }

  private String hosts() {
    Map<String, Map<String, int[]>> sites = new LinkedHashMap<>();
    var inv = live.plan().inventory();
    int n = inv.size();
    int kinds = HostState.values().length;
    for (int i = 0; i < n; i++) {
      Host h = inv.host(i);
      int[] c =
          sites
              .computeIfAbsent(h.site(), k -> new LinkedHashMap<>())
              .computeIfAbsent(h.cell(), k -> new int[kinds]);
      c[live.host(i).ordinal()]++;
    }
    StringBuilder b =
        new StringBuilder(
            "<table class=\"grid hosts\"><thead><tr><th>site / cell</th><th>hosts</th>"
                + "<th>done</th><th>running</th><th>failed</th><th>untouched</th><th></th></tr>"
                + "</thead><tbody>");
    String run = Links.path(record.id());
    for (var site : sites.entrySet()) {
      int[] total = new int[kinds];
      site.getValue().values().forEach(c -> add(total, c));
      row(b, "<b>" + esc(site.getKey()) + "</b>", total, "site");
      for (var cell : site.getValue().entrySet()) {
        String link =
            "<a href=\"/runs/"
                + run
                + "/cells/"
                + Links.path(site.getKey())
                + "/"
                + Links.path(cell.getKey())
                + "\">"
                + esc(cell.getKey())
                + "</a>";
        row(b, link, cell.getValue(), "cell");
      }
    }
    b.append(
        "</tbody></table><form class=\"find\" method=\"get\" action=\"/runs/"
            + run
            + "/host\"><label>Host <input name=\"name\" required></label>"
            + " <button type=\"submit\">Show</button></form>");
    return b.toString();
  }

  private static void add(int[] to, int[] c) {
    for (int i = 0; i < c.length; i++) {
      to[i] += c[i];
    }
  }

  private static void row(StringBuilder b, String name, int[] c, String kind) {
    int total = 0;
    for (int x : c) {
      total += x;
    }
    int done = c[HostState.DONE.ordinal()];
    int running = c[HostState.RUNNING.ordinal()];
    int failed = c[HostState.FAILED.ordinal()];
    int waiting = c[HostState.WAITING.ordinal()];
    b.append("<tr class=\"")
        .append(kind)
        .append("\"><td>")
        .append(name)
        .append("</td><td>")
        .append(total)
        .append("</td><td>")
        .append(done)
        .append("</td><td>")
        .append(running)
        .append("</td><td>")
        .append(failed)
        .append("</td><td>")
        .append(waiting)
        .append("</td><td class=\"bar\">")
        .append(bar("done", done, total))
        .append(bar("running", running, total))
        .append(bar("failed", failed, total))
        .append("</td></tr>");
  }

  private static String bar(String kind, int n, int total) {
    if (n == 0 || total == 0) {
      return "";
    }
    return "<span class=\"b-"
        + kind
        + "\" style=\"width:"
        + Math.max(1, n * 100 / total)
        + "%\"></span>";
  }

  private String failures() {
    var list = live.failures();
    StringBuilder b = new StringBuilder();
    b.append("<p>")
        .append(live.actionsFailed())
        .append(" failed action(s)")
        .append(list.size() < live.actionsFailed() ? "; the last " + list.size() + " shown" : "")
        .append("</p>");
    var inv = live.plan().inventory();
    String run = Links.path(record.id());
    var it = list.descendingIterator();
    while (it.hasNext()) {
      LiveRun.Failure f = it.next();
      String host = f.host() < inv.size() ? inv.host(f.host()).name() : "#" + (f.host() + 1);
      b.append("<details class=\"failure\"><summary>")
          .append(clock(f.at()))
          .append(" <a href=\"/runs/")
          .append(run)
          .append("/hosts/")
          .append(Links.path(host))
          .append("\">")
          .append(esc(host))
          .append("</a> ")
          .append(esc(live.step(f.stage(), f.step())))
          .append(" (")
          .append(esc(f.phase().word()))
          .append("): ")
          .append(esc(f.reason()))
          .append("</summary><pre>")
          .append(esc(f.output()))
          .append("</pre></details>");
    }
    return b.toString();
  }

  private String audit() {
    var lines = live.audit();
    if (lines.isEmpty()) {
      return "<p>Nothing yet.</p>";
    }
    StringBuilder b = new StringBuilder("<ul class=\"audit\">");
    var it = lines.descendingIterator();
    while (it.hasNext()) {
      LiveRun.Audit a = it.next();
      b.append("<li><span class=\"at\">")
          .append(clock(a.at()))
          .append("</span> ")
          .append(esc(a.text()))
          .append("</li>");
    }
    return b.append("</ul>").toString();
  }

  /** Milliseconds of the run clock as h:mm:ss. */
  static String clock(long millis) {
    if (millis < 0) {
      return "";
    }
    long s = millis / 1000;
    return String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  }
}
