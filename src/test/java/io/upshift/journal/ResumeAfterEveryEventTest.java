package io.upshift.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.TestPlans;
import io.upshift.clock.VirtualClock;
import io.upshift.engine.Engine;
import io.upshift.engine.RunEvent;
import io.upshift.engine.RunState;
import io.upshift.engine.RunStatus;
import io.upshift.engine.sim.SimTarget;
import io.upshift.plan.InDoubt;
import io.upshift.plan.Plan;
import io.upshift.plan.PlanLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal commits events in groups, so a driver that dies may leave any prefix of a run's
 * events behind, even one that ends inside what the engine decided at one turn (a batch started,
 * its hosts' actions not yet). A resume from every such prefix must carry the run to its end.
 */
class ResumeAfterEveryEventTest {
  @TempDir Path dir;

  /** Groups run side by side, pauses between batches, an approval gate. */
  static final String WAVES =
      TestPlans.header("waves")
          + """
      stages:
        - name: One
          steps:
            - upgrade: app
              waves: {batch: 2, group-by: cell, parallel: 2, pause: 1m}
            - approve: "go on?"
            - restart: app
              check: "true"
              waves: {batch: 3, group-by: cell, parallel: 1}
        - name: Two
          steps:
            - command: "true"
              on: all
              waves: {batch: 4, pause: 30s}
      """;

  static final String TWO_CELLS =
      """
      defaults: {version: v1}
      sites:
        s1:
          cells:
            c1:
              hosts:
                - name: a[1:5]
                  roles: [node]
                  components: [app]
            c2:
              hosts:
                - name: b[1:4]
                  roles: [node]
                  components: [app]
      """;

  @Test
  void aRunCutAfterAnyEventResumesToItsEnd() throws Exception {
    resumeAfterEveryEvent(CrashHarness.PLAN, CrashHarness.INVENTORY);
  }

  @Test
  void aRunOfGroupsPausesAndAGateCutAfterAnyEventResumesToItsEnd() throws Exception {
    resumeAfterEveryEvent(WAVES, TWO_CELLS);
  }

  /** Steps with undos; an operator aborts with undo while the third step runs. */
  static final String UNDO =
      TestPlans.header("undo")
          + """
      stages:
        - name: One
          steps:
            - upgrade: app
              undo: "true"
              waves: {batch: 3}
            - restart: app
              check: "true"
              undo: "true"
              waves: {batch: 2}
            - command: "true"
              on: all
              waves: {batch: 1}
        - name: Two
          steps:
            - command: "true"
              on: all
      """;

  @Test
  void aRunAbortedWithUndoCutAfterAnyEventResumesToItsEnd() throws Exception {
    TestPlans.write(dir, UNDO, CrashHarness.INVENTORY);
    Plan plan = PlanLoader.load(dir);
    List<RunEvent> events = new ArrayList<>();
    Engine.Controls operator =
        new Engine.Controls() {
          boolean asked;

          @Override
          public List<RunEvent> poll(RunState state, long now) {
            if (asked || state.stage() != 0 || state.step() != 2) {
              return List.of();
            }
            asked = true;
            return List.of(new RunEvent.AbortRequested(now, "test", "", true));
          }
        };
    RunState whole = run(plan, new RunState(plan), List.of(), 0, events, operator);
    assertThat(whole.status()).isEqualTo(RunStatus.ABORTED);
    assertThat(events).anyMatch(e -> e instanceof RunEvent.UndoStarted);

    boolean abortRecorded = false;
    for (int cut = 1; cut < events.size(); cut++) {
      abortRecorded |= events.get(cut - 1) instanceof RunEvent.AbortRequested;
      RunEvent last = events.get(cut - 1);
      RunState resumed = resume(plan, events, cut);
      assertThat(resumed.status())
          .as("the run cut after event %d (%s)", cut, last)
          .isEqualTo(abortRecorded ? RunStatus.ABORTED : RunStatus.SUCCEEDED);
      for (int h = 0; h < plan.inventory().size(); h++) {
        assertThat(resumed.fleet().version("app", h))
            .as("host %d, the run cut after event %d (%s)", h, cut, last)
            .isEqualTo(abortRecorded ? "v1" : "v2");
      }
    }
  }

  private void resumeAfterEveryEvent(String planText, String inventory) throws Exception {
    TestPlans.write(dir, planText, inventory);
    Plan plan = PlanLoader.load(dir);
    List<RunEvent> events = new ArrayList<>();
    RunState whole = run(plan, new RunState(plan), List.of(), 0, events, null);
    assertThat(whole.status()).isEqualTo(RunStatus.SUCCEEDED);

    for (int cut = 1; cut < events.size(); cut++) {
      RunEvent last = events.get(cut - 1);
      RunState resumed = resume(plan, events, cut);
      assertThat(resumed.status())
          .as("the run cut after event %d (%s)", cut, last)
          .isEqualTo(RunStatus.SUCCEEDED);
      assertThat(resumed.stepsSucceeded())
          .as("host-steps done, the run cut after event %d (%s)", cut, last)
          .isEqualTo(whole.stepsSucceeded());
    }
  }

  /**
   * Resumes the run from its first {@code cut} events, as `upshift resume` does: actions in doubt
   * settled by their kinds, and by the operator (done at odd cuts, rerun at even ones).
   */
  private static RunState resume(Plan plan, List<RunEvent> events, int cut) {
    RunState state = new RunState(plan);
    events.subList(0, cut).forEach(state::apply);
    Resumption resumption = new Resumption(state, cut);
    InDoubt answer = cut % 2 == 1 ? InDoubt.DONE : InDoubt.RERUN;
    long at = events.get(cut - 1).at();
    List<RunEvent> prelude = new ArrayList<>();
    prelude.add(new RunEvent.RunResumed(at, "test", ""));
    prelude.addAll(resumption.settle(resumption.doubts(), answer, at));
    return run(plan, state, prelude, at, new ArrayList<>(), null);
  }

  /** Runs (or goes on with) the plan on the simulated fleet, collecting the events. */
  private static RunState run(
      Plan plan,
      RunState state,
      List<RunEvent> prelude,
      long from,
      List<RunEvent> events,
      Engine.Controls controls) {
    VirtualClock clock = new VirtualClock();
    clock.at(from, () -> {});
    clock.runNext(false);
    Engine engine =
        new Engine(plan, new SimTarget(plan, clock, 1, List.of()), clock, 1, state)
            .autoApprove(true)
            .prelude(prelude)
            .listen(
                (e, s) -> {
                  if (!(e instanceof RunEvent.CapabilityChanged)) {
                    events.add(e);
                  }
                });
    if (controls != null) {
      engine.controls(controls);
    }
    return engine.run();
  }
}
