package io.upshift.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.TestPlans;
import io.upshift.engine.Execution.Phase;
import io.upshift.engine.RunEvent.ActionFinished;
import io.upshift.engine.RunEvent.ActionStarted;
import io.upshift.engine.RunEvent.Approved;
import io.upshift.engine.RunEvent.BatchStarted;
import io.upshift.engine.RunEvent.PauseStarted;
import io.upshift.engine.RunEvent.RunFinished;
import io.upshift.engine.RunEvent.RunHalted;
import io.upshift.engine.RunEvent.StageFinished;
import io.upshift.engine.RunEvent.StageStarted;
import io.upshift.engine.RunEvent.StepFinished;
import io.upshift.engine.RunEvent.StepStarted;
import io.upshift.plan.PlanLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decider's moves, one state at a time: what it returns is checked against the wave rules, with
 * the events fed back by hand as the engine would.
 */
class DeciderTest {
  @TempDir Path dir;

  private RunState state(String steps, int hosts) {
    String plan =
        TestPlans.header("decide")
            + "stages:\n  - name: A\n    steps:\n"
            + steps
            + "  - name: B\n    steps:\n      - approve: go?\n";
    RunState s =
        new RunState(PlanLoader.load(TestPlans.write(dir, plan, TestPlans.fleet(1, hosts))));
    s.apply(new RunEvent.RunStarted(0, "decide", "sim", 1, hosts, true));
    return s;
  }

  private static List<RunEvent> decideAndApply(RunState s, long now) {
    List<RunEvent> events = Decider.decide(s, now);
    events.forEach(s::apply);
    return events;
  }

  private static ActionFinished ok(long at, int host, Phase phase) {
    return new ActionFinished(at, 0, 0, host, phase, Outcome.success(0, ""));
  }

  private static ActionFinished failed(long at, int host) {
    return new ActionFinished(at, 0, 0, host, Phase.ACTION, Outcome.failure(1, "", "boom"));
  }

  @Test
  void stagesStepsAndBatchesStartInOrderAndWaitForTheBatch() {
    RunState s = state("      - restart: app\n        waves: {batch: 2}\n", 3);
    assertThat(decideAndApply(s, 0)).containsExactly(new StageStarted(0, 0));
    assertThat(decideAndApply(s, 0)).containsExactly(new StepStarted(0, 0, 0, 3, 0));
    List<RunEvent> batch = decideAndApply(s, 0);
    assertThat(batch).hasSize(3);
    assertThat(batch.get(0))
        .isInstanceOfSatisfying(
            BatchStarted.class, b -> assertThat(b.hosts()).containsExactly(0, 1));
    assertThat(batch.subList(1, 3))
        .containsExactly(
            new ActionStarted(0, 0, 0, 0, Phase.ACTION),
            new ActionStarted(0, 0, 0, 1, Phase.ACTION));
    assertThat(decideAndApply(s, 5)).as("batch in flight: wait").isEmpty();
    s.apply(ok(90, 0, Phase.ACTION));
    assertThat(decideAndApply(s, 90)).as("one host of the batch still running").isEmpty();
    s.apply(ok(95, 1, Phase.ACTION));
    List<RunEvent> second = decideAndApply(s, 95);
    assertThat(second.get(0))
        .isInstanceOfSatisfying(
            BatchStarted.class,
            b -> {
              assertThat(b.batch()).isEqualTo(2);
              assertThat(b.hosts()).containsExactly(2);
            });
    s.apply(ok(180, 2, Phase.ACTION));
    assertThat(decideAndApply(s, 180)).containsExactly(new StepFinished(180, 0, 0, 3, 0, 0));
    assertThat(decideAndApply(s, 180))
        .containsExactly(new StageFinished(180, 0, RunStatus.SUCCEEDED));
    assertThat(decideAndApply(s, 180)).containsExactly(new StageStarted(180, 1));
    assertThat(decideAndApply(s, 180)).containsExactly(new StepStarted(180, 1, 0, 0, 0));
    assertThat(decideAndApply(s, 180)).hasSize(2).first().isInstanceOf(Approved.class);
    assertThat(decideAndApply(s, 180))
        .containsExactly(new StageFinished(180, 1, RunStatus.SUCCEEDED));
    assertThat(decideAndApply(s, 180)).containsExactly(new RunFinished(180, RunStatus.SUCCEEDED));
    assertThat(decideAndApply(s, 180)).isEmpty();
    assertThat(s.status()).isEqualTo(RunStatus.SUCCEEDED);
  }

