package io.upshift.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upshift.Cli;
import io.upshift.TestPlans;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real run's summary JSON holds the plan's rehearsal beside what happened: the predicted makespan
 * and, per capability, the predicted downtime and windows, the same figures a rehearsal of the plan
 * gives.
 */
class PredictedSummaryTest {
  @TempDir Path dir;

  private static final String PLAN =
      """
      upshift: 1
      name: predicted
      inventory: inventory.yaml
      releases: [v1, v2]
      from: v1
      to: v2
      capabilities:
        service: {needs: [app]}
      stages:
        - name: One
          steps:
            - stop: app
              on: all
              run: "true"
              duration: 20s
            - upgrade: app
              run: "true"
              duration: 1m
            - start: app
              run: "true"
              duration: 10s
      """;

  @Test
  void aRealRunsSummaryCarriesTheRehearsalsPrediction() throws Exception {
    Path plan = TestPlans.write(dir, PLAN, TestPlans.fleet(1, 2));
    Path real = dir.resolve("real.json");
    Path sim = dir.resolve("sim.json");
    double before = System.currentTimeMillis() / 1000.0;
    Cli.Result r =
        Cli.run(
            "run",
            plan.toString(),
            "--target",
            "local",
            "--no-journal",
            "--progress",
            "none",
            "--summary-json",
            real.toString());
    assertThat(r.code()).as(r.err() + r.out()).isZero();
    Cli.Result rehearsal =
        Cli.run("run", plan.toString(), "--progress", "none", "--summary-json", sim.toString());
    assertThat(rehearsal.code()).isZero();

    ObjectMapper json = new ObjectMapper();
    JsonNode measured = json.readTree(real.toFile());
    JsonNode predicted = json.readTree(sim.toFile());
    assertThat(measured.path("predicted_makespan_s").asDouble())
        .isEqualTo(predicted.path("makespan_s").asDouble())
        .isEqualTo(90.0);
    assertThat(measured.path("makespan_s").asDouble()).isLessThan(90.0);
    assertThat(measured.path("started_at").asDouble())
        .as("the run's time 0 on the wall clock")
        .isBetween(before, before + measured.path("makespan_s").asDouble() + 60);
    assertThat(predicted.has("started_at")).as("a rehearsal has no wall clock").isFalse();
    JsonNode cap = measured.path("capabilities").get(0);
    assertThat(cap.path("name").asText()).isEqualTo("service");
    assertThat(cap.path("predicted").path("downtime_s").asDouble())
        .isEqualTo(predicted.path("capabilities").get(0).path("downtime_s").asDouble())
        .isGreaterThan(0);
    assertThat(cap.path("predicted").path("windows")).hasSize(1);
    JsonNode stage = measured.path("stages").get(0);
    assertThat(stage.path("predicted").path("end_s").asDouble())
        .isEqualTo(predicted.path("stages").get(0).path("end_s").asDouble());
    assertThat(stage.path("predicted").path("duration_s").asDouble()).isGreaterThan(0);
    assertThat(predicted.path("stages").get(0).has("predicted")).isFalse();
    assertThat(predicted.has("predicted_makespan_s"))
        .as("a rehearsal is its own prediction")
        .isFalse();
  }
}
