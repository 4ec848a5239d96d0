package io.upshift.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.Cli;
import io.upshift.TestPlans;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling stage takes a batch of hosts through all its steps before the next batch: the order of
 * a real run's commands shows it, and the capability served by the other instances never goes down.
 */
class RollingStageTest {
  @TempDir Path dir;

  private static final String INVENTORY =
      """
      defaults: {version: v1}
      sites:
        s1:
          cells:
            c1:
              hosts:
                - name: web-[1:4]
                  components: [app]
      """;

  private static final String PLAN =
      """
      upshift: 1
      name: rolling
      inventory: inventory.yaml
      releases: [v1, v2]
      from: v1
      to: v2
      capabilities:
        served: {needs: app}
      stages:
        - name: App
          rolling: {batch: BATCH}
          steps:
            - drain: app
              run: "echo drain {{host}} >> ledger.txt"
            - stop: app
              run: "echo stop {{host}} >> ledger.txt"
            - upgrade: app
              run: "echo upgrade {{host}} >> ledger.txt"
            - start: app
              run: "echo start {{host}} >> ledger.txt"
              check: "grep -q 'start {{host}}' ledger.txt"
            - undrain: app
              run: "echo undrain {{host}} >> ledger.txt"
      """;

  @Test
  void eachBatchGoesThroughEveryStepBeforeTheNext() throws Exception {
    Path p = TestPlans.write(dir, PLAN.replace("BATCH", "1"), INVENTORY);
    Plan plan = PlanLoader.load(p);
    assertThat(plan.stages().get(0).steps()).hasSize(20);
    assertThat(plan.stages().get(0).steps().get(5).name()).isEqualTo("drain app on web-2");
    assertThat(plan.stages().get(0).steps().get(5).hosts()).containsExactly(1);

    Cli.Result r =
        Cli.run(
            "run",
            p.toString(),
            "--target",
            "local",
            "--no-journal",
            "--summary-json",
            dir.resolve("s.json").toString());
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    StringBuilder expected = new StringBuilder();
    for (int h = 1; h <= 4; h++) {
      for (String s : new String[] {"drain", "stop", "upgrade", "start", "undrain"}) {
        expected.append(s).append(" web-").append(h).append('\n');
      }
    }
    assertThat(Files.readString(dir.resolve("ledger.txt"))).isEqualTo(expected.toString());

    // one instance out at a time: the capability is never predicted down
    assertThat(Files.readString(dir.resolve("s.json")))
        .containsPattern("\"name\" : \"served\",\\s*\"downtime_s\" : 0.0");
  }

  @Test
  void batchesOfAShareAreNamedByNumber() throws Exception {
    Plan plan = PlanLoader.load(TestPlans.write(dir, PLAN.replace("BATCH", "50%"), INVENTORY));
    assertThat(plan.stages().get(0).steps()).hasSize(10);
    assertThat(plan.stages().get(0).steps().get(5).name()).isEqualTo("drain app (batch 2/2)");
    assertThat(plan.stages().get(0).steps().get(5).hosts()).containsExactly(2, 3);
  }

  @Test
  void withoutABatchItIsAPositionedError() throws Exception {
    Path p = TestPlans.write(dir, PLAN.replace("{batch: BATCH}", "{}"), INVENTORY);
    Cli.Result r = Cli.run("validate", p.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("plan.yaml:11:14:").contains("`rolling` needs `batch`");
  }
}
