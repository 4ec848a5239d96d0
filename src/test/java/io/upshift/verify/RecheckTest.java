package io.upshift.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.Cli;
import io.upshift.TestPlans;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failure can make the rest of a plan unsafe: the run halts before the stage that would break.
 */
class RecheckTest {
  @TempDir Path dir;

  private static final String INVENTORY =
      """
      defaults: {version: grizzly}
      sites:
        s:
          cells:
            c01:
              hosts:
                - {name: ctl-c01, components: [nova-conductor]}
                - {name: "hv-c01-[1:3]", components: [nova-compute]}
            c02:
              hosts:
                - {name: ctl-c02, components: [nova-conductor]}
                - {name: "hv-c02-[1:3]", components: [nova-compute]}
      """;

  private static final String PLAN =
      """
      upshift: 1
      name: recheck
      inventory: inventory.yaml
      releases: [grizzly, havana]
      from: grizzly
      to: havana
      compatibility:
        - id: conductor-before-compute
          when: {nova-compute: havana}
          needs: {nova-conductor: havana}
          scope: cell
      stages:
        - name: Conductors
          steps:
            - upgrade: nova-conductor
              waves: {max-failures: 1}
        - name: Computes
          steps:
            - upgrade: nova-compute
      """;

  @Test
  void aFailedConductorUpgradeHaltsTheRunBeforeTheComputeStage() {
    Path p = TestPlans.write(dir, PLAN, INVENTORY);
    assertThat(Cli.run("verify", p.toString()).code()).as("the plan itself is safe").isZero();

    Cli.Result r =
        Cli.run(
            "run",
            p.toString(),
            "--progress",
            "none",
            "--fault",
            "upgrade=1@host=ctl-c02",
            "--summary-json",
            dir.resolve("s.json").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains("HALTED")
        .contains("before stage `Computes`, the rest of the plan is no longer safe")
        .contains("conductor-before-compute")
        .contains("cell c02");
    assertThat(r.out()).containsPattern("Computes +not started");
  }

  @Test
  void withoutFailuresTheRunGoesThrough() {
    Path p = TestPlans.write(dir, PLAN, INVENTORY);
    assertThat(Cli.run("run", p.toString(), "--progress", "none").code()).isZero();
  }

  @Test
  void anUnsafePlanIsNotRunUnlessAskedTo() {
    Path p =
        TestPlans.write(
            dir,
            PLAN.replace(
                """
          - name: Conductors
            steps:
              - upgrade: nova-conductor
                waves: {max-failures: 1}
        """,
                ""),
            INVENTORY);
    Cli.Result refused = Cli.run("run", p.toString(), "--progress", "none");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err())
        .contains("error[conductor-before-compute]")
        .contains("nothing was run")
        .contains("--unsafe");
    assertThat(refused.out()).isEmpty();
    assertThat(Cli.run("run", p.toString(), "--progress", "none", "--unsafe").code()).isZero();
  }
}
