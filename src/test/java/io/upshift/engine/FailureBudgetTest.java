package io.upshift.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.TestPlans;
import io.upshift.clock.VirtualClock;
import io.upshift.engine.sim.SimTarget;
import io.upshift.plan.Plan;
import io.upshift.plan.PlanLoader;
import io.upshift.report.SummaryJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failure budget lets a few hosts fail and halts the wave in which it is exceeded. */
class FailureBudgetTest {
  @TempDir Path dir;

  private Path plan(String maxFailures, double probability) {
    String plan =
        TestPlans.header("budget")
            + "rehearsal:\n  faults:\n    - {kind: command, probability: "
            + probability
            + "}\n"
            + "stages:\n  - name: Roll\n    steps:\n      - command: \"true\"\n        on: role=node\n        duration: 60s\n"
            + "        waves: {batch: 100, max-failures: "
            + maxFailures
            + "}\n"
            + "      - command: \"true\"\n        name: after\n        on: role=node\n        waves: {max-failures: 100%}\n";
    return TestPlans.write(dir, plan, TestPlans.fleet(1, 1000));
  }

  @Test
  void fivePercentFailingWithTwoPercentBudgetHaltsInTheWaveThatExceedsIt() {
    Plan plan = PlanLoader.load(plan("2%", 0.05));
    VirtualClock clock = new VirtualClock();
    RunSummary summary = new RunSummary(plan, "sim", 7);
    List<int[]> batches = new ArrayList<>(); // per batch: hosts, failures
    Engine engine =
        new Engine(plan, new SimTarget(plan, clock, 7, plan.faults()), clock, 7)
            .listen(summary)
            .listen(
                (e, s) -> {
                  if (e instanceof RunEvent.BatchStarted b) {
                    batches.add(new int[] {b.hosts().length, 0});
                  } else if (e instanceof RunEvent.ActionFinished f && !f.outcome().ok()) {
                    batches.get(batches.size() - 1)[1]++;
                  }
                });
    RunState state = engine.run();

    assertThat(state.status()).isEqualTo(RunStatus.HALTED);
    int cumulative = 0;
    for (int i = 0; i < batches.size(); i++) {
      int before = cumulative;
      cumulative += batches.get(i)[1];
      if (i < batches.size() - 1) {
        assertThat(cumulative)
            .as("budget not yet exceeded after batch %d", i + 1)
            .isLessThanOrEqualTo(20);
      } else {
        assertThat(before).isLessThanOrEqualTo(20);
        assertThat(cumulative)
            .as("the last batch is the one that exceeded the budget")
            .isGreaterThan(20);
      }
    }
    assertThat(batches.size()).isLessThan(10);
    assertThat(state.failures()).hasSize(cumulative);
    assertThat(state.haltReason())
        .contains("budget of 20 (2% of 1000 hosts)")
        .contains("in wave " + batches.size());
    // the count when the decider saw the budget exceeded: every host that failed at that instant
    Matcher m = Pattern.compile(": (\\d+) hosts failed").matcher(state.haltReason());
    assertThat(m.find()).isTrue();
    assertThat(Integer.parseInt(m.group(1))).isBetween(21, cumulative);
    assertThat(state.stepsSucceeded() + state.stepsFailed()).isEqualTo(100L * batches.size());

    Map<String, Object> json = SummaryJson.tree(summary);
    assertThat(json.get("status")).isEqualTo("halted");
    assertThat((List<?>) json.get("failed_hosts")).hasSize(cumulative);
    assertThat(json.get("failed_hosts").toString()).contains(state.failures().get(0).hostName());
    assertThat(summary.stages().get(0).status()).isEqualTo(RunStatus.HALTED);
  }

  @Test
  void failuresWithinBudgetFinishTheRunAsFailedAndSkipTheFailedHostsAfterwards() {
    Plan plan = PlanLoader.load(plan("100", 0.05));
    RunSummary summary = TestPlans.rehearse(plan.file().getParent(), 3);
    RunState state = summary.state();
    int failed = state.failures().size();
    assertThat(failed).isBetween(40, 140);
    assertThat(state.status()).isEqualTo(RunStatus.FAILED);
    // the second step has its own 5% failures on the remaining hosts; the failed ones are skipped
    assertThat(state.stepsSkipped()).isGreaterThan(0);
    assertThat(state.stepsTotal()).isEqualTo(2000);
  }

  @Test
  void noBudgetHaltsAtTheFirstFailure() {
    RunSummary summary = TestPlans.rehearse(plan("0", 0.05), 11);
    assertThat(summary.status()).isEqualTo(RunStatus.HALTED);
    assertThat(summary.state().haltReason()).contains("more than the budget of 0");
    assertThat(summary.state().stepsSucceeded() + summary.state().stepsFailed()).isEqualTo(100);
  }
}
