package io.upshift.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.TestPlans;
import io.upshift.engine.RunSummary;
import io.upshift.engine.sim.SimTarget.Durations;
import io.upshift.plan.Plan;
import io.upshift.plan.PlanLoader;
import io.upshift.plan.Stage;
import io.upshift.plan.Step;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One walk at expected durations also tells what a walk at the 95th percentiles would: whenever the
 * clock says its second timeline held, that timeline is the other walk's, to the millisecond.
 */
class SecondTimelineTest {
  @TempDir Path dir;

  @Test
  void theCernPlansSecondTimelineIsItsWalkAtThe95thPercentiles() {
    Plan plan = PlanLoader.load(Path.of("examples/cern-havana"));
    assertThat(Verifier.followsExpected(plan)).isTrue();
    RunSummary[] both = Verifier.walkBoth(plan, null);
    assertThat(both[1]).as("the timelines held").isNotNull();
    assertSame(plan, both[1], Verifier.walk(plan, Durations.P95, null));
    assertSame(plan, both[0], Verifier.walk(plan, Durations.EXPECTED, null));
  }

  @Test
  void onRandomPlansTheSecondTimelineIsTheOtherWalkWheneverItHeld() throws Exception {
    Random random = new Random(20261126);
    int held = 0;
    int cameApart = 0;
    for (int i = 0; i < 150; i++) {
      Path d = dir.resolve("plan-" + i);
      TestPlans.write(d, randomPlan(random), randomInventory(random));
      Plan plan = PlanLoader.load(d);
      RunSummary[] both = Verifier.walkBoth(plan, null);
      assertSame(plan, both[0], Verifier.walk(plan, Durations.EXPECTED, null));
      if (both[1] == null) {
        cameApart++;
        continue;
      }
      held++;
      assertSame(plan, both[1], Verifier.walk(plan, Durations.P95, null));
    }
    assertThat(held).as("plans whose timelines held").isGreaterThan(50);
    assertThat(cameApart).as("plans whose timelines came apart").isGreaterThan(5);
  }

  /**
   * Cell c1 runs two batches with a pause between them; c2 to c5, one host each, run one after the
   * other beside it. At expected durations c4 ends before c1, at the 95th percentiles after it: c5
   * starts after another group on each timeline.
   */
  @Test
  void groupsThatPassEachOtherAtThe95thPercentilesAreWalkedAgain() throws Exception {
    Plan plan = groupsBesideAPause(5, "90s");
    assertThat(Verifier.followsExpected(plan)).isFalse();
    assertThat(Verifier.walkBoth(plan, null)[1]).as("the timelines came apart").isNull();
    assertSame(plan, Verifier.verify(plan).p95(), Verifier.walk(plan, Durations.P95, null));
  }

  /**
   * The same with c2 and c3 only, and a pause as long as an expected restart (65 s): at expected
   * durations c3 ends as c1's pause does, at the 95th percentiles not.
   */
  @Test
  void thingsThatHappenTogetherOnlyAtExpectedDurationsAreWalkedAgain() throws Exception {
    Plan plan = groupsBesideAPause(3, "65s");
    assertThat(Verifier.walkBoth(plan, null)[1]).as("the timelines came apart").isNull();
    assertSame(plan, Verifier.verify(plan).p95(), Verifier.walk(plan, Durations.P95, null));
  }

  private Plan groupsBesideAPause(int cells, String pause) throws Exception {
    StringBuilder inventory =
        new StringBuilder("defaults: {version: v1}\nsites:\n  s1:\n    cells:\n");
    for (int c = 1; c <= cells; c++) {
      inventory
          .append("      c")
          .append(c)
          .append(":\n        hosts:\n          - name: h")
          .append(c)
          .append("-[1:")
          .append(c == 1 ? 2 : 1)
          .append("]\n            components: [app]\n");
    }
    TestPlans.write(
        dir,
        """
        upshift: 1
        name: groups beside a pause
        inventory: inventory.yaml
        releases: [v1, v2]
        from: v1
        to: v2
        capabilities:
          every: {needs-every: [app]}
          last: {needs: [app], on: cell=c%d}
        stages:
          - name: One
            steps:
              - restart: app
                duration: 10s..2m
                waves: {batch: 1, group-by: cell, parallel: 2, pause: %s}
        """
            .formatted(cells, pause),
        inventory.toString());
    return PlanLoader.load(dir);
  }

