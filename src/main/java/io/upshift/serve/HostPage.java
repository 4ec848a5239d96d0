package io.upshift.serve;

import static io.upshift.report.Html.esc;

import io.upshift.inventory.Host;
import io.upshift.journal.RunRecord;
import io.upshift.plan.DurationModel;
import io.upshift.plan.Plan;

/**
 * The drill-down of a run page: one cell's hosts with their states, and one host's actions with
 * their steps, times and output.
 */
final class HostPage {
  /** How many hosts of a cell one page lists. */
  static final int CELL_ROWS = 2000;

  private final RunRecord record;
  private final LiveRun live;
  private final Plan plan;

  HostPage(RunRecord record, LiveRun live, Plan plan) {
    this.record = record;
    this.live = live;
    this.plan = plan;
  }

  /** A host's page body, or null when the plan's inventory has no such host. */
  String render(String name) {
    var found = plan.inventory().host(name);
    if (found.isEmpty()) {
      return null;
    }
    Host h = found.get();
    StringBuilder b = new StringBuilder();
    b.append("<h2>Host ")
        .append(esc(h.name()))
        .append("</h2><dl class=\"facts\"><dt>site / cell</dt><dd>")
        .append(esc(h.site()))
        .append(" / ")
        .append(esc(h.cell()))
        .append("</dd><dt>state</dt><dd id=\"host-state\">")
        .append(live.host(h.index()).word())
        .append("</dd><dt>roles</dt><dd>")
        .append(esc(String.join(", ", h.roles())))
        .append("</dd></dl><table class=\"grid\"><thead><tr><th>step</th><th>phase</th>")
        .append("<th>start</th><th>end</th><th>length</th><th>result</th><th>output</th>")
        .append("</tr></thead><tbody>");
    var actions = live.actions(h.index());
    for (var a : actions) {
      b.append("<tr><td>")
          .append(esc(live.step(a.stage(), a.step())))
          .append("</td><td>")
          .append(esc(a.phase().word()))
          .append("</td><td>")
          .append(RunPage.clock(a.start()))
          .append("</td><td>")
          .append(a.finished() ? RunPage.clock(a.end()) : "")
          .append("</td><td>")
          .append(a.finished() ? DurationModel.format(a.end() - a.start()) : "running")
          .append("</td><td class=\"")
          .append(!a.finished() ? "running\">running" : a.ok() ? "up\">ok" : "down\">failed")
          .append(a.finished() ? " (exit " + a.exitCode() + ")" : "")
          .append(a.reason().isEmpty() ? "" : " " + esc(a.reason()))
          .append("</td><td><pre>")
          .append(esc(a.output()))
          .append("</pre></td></tr>");
    }
    b.append("</tbody></table>");
    if (actions.size() >= LiveRun.ACTIONS_PER_HOST) {
      b.append("<p class=\"note\">The last ")
          .append(LiveRun.ACTIONS_PER_HOST)
          .append(" actions are shown; `upshift report ")
          .append(esc(record.id()))
          .append("` has the whole run.</p>");
    }
    return b.toString();
  }

  /** A cell's hosts, or null when there is no such cell. */
  String cell(String site, String cell) {
    StringBuilder rows = new StringBuilder();
    int n = 0;
    int shown = 0;
    String run = Links.path(record.id());
    for (Host h : plan.inventory().hosts()) {
      if (!h.site().equals(site) || !h.cell().equals(cell)) {
        continue;
      }
      n++;
      if (shown++ >= CELL_ROWS) {
        continue;
      }
      String state = live.host(h.index()).word();
      rows.append("<tr class=\"h-")
          .append(state)
          .append("\"><td><a href=\"/runs/")
          .append(run)
          .append("/hosts/")
          .append(Links.path(h.name()))
          .append("\">")
          .append(esc(h.name()))
          .append("</a></td><td>")
          .append(state)
          .append("</td></tr>");
    }
    if (n == 0) {
      return null;
    }
    return "<h2>Cell "
        + esc(site)
        + " / "
        + esc(cell)
        + ": "
        + n
        + " hosts</h2>"
        + (n > CELL_ROWS ? "<p class=\"note\">The first " + CELL_ROWS + " are listed.</p>" : "")
        + "<table class=\"grid\"><thead><tr><th>host</th><th>state</th></tr></thead><tbody>"
        + rows
        + "</tbody></table>";
  }
}
