package io.upshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upshift.Cli;
import io.upshift.plan.DurationModel;
import io.upshift.plan.LearnedDurations;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code upshift learn}: a real run's durations, per step and host class, become the models a
 * rehearsal of the plan uses; the rehearsal then predicts what the real run did.
 */
class LearnTest {
  @TempDir Path dir;

  private static final String INVENTORY =
      """
      upshift-inventory: 1
      defaults: {version: v1}
      sites:
        s1:
          cells:
            c1:
              hosts:
                - name: slow-[1:2]
                  roles: [slow]
                  components: [app]
                - name: quick-[1:2]
                  roles: [quick]
                  components: [app]
      """;

  private static final String PLAN =
      """
      upshift: 1
      name: learning
      inventory: inventory.yaml
      releases: [v1, v2]
      from: v1
      to: v2
      capabilities:
        service: {needs: [app]}
      stages:
        - name: One
          steps:
            - upgrade: app
              on: all
              run: "case {{host}} in slow-*) sleep 0.4 ;; *) sleep 0.05 ;; esac"
              duration: 1h
      """;

  @Test
  void durationsLearnedFromARealRunAreWhatTheRehearsalThenPredicts() throws Exception {
    Files.writeString(dir.resolve("inventory.yaml"), INVENTORY);
    Files.writeString(dir.resolve("plan.yaml"), PLAN);
    String journal = dir.resolve("journal.db").toString();
    Path real = dir.resolve("real.json");
    Cli.Result r =
        Cli.run(
            "run",
            dir.toString(),
            "--target",
            "local",
            "--journal",
            journal,
            "--progress",
            "none",
            "--summary-json",
            real.toString());
    assertThat(r.code()).as(r.err() + r.out()).isZero();

    Path learned = dir.resolve("learned.yaml");
    Cli.Result l = Cli.run("learn", "last", "--journal", journal, "-o", learned.toString());
    assertThat(l.code()).as(l.err()).isZero();
    assertThat(l.err()).contains("learned 2 model(s)").contains("rehearsal: {durations:");
    String text = Files.readString(learned);
    assertThat(text).contains("\"role=slow,os=linux\"").contains("\"role=quick,os=linux\"");

    // the rehearsal with the learned models predicts the real run, not the plan's 1h
    Files.writeString(dir.resolve("plan.yaml"), PLAN + "rehearsal: {durations: learned.yaml}\n");
    Path predicted = dir.resolve("sim.json");
    Cli.Result sim =
        Cli.run(
            "run", dir.toString(), "--progress", "none", "--summary-json", predicted.toString());
    assertThat(sim.code()).as(sim.err() + sim.out()).isZero();
    ObjectMapper json = new ObjectMapper();
    double rehearsed = json.readTree(predicted.toFile()).path("makespan_s").asDouble();
    JsonNode measured = json.readTree(real.toFile());
    double ran = measured.path("makespan_s").asDouble();
    // the slow hosts' sleep at least; at most the real run, whose makespan also holds the
    // orchestrator's own time between actions (which a busy machine stretches)
    assertThat(rehearsed).isBetween(0.4, ran + 0.1);
  }

  @Test
  void aStepThatChangedSinceIsNotGivenItsOldDurations() throws Exception {
    Files.writeString(dir.resolve("inventory.yaml"), INVENTORY);
    Files.writeString(
        dir.resolve("learned.yaml"),
        """
        upshift-durations: 1
        class-by: ["role", "os"]
        steps:
          - stage: "One"
            step: 1
            name: "a step no longer there"
            phase: action
            classes:
              - class: "role=slow,os=linux"
                samples: 2
                mean: 400ms
                p95: 410ms
                duration: 380ms..420ms
        """);
    Files.writeString(dir.resolve("plan.yaml"), PLAN + "rehearsal: {durations: learned.yaml}\n");
    Cli.Result v = Cli.run("validate", dir.toString());
    assertThat(v.code()).isZero();
    assertThat(v.err() + v.out())
        .contains("learned.yaml:4:")
        .contains("warning[learned-step-changed]");
  }

  @Test
  void aUniformModelIsFittedToTheMeanAndThe95thPercentile() {
    // mean 10 s, p95 14.5 s: width 10 s, so 5 s..15 s
    assertThat(LearnedDurations.fit(10_000, 14_500)).isEqualTo(new DurationModel(5_000, 15_000));
    DurationModel m = LearnedDurations.fit(1_000, 1_200);
    assertThat(m.expectedMillis()).isEqualTo(1_000);
    assertThat(m.p95Millis()).isBetween(1_190L, 1_210L);
    assertThat(LearnedDurations.fit(100, 5_000).minMillis()).isZero();
  }
}
