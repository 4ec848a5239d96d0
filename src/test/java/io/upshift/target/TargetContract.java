package io.upshift.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.TestPlans;
import io.upshift.clock.RunClock;
import io.upshift.engine.Execution;
import io.upshift.engine.Outcome;
import io.upshift.engine.Target;
import io.upshift.plan.Plan;
import io.upshift.plan.PlanLoader;
import io.upshift.plan.Step;
import io.upshift.source.Problems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every target promises the engine, checked against each implementation: one outcome per
 * action, delivered through the run clock and never from inside {@code start}; success and failure
 * as the step says; many actions at once.
 */
public abstract class TargetContract {
  @TempDir protected Path dir;

  /** The clock the target under test reports on. */
  protected abstract RunClock clock();

  /** A target for {@code plan}, reporting on {@link #clock()}. */
  protected abstract Target target(Plan plan, RunClock clock);

  /**
   * The plan used by the contract: stage 0 has a step that succeeds on every host (step 0), one
   * that fails on every host (step 1), and a check step that succeeds (step 2).
   */
  protected abstract String steps();

  protected Plan plan() {
    String plan =
        TestPlans.header("contract") + "stages:\n  - name: Contract\n    steps:\n" + steps();
    return PlanLoader.load(TestPlans.write(dir, plan, inventory()));
  }

  /** The contract's fleet: 20 hosts in one cell, role {@code node}, component {@code app}. */
  protected String inventory() {
    return TestPlans.fleet(1, 20);
  }

  private List<Outcome> runAll(
      Plan plan, RunClock clock, Target target, Step step, Execution.Phase phase) {
    List<Outcome> outcomes = new ArrayList<>();
    boolean[] inStart = {false};
    for (int h : step.hosts()) {
      inStart[0] = true;
      target.start(
          new Execution(step, plan.inventory().host(h), phase, 1),
          o -> {
            assertThat(inStart[0]).as("outcome delivered from inside start").isFalse();
            outcomes.add(o);
          });
      inStart[0] = false;
    }
    while (outcomes.size() < step.hosts().length) {
      assertThat(clock.runNext(true)).as("an outcome is still due").isTrue();
    }
    return outcomes;
  }

  @Test
  void everyActionGetsExactlyOneSuccessfulOutcome() {
    Plan plan = plan();
    RunClock clock = clock();
    try (Target target = target(plan, clock)) {
      Problems problems = new Problems();
      target.check(plan, problems);
      assertThat(problems.hasErrors()).isFalse();
      List<Outcome> outcomes =
          runAll(plan, clock, target, plan.stages().get(0).steps().get(0), Execution.Phase.ACTION);
      assertThat(outcomes).hasSize(20).allMatch(Outcome::ok);
      assertThat(clock.runNext(false)).as("no stray outcome").isFalse();
    }
  }

  @Test
  void aFailingActionReportsAFailureWithAReason() {
    Plan plan = plan();
    RunClock clock = clock();
    try (Target target = target(plan, clock)) {
      List<Outcome> outcomes =
          runAll(plan, clock, target, plan.stages().get(0).steps().get(1), Execution.Phase.ACTION);
      assertThat(outcomes).hasSize(20).noneMatch(Outcome::ok);
      assertThat(outcomes).allMatch(o -> !o.reason().isBlank());
    }
  }

  @Test
  void checksRunAndPass() {
    Plan plan = plan();
    RunClock clock = clock();
    try (Target target = target(plan, clock)) {
      List<Outcome> outcomes =
          runAll(plan, clock, target, plan.stages().get(0).steps().get(2), Execution.Phase.ACTION);
      assertThat(outcomes).hasSize(20).allMatch(Outcome::ok);
    }
  }

  @Test
  void timeDoesNotGoBackwards() {
    Plan plan = plan();
    RunClock clock = clock();
    try (Target target = target(plan, clock)) {
      long before = clock.now();
      runAll(plan, clock, target, plan.stages().get(0).steps().get(0), Execution.Phase.ACTION);
      assertThat(clock.now()).isGreaterThanOrEqualTo(before);
    }
  }
}
