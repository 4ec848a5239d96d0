package io.upshift.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upshift.Cli;
import io.upshift.TestPlans;
import io.upshift.engine.RunSummary;
import io.upshift.plan.ComponentState;
import io.upshift.plan.Plan;
import io.upshift.plan.PlanLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reference scenario: rehearsing examples/cern-havana shows the downtime the CERN team saw,
 * produced from step durations and effects.
 */
class CernHavanaTest {
  static final Path EXAMPLE = Path.of("examples/cern-havana");

  @TempDir Path dir;

  @Test
  void theInventoryHasTheScenariosShape() {
    Plan plan = PlanLoader.load(EXAMPLE);
    var hosts = plan.inventory().hosts();
    assertThat(hosts.stream().map(h -> h.site()).distinct())
        .containsExactlyInAnyOrder("geneva", "budapest");
    assertThat(hosts.stream().map(h -> h.cell()).filter(c -> !c.equals("top")).distinct())
        .hasSize(10);
    long hypervisors = hosts.stream().filter(h -> h.components().containsKey("hypervisor")).count();
    assertThat(hypervisors).isBetween(2000L, 2200L);
    assertThat(hosts.stream().filter(h -> h.os().equals("windows")).map(h -> h.cell()).distinct())
        .containsExactlyInAnyOrder("gva-6", "bud-4");
    assertThat(plan.stages().stream().map(s -> s.name()))
        .containsExactly(
            "Ceilometer",
            "Glance",
            "Keystone",
            "Cinder",
            "Client CLIs",
            "Horizon",
            "Nova",
            "After");
    assertThat(plan.capabilities().keySet())
        .contains("vm-running", "image-api", "volume-ops", "identity", "vm-launch", "dashboard");
  }

  @Test
  void theRehearsalFromTheCommandLineShowsTheStorysFigures() throws IOException {
    Path json = dir.resolve("s.json");
    Cli.Result r =
        Cli.run("run", EXAMPLE.toString(), "--summary-json", json.toString(), "--progress", "none");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("SUCCEEDED").contains("image-api").contains("STAGE");

    JsonNode s = new ObjectMapper().readTree(json.toFile());
    assertThat(s.get("plan").asText()).isEqualTo("CERN cloud, Grizzly to Havana");
    assertThat(s.get("target").asText()).isEqualTo("sim");
    assertThat(s.get("seed").asLong()).isEqualTo(1);
    assertThat(s.get("status").asText()).isEqualTo("succeeded");
    assertThat(s.get("hosts").asInt()).isEqualTo(2164);
    assertThat(s.get("makespan_s").asDouble()).isGreaterThan(6 * 3600);
    Map<String, Double> down = new HashMap<>();
    for (JsonNode c : s.get("capabilities")) {
      down.put(c.get("name").asText(), c.get("downtime_s").asDouble());
      double sum = 0;
      for (JsonNode w : c.get("windows")) {
        sum += w.get("end_s").asDouble() - w.get("start_s").asDouble();
      }
      assertThat(sum)
          .as("windows add up to the downtime of %s", c.get("name"))
          .isCloseTo(c.get("downtime_s").asDouble(), within(0.01));
    }
    assertFigures(down, stageSeconds(s, "Nova"));
    JsonNode steps = s.get("steps");
    assertThat(steps.get("total").asLong())
        .isEqualTo(steps.get("succeeded").asLong())
        .isGreaterThan(20_000);
    assertThat(steps.get("failed").asLong()).isZero();
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {2, 3, 17, 2014})
  void theFiguresHoldForOtherSeeds(long seed) {
    RunSummary s = TestPlans.rehearse(EXAMPLE, seed);
    Map<String, Double> down = new HashMap<>();
    s.windows().keySet().forEach(c -> down.put(c, s.downtime(c) / 1000.0));
    RunSummary.StageResult nova =
        s.stages().stream().filter(r -> r.name().equals("Nova")).findFirst().orElseThrow();
    assertFigures(down, (nova.end() - nova.start()) / 1000.0);
  }

  @Test
  void afterTheRunEveryUpgradedComponentAndSchemaIsAtHavanaAndServing() {
    RunSummary s = TestPlans.rehearse(EXAMPLE, 1);
    var fleet = s.state().fleet();
    for (var host : s.plan().inventory().hosts()) {
      if (host.labels().getOrDefault("color", "").equals("blue")) {
        // the old Horizon servers are retired drained, still at Grizzly
        assertThat(fleet.state("horizon", host.index())).isEqualTo(ComponentState.DRAINED);
        continue;
      }
      host.components()
          .keySet()
          .forEach(
              c -> {
                String want = c.equals("hypervisor") || c.equals("rabbitmq") ? "grizzly" : "havana";
                assertThat(fleet.version(c, host.index()))
                    .as("%s on %s", c, host.name())
                    .isEqualTo(want);
              });
      host.databases()
          .keySet()
          .forEach(
              d ->
                  assertThat(fleet.schema(d, host.index()))
                      .as("%s on %s", d, host.name())
                      .isEqualTo("havana"));
      host.components()
          .keySet()
          .forEach(
              c ->
                  assertThat(fleet.state(c, host.index()))
                      .as("%s on %s", c, host.name())
                      .isEqualTo(ComponentState.SERVING));
    }
  }

  @Test
  void downtimeFollowsTheStepDurations() throws IOException {
    // The same seed draws the same offset in a range of the same width: moving Glance's db-sync
    // from 12m..16m to 32m..36m must add exactly 20 minutes to the image API's downtime.
    Path copy = dir.resolve("cern");
    Files.createDirectories(copy);
    Files.copy(EXAMPLE.resolve("inventory.yaml"), copy.resolve("inventory.yaml"));
    String plan = Files.readString(EXAMPLE.resolve("plan.yaml"));
    assertThat(plan).containsOnlyOnce("duration: 12m..16m");
    Files.writeString(
        copy.resolve("plan.yaml"), plan.replace("duration: 12m..16m", "duration: 32m..36m"));
    long before = TestPlans.rehearse(EXAMPLE, 5).downtime("image-api");
    long after = TestPlans.rehearse(copy, 5).downtime("image-api");
    assertThat(after - before).isEqualTo(20 * 60_000L);
  }

  private static void assertFigures(Map<String, Double> down, double novaSeconds) {
    assertThat(down.get("vm-running")).isZero();
    assertThat(down.get("image-api")).isBetween(45 * 60 * 0.85, 45 * 60 * 1.15);
    assertThat(down.get("volume-ops")).isBetween(15 * 60 * 0.8, 15 * 60 * 1.2);
    assertThat(down.get("identity")).isGreaterThan(0).isLessThan(120);
    assertThat(down.get("dashboard")).isLessThan(60);
    assertThat(novaSeconds).isBetween(6 * 3600 * 0.8, 6 * 3600 * 1.2);
    assertThat(down.get("vm-launch")).isBetween(novaSeconds * 0.8, novaSeconds);
  }

  private static double stageSeconds(JsonNode s, String name) {
    for (JsonNode st : s.get("stages")) {
      if (st.get("name").asText().equals(name)) {
        return st.get("end_s").asDouble() - st.get("start_s").asDouble();
      }
    }
    throw new AssertionError("no stage " + name);
  }
}
