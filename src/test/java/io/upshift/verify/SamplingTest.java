package io.upshift.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.TestPlans;
import io.upshift.plan.Plan;
import io.upshift.plan.PlanLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sampled 95th percentile: the rank arithmetic, and what it says of a simple plan. */
class SamplingTest {
  @TempDir Path dir;

  @Test
  void theNearestRank95thPercentile() {
    long[] hundred = new long[100];
    for (int i = 0; i < 100; i++) {
      hundred[i] = 100 - i; // 1..100, shuffled order does not matter
    }
    assertThat(Sampling.p95(hundred)).isEqualTo(95);
    assertThat(Sampling.p95(new long[] {7})).isEqualTo(7);
    assertThat(
            Sampling.p95(
                new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}))
        .isEqualTo(19);
    assertThat(Sampling.p95(new long[0])).isZero();
  }

  @Test
  void aBatchWaitsForItsSlowestHostSoTheSampledTailIsLongerThanOneHostsP95() {
    String inventory =
        "defaults: {version: v1}\nsites:\n  s:\n    cells:\n      c:\n        hosts:\n"
            + "          - {name: \"h[01:20]\", components: [app]}\n";
    String plan =
        """
        upshift: 1
        name: sampled
        inventory: inventory.yaml
        releases: [v1, v2]
        from: v1
        to: v2
        capabilities:
          served: {needs-every: app}
        stages:
          - name: S
            steps:
              - restart: app
                duration: 1m..3m
        """;
    Plan p = PlanLoader.load(TestPlans.write(dir, plan, inventory));
    Verifier.Report walked = Verifier.verify(p);
    Sampling sampled = Sampling.of(p, 100);
    assertThat(Sampling.of(p, 100)).usingRecursiveComparison().isEqualTo(sampled); // seeded
    long expected = walked.expected().makespan();
    long allAtP95 = walked.p95().makespan();
    // 20 hosts at once: the step lasts as long as the slowest of 20 draws
    assertThat(sampled.makespan()).isGreaterThan(expected).isLessThanOrEqualTo(180_000);
    assertThat(sampled.makespan()).isGreaterThanOrEqualTo(allAtP95);
    assertThat(sampled.downtime().get("served")).isEqualTo(sampled.makespan());
    assertThat(sampled.stageDurations()).containsExactly(sampled.makespan());
  }
}
