package io.upshift.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.TestPlans;
import io.upshift.plan.InDoubt;
import io.upshift.plan.PlanLoader;
import io.upshift.target.Execution.Phase;
import io.upshift.target.Outcome;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The run's states under operators and restarts, as a table: from a state reached by some events,
 * one more event, and what the decider does next. Every row is a transition of the state machine
 * (running, paused, halting, aborted, and the gate).
 */
class TransitionTest {
  @TempDir static Path dir;

  /** Stage A: a step of 4 hosts in batches of 2 with a check; then a gate; stage B: one step. */
  private static RunState fresh() {
    String plan =
        TestPlans.header("transitions")
            + "stages:\n  - name: A\n    steps:\n"
            + "      - restart: app\n        check: \"true\"\n        waves: {batch: 2}\n"
            + "      - approve: go?\n"
            + "  - name: B\n    steps:\n      - upgrade: app\n";
    RunState s =
        new RunState(
            PlanLoader.load(TestPlans.write(dir.resolve("p"), plan, TestPlans.fleet(1, 4))));
    s.apply(new RunEvent.RunStarted(0, "transitions", "local", 1, 4, false));
    return s;
  }

  /** Decides and applies until the decider waits; returns all it decided. */
  private static List<RunEvent> settle(RunState s, long now) {
    List<RunEvent> all = new java.util.ArrayList<>();
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
      java.util.function.Supplier<RunState> from,
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

  private static List<Integer> actions(List<RunEvent> events, Phase phase) {
    return events.stream()
        .filter(e -> e instanceof RunEvent.ActionStarted a && a.phase() == phase)
        .map(e -> ((RunEvent.ActionStarted) e).host())
        .toList();
  }
}