  @Test
  void aPauseSeparatesBatchesButDoesNotFollowTheLast() {
    RunState s = state("      - restart: app\n        waves: {batch: 1, pause: 30s}\n", 2);
    decideAndApply(s, 0);
    decideAndApply(s, 0);
    decideAndApply(s, 0);
    s.apply(ok(10, 0, Phase.ACTION));
    assertThat(decideAndApply(s, 10)).containsExactly(new PauseStarted(10, 0, 0, 0, 30_010));
    assertThat(decideAndApply(s, 20_000)).as("still pausing").isEmpty();
    assertThat(decideAndApply(s, 30_010)).first().isInstanceOf(BatchStarted.class);
    s.apply(ok(30_020, 1, Phase.ACTION));
    assertThat(decideAndApply(s, 30_020))
        .as("no pause after the last batch")
        .containsExactly(new StepFinished(30_020, 0, 0, 2, 0, 0));
  }

  @Test
  void anAttachedCheckRunsAfterTheActionAndGatesTheHost() {
    RunState s = state("      - restart: app\n        check: \"true\"\n", 1);
    decideAndApply(s, 0);
    decideAndApply(s, 0);
    decideAndApply(s, 0);
    s.apply(ok(10, 0, Phase.ACTION));
    assertThat(decideAndApply(s, 10)).containsExactly(new ActionStarted(10, 0, 0, 0, Phase.CHECK));
    assertThat(decideAndApply(s, 11)).isEmpty();
    s.apply(ok(20, 0, Phase.CHECK));
    assertThat(decideAndApply(s, 20)).containsExactly(new StepFinished(20, 0, 0, 1, 0, 0));
  }

  @Test
  void anExceededBudgetHaltsLetsTheBatchFinishThenEndsTheRun() {
    RunState s = state("      - restart: app\n        waves: {batch: 2, max-failures: 0}\n", 4);
    decideAndApply(s, 0);
    decideAndApply(s, 0);
    decideAndApply(s, 0);
    s.apply(failed(10, 0));
    assertThat(decideAndApply(s, 10)).singleElement().isInstanceOf(RunHalted.class);
    assertThat(s.halted()).isTrue();
    assertThat(s.status()).as("halting, not yet halted").isEqualTo(RunStatus.RUNNING);
    assertThat(decideAndApply(s, 10)).as("host 1 is still in flight").isEmpty();
    s.apply(ok(12, 1, Phase.ACTION));
    assertThat(decideAndApply(s, 12)).containsExactly(new StepFinished(12, 0, 0, 1, 1, 0));
    assertThat(decideAndApply(s, 12)).containsExactly(new StageFinished(12, 0, RunStatus.HALTED));
    assertThat(decideAndApply(s, 12)).containsExactly(new RunFinished(12, RunStatus.HALTED));
  }

  @Test
  void hostsThatFailedWithinBudgetAreSkippedByLaterSteps() {
    RunState s =
        state("      - restart: app\n        waves: {max-failures: 1}\n      - restart: app\n", 3);
    decideAndApply(s, 0);
    decideAndApply(s, 0);
    decideAndApply(s, 0);
    s.apply(failed(5, 1));
    s.apply(ok(6, 0, Phase.ACTION));
    s.apply(ok(7, 2, Phase.ACTION));
    assertThat(decideAndApply(s, 7)).containsExactly(new StepFinished(7, 0, 0, 2, 1, 0));
    assertThat(decideAndApply(s, 7)).containsExactly(new StepStarted(7, 0, 1, 2, 1));
    assertThat(decideAndApply(s, 7))
        .filteredOn(ActionStarted.class::isInstance)
        .extracting(e -> ((ActionStarted) e).host())
        .containsExactly(0, 2);
  }

  @Test
  void groupsRunParallelAtATimeAndTheNextOpensWhenOneFinishes() {
    String plan =
        TestPlans.header("groups")
            + "stages:\n  - name: A\n    steps:\n      - restart: app\n        waves: {group-by: cell, parallel: 2}\n";
    RunState s = new RunState(PlanLoader.load(TestPlans.write(dir, plan, TestPlans.fleet(3, 1))));
    s.apply(new RunEvent.RunStarted(0, "decide", "sim", 1, 3, true));
    decideAndApply(s, 0);
    decideAndApply(s, 0);
    List<RunEvent> first = decideAndApply(s, 0);
    assertThat(first)
        .filteredOn(BatchStarted.class::isInstance)
        .extracting(e -> ((BatchStarted) e).group())
        .containsExactly(0, 1);
    s.apply(new ActionFinished(9, 0, 0, 1, Phase.ACTION, Outcome.success(0, "")));
    assertThat(decideAndApply(s, 9))
        .filteredOn(BatchStarted.class::isInstance)
        .extracting(e -> ((BatchStarted) e).group())
        .containsExactly(2);
  }
}
