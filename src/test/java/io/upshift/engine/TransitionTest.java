package io.upshift.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.TestPlans;
import io.upshift.engine.Execution.Phase;
import io.upshift.plan.InDoubt;
import io.upshift.plan.PlanLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The run's states under operators and restarts, as a table: from a state reached by some events,
 * one more event, and what the decider does next. Every row is a transition of the state machine
 * (running, paused, halting, aborted, and the gate).
 *
 * <p>Every change of phase taken here is recorded, and after the last test the class checks that it
 * took every row of {@link RunPhase#TRANSITIONS} and nothing else: a row no test takes fails it
 * (run the whole class: a single test takes only some rows).
 */
class TransitionTest {
  @TempDir static Path dir;

  /** The changes of phase taken by the tests of this class. */
  private static final Set<RunPhase.Transition> TAKEN = ConcurrentHashMap.newKeySet();

  @AfterAll
  static void everyTransitionOfTheTableIsTakenAndNoOther() {
    assertThat(TAKEN)
        .as("the transitions taken by these tests are RunPhase.TRANSITIONS")
        .containsExactlyInAnyOrderElementsOf(RunPhase.TRANSITIONS);
  }

  /** A fresh state of {@code plan} whose changes of phase are recorded, started. */
  private static RunState started(String name, String plan, int hosts, boolean autoApprove) {
    RunState s =
        new RunState(
            PlanLoader.load(TestPlans.write(dir.resolve(name), plan, TestPlans.fleet(1, hosts))));
    s.watchTransitions(TAKEN::add);
    s.apply(new RunEvent.RunStarted(0, name, "local", 1, hosts, autoApprove));
    return s;
  }

  /** Stage A: a step of 4 hosts in batches of 2 with a check; then a gate; stage B: one step. */
  private static RunState fresh() {
    String plan =
        TestPlans.header("transitions")
            + "stages:\n  - name: A\n    steps:\n"
            + "      - restart: app\n        check: \"true\"\n        waves: {batch: 2}\n"
            + "      - approve: go?\n"
            + "  - name: B\n    steps:\n      - upgrade: app\n";
    return started("p", plan, 4, false);
  }

  /** Decides and applies until the decider waits; returns all it decided. */
  private static List<RunEvent> settle(RunState s, long now) {
    List<RunEvent> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      List<RunEvent> e = Decider.decide(s, now);
      if (e.isEmpty()) {
        break;
      }
      e.forEach(s::apply);
      all.addAll(e);
    }
    return all;
  }

  private static RunEvent ok(int host, Phase phase) {
    return new RunEvent.ActionFinished(1, 0, 0, host, phase, Outcome.success(0, ""));
  }

  /** The first wave in flight: hosts 0 and 1 started. */
  private static RunState midWave() {
    RunState s = fresh();
    settle(s, 0);
    assertThat(s.inFlight()).isEqualTo(2);
    return s;
  }

  /** At the gate, paused for approval. */
  private static RunState atGate() {
    RunState s = midWave();
    for (int h = 0; h < 4; h++) {
      if (h == 2) {
        settle(s, 1);
      }
      s.apply(ok(h, Phase.ACTION));
      settle(s, 1);
      s.apply(ok(h, Phase.CHECK));
    }
    settle(s, 2);
    assertThat(s.status()).isEqualTo(RunStatus.PAUSED);
    return s;
  }

  record Row(
      String name,
      Supplier<RunState> from,
      Consumer<RunState> event,
      RunStatus status,
      String next) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> rows() {
    return Stream.of(
            new Row(
                "running, paused by an operator: the wave in flight finishes, nothing new starts",
                TransitionTest::midWave,
                s -> {
                  s.apply(new RunEvent.RunPaused(1, 0, 0, "paused by alice"));
                  s.apply(ok(0, Phase.ACTION));
                  s.apply(ok(1, Phase.ACTION));
                },
                RunStatus.PAUSED,
                "checks 0 1"),
            new Row(
                "paused with checks done and nothing in flight: waits",
                () -> {
                  RunState s = midWave();
                  s.apply(new RunEvent.RunPaused(1, 0, 0, "paused by alice"));
                  s.apply(ok(0, Phase.ACTION));
                  s.apply(ok(1, Phase.ACTION));
                  settle(s, 1);
                  return s;
                },
                s -> {
                  s.apply(ok(0, Phase.CHECK));
                  s.apply(ok(1, Phase.CHECK));
                },
                RunStatus.PAUSED,
                "nothing"),
            new Row(
                "paused, resumed: the next wave starts",
                () -> {
                  RunState s = midWave();
                  s.apply(new RunEvent.RunPaused(1, 0, 0, "paused by alice"));
                  for (int h = 0; h < 2; h++) {
                    s.apply(ok(h, Phase.ACTION));
                    settle(s, 1);
                    s.apply(ok(h, Phase.CHECK));
                  }
                  return s;
                },
                s -> s.apply(new RunEvent.RunResumed(2, "bob", "")),
                RunStatus.RUNNING,
                "batch 2 3"),
            new Row(
                "at the gate, resumed without approval: pauses again",
                TransitionTest::atGate,
                s -> s.apply(new RunEvent.RunResumed(3, "bob", "")),
                RunStatus.RUNNING,
                "paused"),
            new Row(
                "at the gate, approved: the gate passes and stage B starts",
                TransitionTest::atGate,
                s -> s.apply(new RunEvent.Approved(3, 0, 1, "carol", "CAB-1")),
                RunStatus.RUNNING,
                "gate passed"),
            new Row(
                "at the gate, aborted: the run ends aborted without passing it",
                TransitionTest::atGate,
                s -> s.apply(new RunEvent.AbortRequested(3, "dave", "", false)),
                RunStatus.RUNNING,
                "aborted"),
            new Row(
                "mid-wave, aborted: the wave finishes, then the run ends aborted",
                TransitionTest::midWave,
                s -> {
                  s.apply(new RunEvent.AbortRequested(1, "dave", "no", false));
                  s.apply(ok(0, Phase.ACTION));
                  s.apply(ok(1, Phase.ACTION));
                },
                RunStatus.RUNNING,
                "checks 0 1, then aborted"),
            new Row(
                "restarted with a wave in doubt, rerun: the actions start again",
                TransitionTest::midWave,
                s -> {
                  s.apply(new RunEvent.ActionInDoubt(5, 0, 0, 0, Phase.ACTION, InDoubt.RERUN));
                  s.apply(new RunEvent.ActionInDoubt(5, 0, 0, 1, Phase.ACTION, InDoubt.RERUN));
                },
                RunStatus.RUNNING,
                "actions 0 1"),
            new Row(
                "restarted with an action in doubt settled by its check",
                TransitionTest::midWave,
                s -> {
                  s.apply(new RunEvent.ActionInDoubt(5, 0, 0, 0, Phase.ACTION, InDoubt.CHECK));
                  s.apply(new RunEvent.ActionInDoubt(5, 0, 0, 1, Phase.ACTION, InDoubt.DONE));
                },
                RunStatus.RUNNING,
                "checks 0 1"),
            new Row(
                "restarted with an action the operator says failed: the host fails",
                TransitionTest::midWave,
                s -> {
                  s.apply(new RunEvent.ActionInDoubt(5, 0, 0, 0, Phase.ACTION, InDoubt.FAILED));
                  s.apply(new RunEvent.ActionInDoubt(5, 0, 0, 1, Phase.ACTION, InDoubt.DONE));
                },
                RunStatus.RUNNING,
                "halts: host 0 failed"))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void transition(Row row) {
    RunState s = row.from().get();
    row.event().accept(s);
    assertThat(s.status()).isEqualTo(row.status());
    List<RunEvent> next = settle(s, 10);
    switch (row.next()) {
      case "checks 0 1" -> assertThat(actions(next, Phase.CHECK)).containsExactly(0, 1);
      case "nothing" -> assertThat(next).isEmpty();
      case "batch 2 3" -> assertThat(actions(next, Phase.ACTION)).containsExactly(2, 3);
      case "paused" -> {
        assertThat(next).singleElement().isInstanceOf(RunEvent.RunPaused.class);
        assertThat(s.status()).isEqualTo(RunStatus.PAUSED);
      }
      case "gate passed" -> {
        assertThat(next).first().isInstanceOf(RunEvent.StepFinished.class);
        assertThat(next).anySatisfy(e -> assertThat(e).isEqualTo(new RunEvent.StageStarted(10, 1)));
        assertThat(s.approvals()).extracting(RunEvent.Approved::by).containsExactly("carol");
      }
      case "aborted" -> {
        assertThat(next).last().isEqualTo(new RunEvent.RunFinished(10, RunStatus.ABORTED));
        assertThat(next).noneMatch(e -> e instanceof RunEvent.StageStarted);
      }
      case "checks 0 1, then aborted" -> {
        assertThat(actions(next, Phase.CHECK)).containsExactly(0, 1);
        assertThat(actions(next, Phase.ACTION)).isEmpty();
        s.apply(ok(0, Phase.CHECK));
        s.apply(ok(1, Phase.CHECK));
        List<RunEvent> end = settle(s, 11);
        assertThat(end).last().isEqualTo(new RunEvent.RunFinished(11, RunStatus.ABORTED));
        assertThat(actions(end, Phase.ACTION)).as("no new wave").isEmpty();
      }
      case "actions 0 1" -> assertThat(actions(next, Phase.ACTION)).containsExactly(0, 1);
      case "halts: host 0 failed" -> {
        assertThat(s.failures()).extracting(RunState.Failure::host).containsExactly(0);
        assertThat(next).anySatisfy(e -> assertThat(e).isInstanceOf(RunEvent.RunHalted.class));
        assertThat(actions(next, Phase.CHECK)).containsExactly(1);
      }
      default -> throw new IllegalArgumentException(row.next());
    }
  }

  private static RunEvent.ActionInDoubt doubt(int host, InDoubt resolution) {
    return new RunEvent.ActionInDoubt(5, 0, 0, host, Phase.ACTION, resolution, "connection lost");
  }

  @Test
  void anActionInDoubtThatAsksPausesTheRunUntilTheOperatorAnswers() {
    RunState s = midWave();
    s.apply(doubt(0, InDoubt.ASK));
    assertThat(s.phase()).isEqualTo(RunPhase.PAUSED_IN_DOUBT);
    assertThat(s.pauseReason()).startsWith("in doubt: ");
    s.apply(new RunEvent.RunResumed(6, "bob", ""));
    assertThat(s.phase()).as("resuming does not answer").isEqualTo(RunPhase.PAUSED_IN_DOUBT);
    s.apply(doubt(0, InDoubt.DONE));
    assertThat(s.phase()).isEqualTo(RunPhase.RUNNING);
    assertThat(s.pauseReason()).isNull();
  }

  @Test
  void aHaltingRunPausedForADoubtGoesOnHaltingOnceAnswered() {
    RunState s = midWave();
    s.apply(new RunEvent.RunHalted(2, "a check made going on unsafe"));
    assertThat(s.phase()).isEqualTo(RunPhase.HALTING);
    s.apply(doubt(0, InDoubt.ASK));
    assertThat(s.phase()).isEqualTo(RunPhase.PAUSED_IN_DOUBT);
    s.apply(doubt(0, InDoubt.FAILED));
    assertThat(s.phase()).isEqualTo(RunPhase.HALTING);
    assertThat(s.phase().acceptsBatches()).isFalse();
  }

  @Test
  void anAbortingRunPausedForADoubtGoesOnAbortingOnceAnswered() {
    RunState s = midWave();
    s.apply(new RunEvent.AbortRequested(2, "dave", "", false));
    s.apply(doubt(0, InDoubt.ASK));
    assertThat(s.phase()).isEqualTo(RunPhase.PAUSED_IN_DOUBT);
    s.apply(doubt(0, InDoubt.DONE));
    assertThat(s.phase()).isEqualTo(RunPhase.ABORTING);
  }

  @Test
  void anAbortEndsAPauseForADoubtAndAHalt() {
    RunState doubting = midWave();
    doubting.apply(doubt(0, InDoubt.ASK));
    doubting.apply(new RunEvent.AbortRequested(6, "dave", "", false));
    assertThat(doubting.phase()).isEqualTo(RunPhase.ABORTING);
    RunState halting = midWave();
    halting.apply(new RunEvent.RunHalted(2, "unsafe"));
    halting.apply(new RunEvent.AbortRequested(3, "dave", "", false));
    assertThat(halting.phase()).isEqualTo(RunPhase.ABORTING);
    assertThat(halting.haltReason()).as("the first reason stays").isEqualTo("unsafe");
  }

  @Test
  void aChangeOutsideTheTableFailsLoudly() {
    RunState s = atGate();
    Assertions.assertThatThrownBy(() -> s.apply(new RunEvent.RunFinished(9, RunStatus.SUCCEEDED)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("from PAUSED to SUCCEEDED on RunFinished");
  }

  /**
   * Runs a plan of one step on four hosts in batches of two, with a budget of one failure, to its
   * end: the hosts in {@code failing} fail their action.
   */
  private static RunState toTheEnd(String name, Set<Integer> failing) {
    RunState s =
        started(
            name,
            TestPlans.header(name)
                + "stages:\n  - name: A\n    steps:\n"
                + "      - restart: app\n        waves: {batch: 2, max-failures: 1}\n",
            4,
            true);
    for (int turn = 0; turn < 100 && !s.phase().terminal(); turn++) {
      List<RunEvent> decided = settle(s, turn);
      for (RunEvent e : decided) {
        if (e instanceof RunEvent.ActionStarted a) {
          s.apply(
              new RunEvent.ActionFinished(
                  turn,
                  a.stage(),
                  a.step(),
                  a.host(),
                  a.phase(),
                  failing.contains(a.host())
                      ? Outcome.failure(1, "", "boom")
                      : Outcome.success(0, "")));
        }
      }
    }
    return s;
  }

  @Test
  void aRunEndsSucceededFailedOrHalted() {
    RunState all = toTheEnd("all-ok", Set.of());
    assertThat(all.phase()).isEqualTo(RunPhase.SUCCEEDED);
    assertThat(all.phase().successful()).isTrue();
    RunState one = toTheEnd("one-failed", Set.of(2));
    assertThat(one.phase()).as("within the budget").isEqualTo(RunPhase.FAILED);
    assertThat(one.phase().terminal()).isTrue();
    assertThat(one.phase().successful()).isFalse();
    RunState two = toTheEnd("two-failed", Set.of(0, 1));
    assertThat(two.phase()).as("over the budget").isEqualTo(RunPhase.HALTED);
    assertThat(two.status()).isEqualTo(RunStatus.HALTED);
  }

  private static List<Integer> actions(List<RunEvent> events, Phase phase) {
    return events.stream()
        .filter(e -> e instanceof RunEvent.ActionStarted a && a.phase() == phase)
        .map(e -> ((RunEvent.ActionStarted) e).host())
        .toList();
  }
}
