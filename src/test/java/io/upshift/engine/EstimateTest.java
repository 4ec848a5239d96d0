package io.upshift.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.TestPlans;
import io.upshift.clock.VirtualClock;
import io.upshift.engine.sim.SimTarget;
import io.upshift.plan.Plan;
import io.upshift.plan.PlanLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ETA shown while a run goes: by the models, and by a step's own pace once it outlives them.
 */
class EstimateTest {
  @TempDir Path dir;

  private Plan plan(String name, String duration) {
    String plan =
        TestPlans.header("eta")
            + "stages:\n"
            + "  - name: Roll\n"
            + "    steps:\n"
            + "      - upgrade: app\n"
            + "        duration: "
            + duration
            + "\n"
            + "        waves: {batch: 1}\n"
            + "      - start: app\n"
            + "        duration: 5s\n";
    return PlanLoader.load(TestPlans.write(dir.resolve(name), plan, TestPlans.fleet(1, 4)));
  }

  /** The estimate of {@code believed} at each event of a rehearsal of {@code actual}. */
  private static List<long[]> etas(Plan actual, Estimate believed) {
    List<long[]> seen = new ArrayList<>();
    VirtualClock clock = new VirtualClock();
    new Engine(actual, new SimTarget(actual, clock, 1, List.of()), clock, 1)
        .listen(
            (event, state) -> {
              if (event instanceof RunEvent.ActionFinished && state.progress() != null) {
                seen.add(
                    new long[] {
                      state.progress().done(), state.now(), believed.remainingMillis(state)
                    });
              }
            })
        .run();
    return seen;
  }

  @Test
  void aStepWithinItsModelCountsDownByTheModel() {
    Plan plan = plan("same", "10s");
    List<long[]> etas = etas(plan, new Estimate(plan));
    // 4 hosts one at a time, 10 s each, then 5 s: after the first host, 30 s + 5 s are left
    assertThat(etas.get(0)).containsExactly(1, 10_000, 35_000);
  }

  @Test
  void aStepThatOutlivesItsModelIsEstimatedByItsOwnPace() {
    // the models say 1 s a host; the hosts take 10 s each
    Estimate believed = new Estimate(plan("believed", "1s"));
    List<long[]> etas = etas(plan("actual", "10s"), believed);
    Optional<long[]> half = etas.stream().filter(e -> e[0] == 2).findFirst();
    assertThat(half).isPresent();
    // 2 of 4 hosts in 20 s: 20 s more for this step, then the start step's 5 s
    assertThat(half.get()[2]).isEqualTo(20_000 + 5_000);
    // and it goes down as the hosts finish
    assertThat(etas.get(2)[2]).isLessThan(etas.get(1)[2]);
  }
}
