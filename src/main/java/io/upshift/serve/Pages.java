package io.upshift.serve;

import static io.upshift.report.Html.esc;

import io.upshift.journal.Requests;
import io.upshift.journal.RunRecord;
import io.upshift.plan.DurationModel;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** The dashboard's pages around the parts that change: the layout, the runs list, the run page. */
final class Pages {
  private Pages() {}

  static final String HTMX = "/webjars/htmx.org/2.0.10/dist/htmx.min.js";
  static final String HTMX_SSE = "/webjars/htmx-ext-sse/2.2.2/sse.js";
  static final String ECHARTS = "/webjars/echarts/5.5.0/echarts.min.js";

  /** A whole page: the title escaped, the body as given (already escaped where it must be). */
  static String layout(String title, String body, boolean scripts) {
    return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>"
        + esc(title)
        + " · Upshift</title><link rel=\"stylesheet\" href=\"/assets/dashboard.css\">"
        + (scripts
            ? "<script src=\""
                + HTMX
                + "\" defer></script><script src=\""
                + HTMX_SSE
                + "\" defer></script><script src=\""
                + ECHARTS
                + "\" defer></script>"
            : "")
        + "<script src=\"/assets/dashboard.js\" defer></script></head><body>"
        + "<header><a href=\"/\" class=\"home\">Upshift</a>"
        + "<span id=\"mode\" class=\"mode ro\">read-only: no steering token</span>"
        + "<form id=\"token-form\" class=\"token\"><input id=\"token\" type=\"password\""
        + " autocomplete=\"off\" placeholder=\"steering token\" aria-label=\"steering token\">"
        + "<button type=\"submit\">Use</button></form></header><main>"
        + body
        + "</main></body></html>";
  }

  /** One row of the runs list. */
  record RunRow(RunRecord record, List<String> approvals) {}

  /** The runs list, filtered by status and plan (empty: all). */
  static String runs(List<RunRow> rows, String status, String plan, String journal, long now) {
    StringBuilder b = new StringBuilder();
    b.append("<h1>Runs</h1><p class=\"note\">Journal: ")
        .append(esc(journal))
        .append("</p><form class=\"filters\" method=\"get\" action=\"/\">")
        .append("<label>Status <input name=\"status\" value=\"")
        .append(esc(status))
        .append("\" placeholder=\"running, paused, succeeded…\"></label> ")
        .append("<label>Plan <input name=\"plan\" value=\"")
        .append(esc(plan))
        .append("\" placeholder=\"part of the plan's name\"></label> ")
        .append("<button type=\"submit\">Filter</button></form>")
        .append("<table class=\"grid runs\" id=\"runs\"><thead><tr><th>run</th><th>status</th>")
        .append("<th>plan</th><th>target</th><th>start</th><th>duration</th>")
        .append("<th>approvals</th></tr></thead><tbody>");
    for (RunRow row : rows) {
      RunRecord r = row.record();
      b.append("<tr data-status=\"")
          .append(esc(r.statusWord()))
          .append("\"><td><a href=\"/runs/")
          .append(Links.path(r.id()))
          .append("\">")
          .append(esc(r.id()))
          .append("</a></td><td><span class=\"badge s-")
          .append(esc(r.statusWord()))
          .append("\">")
          .append(esc(r.statusWord()))
          .append("</span>")
          .append(r.gate().isEmpty() ? "" : " (waits at a gate)")
          .append("</td><td>")
          .append(esc(r.planName()))
          .append("</td><td>")
          .append(esc(r.target()))
          .append("</td><td>")
          .append(
              esc(r.createdAt().length() >= 19 ? r.createdAt().substring(0, 19) : r.createdAt()))
          .append("</td><td>")
          .append(duration(r, now))
          .append("</td><td>")
          .append(esc(String.join("; ", row.approvals())))
          .append("</td></tr>");
    }
    b.append("</tbody></table>");
    if (rows.isEmpty()) {
      b.append("<p>No run matches.</p>");
    }
    return b.toString();
  }

  /** From the run's creation to its last change when it has ended, else to now (wall clock). */
  static String duration(RunRecord r, long now) {
    try {
      long start = Instant.parse(r.createdAt()).toEpochMilli();
      long end = Requests.terminal(r.status()) ? Instant.parse(r.updatedAt()).toEpochMilli() : now;
      Duration d = Duration.ofMillis(Math.max(0, end - start));
      return DurationModel.format(d.toMillis());
    } catch (DateTimeParseException e) {
      return "";
    }
  }

  /** The run page, with its parts as last rendered; the browser then follows the stream. */
  static String run(RunRecord r, Map<String, String> parts) {
    String id = Links.path(r.id());
    StringBuilder b = new StringBuilder();
    b.append("<div id=\"run\" data-run=\"")
        .append(esc(r.id()))
        .append("\" hx-ext=\"sse\" sse-connect=\"/runs/")
        .append(id)
        .append("/events\"><h1>Run ")
        .append(esc(r.id()))
        .append(" <a class=\"small\" href=\"/runs/")
        .append(id)
        .append("/report\">report</a></h1>");
    section(b, "status", "Status", parts);
    b.append("<section id=\"steer\"><h2>Steer</h2>")
        .append("<p class=\"note\">Each act is recorded in the journal with your name and")
        .append(" comment, as the same command would be from a terminal.</p>")
        .append("<form id=\"steer-form\" onsubmit=\"return false\">")
        .append(
            "<label>Your name <input id=\"by\" name=\"by\" required maxlength=\"100\"></label> ")
        .append("<label>Comment <input id=\"comment\" name=\"comment\" maxlength=\"1000\"></label>")
        .append("<div class=\"buttons\">")
        .append(button("pause", "Pause"))
        .append(button("resume", "Resume"))
        .append(button("abort", "Abort"))
        .append(button("abort-undo", "Abort and undo the stage"))
        .append(button("approve", "Approve the gate"))
        .append(button("reject", "Reject the gate"))
        .append("</div></form><p id=\"steer-result\" role=\"status\"></p>");
    section(b, "approvals", null, parts);
    b.append("</section>");
    section(b, "stages", "Stages, steps and waves", parts);
    section(b, "capabilities", "Capabilities", parts);
    section(b, "hosts", "Hosts by site and cell", parts);
    section(b, "failures", "Failures", parts);
    section(b, "audit", "Audit trail", parts);
    return b.append("</div>").toString();
  }

  private static String button(String act, String label) {
    return "<button type=\"button\" class=\"act\" data-act=\""
        + act
        + "\" id=\"act-"
        + act
        + "\">"
        + label
        + "</button> ";
  }

  private static void section(
      StringBuilder b, String part, String title, Map<String, String> parts) {
    if (title != null) {
      b.append("<section><h2>").append(title).append("</h2>");
    }
    b.append("<div id=\"part-")
        .append(part)
        .append("\" sse-swap=\"")
        .append(part)
        .append("\">")
        .append(parts.getOrDefault(part, ""))
        .append("</div>");
    if (title != null) {
      b.append("</section>");
    }
  }

  /** A page that says what went wrong and what to do. */
  static String problem(String title, String message) {
    return layout(
        title, "<h1>" + esc(title) + "</h1><p class=\"error\">" + esc(message) + "</p>", false);
  }
}
