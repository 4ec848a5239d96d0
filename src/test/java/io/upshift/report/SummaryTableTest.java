package io.upshift.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.TestPlans;
import io.upshift.engine.RunEvent;
import io.upshift.engine.RunStatus;
import io.upshift.engine.RunSummary;
import io.upshift.plan.Plan;
import io.upshift.plan.PlanLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The closing table of a run, as a person reads it at the end or at a pause. */
class SummaryTableTest {
  @TempDir Path dir;

  @Test
  void aStagePausedAtAGateShowsItsTimeSoFarNotANegativeDuration() {
    Plan plan =
        PlanLoader.load(
            TestPlans.write(
                dir,
                TestPlans.header("gated")
                    + """
                    stages:
                      - name: One
                        steps:
                          - command: "true"
                            on: all
                      - name: Two
                        steps:
                          - approve: "go on?"
                          - command: "true"
                            on: all
                    """,
                TestPlans.fleet(1, 2)));
    RunSummary summary = new RunSummary(plan, "local", 1);
    summary.onEvent(new RunEvent.StageStarted(0, 0), null);
    summary.onEvent(new RunEvent.StageFinished(600_000, 0, RunStatus.SUCCEEDED), null);
    summary.onEvent(new RunEvent.StageStarted(600_000, 1), null);
    summary.onEvent(new RunEvent.RunPaused(900_000, 1, 0, "approval needed: go on?"), null);

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SummaryTable.print(summary, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String table = bytes.toString(StandardCharsets.UTF_8);
    assertThat(table)
        .contains("PAUSED after 0:15:00")
        .containsPattern("One +succeeded +0:00:00 +0:10:00 +10m ")
        .containsPattern("Two +paused +0:10:00 +- +5m ")
        .doesNotContain("-10m")
        .doesNotContain("-9");
  }
}
