package io.upshift.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.TestPlans;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The makespan of rolling waves follows the batch arithmetic exactly on the virtual clock. */
class WaveArithmeticTest {
  @TempDir Path dir;

  private RunSummary run(int cells, int perCell, String waves, String duration) {
    String plan =
        TestPlans.header("waves")
            + "stages:\n  - name: Roll\n    steps:\n      - command: \"true\"\n        on: role=node\n"
            + "        duration: "
            + duration
            + "\n        waves: "
            + waves
            + "\n";
    return TestPlans.rehearse(TestPlans.write(dir, plan, TestPlans.fleet(cells, perCell)), 1);
  }

  @Test
  void thousandHostsInBatchesOfHundredTakeTenSteps() {
    RunSummary s = run(1, 1000, "{batch: 100}", "60s");
    assertThat(s.makespan()).isEqualTo(600_000);
    assertThat(s.state().stepsSucceeded()).isEqualTo(1000);
  }

  @Test
  void tenParallelGroupsOfHundredInBatchesOfTenTakeTenSteps() {
    RunSummary s = run(10, 100, "{batch: 10, group-by: cell, parallel: 10}", "60s");
    assertThat(s.makespan()).isEqualTo(600_000);
  }

  @ParameterizedTest(name = "{0} cells x {1} hosts, waves {2}: {3} s")
  @CsvSource(
      delimiter = ';',
      value = {
        // one group: ceil(hosts / batch) batches of 60 s
        "1; 1000; {batch: 100}; 600",
        "1; 1000; {batch: 300}; 240",
        "1; 1000; {batch: 10%}; 600",
        "1; 5; {batch: 10%}; 300",
        // groups one at a time: the groups' batches add up
        "4; 100; {batch: 50, group-by: cell}; 480",
        // two at a time: two rounds of 2 batches
        "4; 100; {batch: 50, group-by: cell, parallel: 2}; 240",
        // pause between batches, not after the last: 3 x 60 + 2 x 30
        "1; 30; {batch: 10, pause: 30s}; 240",
        // everything at once
        "3; 100; {}; 60"
      })
  void makespanFollowsTheBatchArithmetic(int cells, int perCell, String waves, long seconds) {
    assertThat(run(cells, perCell, waves, "60s").makespan()).isEqualTo(seconds * 1000);
  }

  @Test
  void rangedDurationsCostNoMoreThanTheSlowestHostOfEachBatch() {
    // The lower bound of a batch is its slowest host; the engine adds nothing between batches.
    RunSummary s = run(1, 2000, "{batch: 100}", "2m..8m");
    assertThat(s.makespan()).isBetween(20 * 2 * 60_000L, 20 * 8 * 60_000L);
    RunSummary again = run(1, 2000, "{batch: 100}", "2m..8m");
    assertThat(again.makespan()).as("same seed, same run").isEqualTo(s.makespan());
  }
}
