package io.upshift.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.TestPlans;
import io.upshift.clock.VirtualClock;
import io.upshift.engine.Engine;
import io.upshift.engine.RunEvent;
import io.upshift.engine.RunState;
import io.upshift.engine.sim.SimTarget;
import io.upshift.plan.Fault;
import io.upshift.plan.Plan;
import io.upshift.plan.PlanLoader;
import io.upshift.source.Position;
import io.upshift.verify.Verifier;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the report gathers from events that only some runs have: probes, snapshot comparisons and
 * backups; and that it stays aggregated on a fleet of thousands of hosts with failures.
 */
class ReportDataTest {
  @TempDir Path dir;

  private Plan plan(int cells, int perCell) {
    String plan =
        TestPlans.header("report data")
            + "stages:\n"
            + "  - name: Roll\n"
            + "    steps:\n"
            + "      - stop: app\n"
            + "        waves: {batch: 10%, max-failures: 50%}\n"
            + "      - upgrade: app\n"
            + "        waves: {batch: 25%, group-by: cell, max-failures: 50%}\n"
            + "      - start: app\n"
            + "        check: {command: \"true\"}\n"
            + "        waves: {max-failures: 50%}\n";
    return PlanLoader.load(TestPlans.write(dir, plan, TestPlans.fleet(cells, perCell)));
  }

  private static ReportData rehearse(Plan plan, double fault) {
    ReportData data = new ReportData(plan, new ReportData.Header(null, "sim", 1, true, 0));
    VirtualClock clock = new VirtualClock();
    var faults =
        fault == 0
            ? List.<Fault>of()
            : List.of(new Fault(null, null, fault, new Position(Path.of("t"), 1, 1)));
    new Engine(plan, new SimTarget(plan, clock, 1, faults), clock, 1).listen(data).run();
    return data;
  }

  @Test
  void probesSnapshotsAndBackupsAreShownWhenARunHasThem() {
    Plan plan = plan(2, 5);
    ReportData data = rehearse(plan, 0);
    RunState state = new RunState(plan);
    long end = data.makespan();
    data.onEvent(
        new RunEvent.ProbeChanged(1000, "service", "http-versions", false, "HTTP 503"), state);
    data.onEvent(new RunEvent.ProbeChanged(61_000, "service", "http-versions", true, ""), state);
    data.onEvent(new RunEvent.ProbeTally(end, "service", "http-versions", 120, 12), state);
    data.onEvent(
        new RunEvent.SnapshotCompared(
            2000,
            0,
            1,
            3,
            "flavors",
            false,
            "--- before\n+++ after\n@@ -1 +1 @@\n-m1.small\n+m1.tiny\n"),
        state);
    data.onEvent(new RunEvent.SnapshotCompared(2000, 0, 1, 4, "flavors", true, ""), state);
    data.onEvent(
        new RunEvent.BackupTaken(
            3000, 0, 0, 0, "nova", "/var/backups/nova.sql.gz", 123_456_789, "ab12cd"),
        state);
    String html = HtmlReport.render(data, Verifier.verify(plan, true), 0);
    assertThat(html)
        .contains("http-versions")
        .contains("HTTP 503")
        .contains("1m") // the probe's downtime
        .contains("<span class=\"del\">-m1.small</span>")
        .contains("<span class=\"add\">+m1.tiny</span>")
        .contains("flavors</strong>")
        .contains("differs on 1 host(s)")
        .contains("equal on 1 host(s)")
        .contains("/var/backups/nova.sql.gz")
        .contains("123,456,789")
        .contains("ab12cd")
        .contains("\"probe\":\"http-versions\"");
  }

  @Test
  void aFleetOfThousandsWithFailuresStaysAggregated() {
    Plan plan = plan(10, 250); // 2,500 hosts
    ReportData data = rehearse(plan, 0.05);
    long failed = data.failures().stream().mapToLong(g -> g.count).sum();
    assertThat(failed).isGreaterThan(50);
    assertThat(data.failures().size()).as("grouped by step and reason").isLessThan(10);
    assertThat(data.failures()).allSatisfy(g -> assertThat(g.hosts).hasSizeLessThanOrEqualTo(50));
    String html = HtmlReport.render(data, null, 0);
    assertThat(html.length()).isLessThan(1_400_000);
    assertThat(html.split("<tr>", -1).length).isLessThan(600);
    assertThat(html).contains("by site/cell").contains("s1/c07");
  }
}