  @Test
  void aVerifiedPlanGetsTheSameFindingsEitherWay() throws Exception {
    Random random = new Random(7);
    for (int i = 0; i < 40; i++) {
      Path d = dir.resolve("plan-" + i);
      TestPlans.write(d, randomPlan(random), randomInventory(random));
      Plan plan = PlanLoader.load(d);
      Verifier.Report report = Verifier.verify(plan);
      RunSummary p95 = Verifier.walk(plan, Durations.P95, null);
      assertSame(plan, report.p95(), p95);
    }
  }

  private static void assertSame(Plan plan, RunSummary got, RunSummary want) {
    String name = plan.name();
    assertThat(got.windows()).as("capability windows of %s", name).isEqualTo(want.windows());
    assertThat(got.makespan()).as("makespan of %s", name).isEqualTo(want.makespan());
    assertThat(got.status()).as("status of %s", name).isEqualTo(want.status());
    for (int s = 0; s < got.stages().size(); s++) {
      var a = got.stages().get(s);
      var b = want.stages().get(s);
      assertThat(new long[] {a.start(), a.end(), a.succeeded(), a.failed(), a.skipped()})
          .as("stage %d of %s", s, name)
          .containsExactly(b.start(), b.end(), b.succeeded(), b.failed(), b.skipped());
      assertThat(a.status()).as("stage %d of %s", s, name).isEqualTo(b.status());
    }
    for (Stage stage : plan.stages()) {
      for (Step step : stage.steps()) {
        assertThat(got.stepStart(stage.index(), step.index()))
            .as("start of %s in %s", step.describe(), name)
            .isEqualTo(want.stepStart(stage.index(), step.index()));
      }
    }
  }

  private static String randomInventory(Random random) {
    StringBuilder b = new StringBuilder("defaults: {version: v1}\nsites:\n  s1:\n    cells:\n");
    int cells = 2 + random.nextInt(3);
    for (int c = 1; c <= cells; c++) {
      b.append("      c")
          .append(c)
          .append(":\n        hosts:\n          - name: h")
          .append(c)
          .append("-[1:")
          .append(1 + random.nextInt(6))
          .append("]\n            roles: [node]\n            components: [app, web]\n");
    }
    return b.toString();
  }

  private static final String[] DURATIONS = {"20s", "10s..2m", "1m..5m", "30s..40s", "0s", "2m"};

  private static String randomPlan(Random random) {
    StringBuilder b = new StringBuilder();
    b.append("upshift: 1\nname: random ")
        .append(random.nextInt(1_000_000))
        .append("\ninventory: inventory.yaml\nreleases: [v1, v2]\nfrom: v1\nto: v2\n")
        // capabilities whose windows depend on how the groups of a step interleave: the two
        // cells' hosts all down at once
        .append("capabilities:\n  service: {needs: [app]}\n")
        .append("  every: {needs-every: [app]}\n")
        .append("  pair: {needs: [app], on: \"cell=c1|c2\"}\n")
        .append("  front: {needs: [web], on: \"cell=c1|c2\", max-downtime: 1m}\nstages:\n");
    int stages = 1 + random.nextInt(2);
    for (int s = 0; s < stages; s++) {
      b.append("  - name: S").append(s).append("\n    steps:\n");
      int steps = 1 + random.nextInt(5);
      for (int i = 0; i < steps; i++) {
        String duration = DURATIONS[random.nextInt(DURATIONS.length)];
        switch (random.nextInt(6)) {
          case 0 -> b.append("      - stop: app\n");
          case 1 -> b.append("      - start: app\n");
          case 2 -> b.append("      - drain: web\n");
          case 3 -> b.append("      - undrain: web\n");
          case 4 -> b.append("      - upgrade: app\n");
          default -> b.append("      - reboot:\n        on: all\n");
        }
        b.append("        duration: ").append(duration).append('\n');
        if (random.nextInt(3) == 0) {
          b.append("        check: {command: \"true\", duration: ")
              .append(DURATIONS[random.nextInt(DURATIONS.length)])
              .append("}\n");
        }
        if (random.nextInt(8) == 0) {
          b.append("        timeout: 3m\n"); // between the expected and the 95th percentile of some
        }
        b.append("        waves: {batch: ").append(1 + random.nextInt(3));
        if (random.nextBoolean()) {
          b.append(", group-by: cell, parallel: ").append(1 + random.nextInt(3));
        }
        if (random.nextInt(3) == 0) {
          b.append(", pause: 15s");
        }
        b.append(", max-failures: 100%}\n");
      }
    }
    return b.toString();
  }
}
