package io.upshift.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.TestPlans;
import io.upshift.plan.Plan;
import io.upshift.plan.PlanLoader;
import io.upshift.plan.Step;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet's starting state, as the inventory gives it: the same whether hosts are written as
 * ranges (whose hosts share their settings) or one by one, with instances drained at the start, a
 * version of their own, and capabilities counted on part of the fleet.
 */
class FleetStateTest {
  @TempDir Path dir;

  private static final String PLAN =
      """
      upshift: 1
      name: start
      inventory: inventory.yaml
      releases: [v0, v1, v2]
      from: v1
      to: v2
      capabilities:
        app-everywhere: {needs-every: [app]}
        app-front: {needs: [app], on: tier=front}
        app-back-all: {needs-every: [app], on: tier=back}
        jobs: {needs: [worker]}
      stages:
        - name: one
          steps:
            - upgrade: app
      """;

  private static final String RANGES =
      """
      defaults: {version: v1}
      sites:
        s1:
          cells:
            c1:
              hosts:
                - name: web-[1:3]
                  components: [app, worker]
                  labels: {tier: front}
                - name: web-[4:5]
                  components: [app]
                  states: {app: drained}
                  labels: {tier: front}
                - name: back-[1:2]
                  components: {app: v0}
                  labels: {tier: back}
      """;

  /** The same fleet, host by host. */
  private static String oneByOne() {
    StringBuilder b =
        new StringBuilder(
            "defaults: {version: v1}\nsites:\n  s1:\n    cells:\n      c1:\n        hosts:\n");
    for (int i = 1; i <= 3; i++) {
      b.append("          - name: web-")
          .append(i)
          .append("\n            components: [app, worker]\n            labels: {tier: front}\n");
    }
    for (int i = 4; i <= 5; i++) {
      b.append("          - name: web-")
          .append(i)
          .append(
              "\n            components: [app]\n            states: {app: drained}\n"
                  + "            labels: {tier: front}\n");
    }
    for (int i = 1; i <= 2; i++) {
      b.append("          - name: back-")
          .append(i)
          .append("\n            components: {app: v0}\n            labels: {tier: back}\n");
    }
    return b.toString();
  }

  private Plan load(String name, String inventory) {
    return PlanLoader.load(TestPlans.write(dir.resolve(name), PLAN, inventory));
  }

  @Test
  void rangesAndSingleHostsStartAlike() {
    FleetState ranges = new FleetState(load("ranges", RANGES));
    FleetState single = new FleetState(load("single", oneByOne()));
    assertThat(ranges.capabilityStates()).isEqualTo(single.capabilityStates());
    int app = ranges.componentIndex("app");
    int worker = ranges.componentIndex("worker");
    for (int h = 0; h < 7; h++) {
      assertThat(ranges.serving(app, h))
          .as("app serving on %d", h)
          .isEqualTo(single.serving(app, h));
      assertThat(ranges.versionRank(app, h)).isEqualTo(single.versionRank(app, h));
      assertThat(ranges.serving(worker, h)).isEqualTo(single.serving(worker, h));
    }
  }

  @Test
  void capabilitiesCountTheInstancesOfTheirHosts() {
    FleetState fleet = new FleetState(load("ranges", RANGES));
    // two app instances are drained: not every one serves, but some in the front tier do
    assertThat(fleet.isUp("app-everywhere")).isFalse();
    assertThat(fleet.isUp("app-front")).isTrue();
    // the back tier's instances all serve (at v0)
    assertThat(fleet.isUp("app-back-all")).isTrue();
    assertThat(fleet.isUp("jobs")).isTrue();
    int app = fleet.componentIndex("app");
    assertThat(fleet.serving(app, 3)).isFalse();
    assertThat(fleet.versionRank(app, 5)).isZero(); // v0
    assertThat(fleet.versionRank(app, 0)).isEqualTo(1); // v1
  }

  @Test
  void hostsAlikeGoThroughTheSameMoments() {
    Plan plan = load("ranges", RANGES);
    FleetState fleet = new FleetState(plan);
    Step upgrade = plan.stages().get(0).steps().get(0);
    assertThat(fleet.alike(0, 2)).isTrue(); // one range
    assertThat(fleet.alike(2, 3)).isFalse(); // web-4 is drained and runs no worker
    assertThat(fleet.alike(3, 4)).isTrue();
    assertThat(fleet.alike(4, 5)).isFalse(); // back-1 runs v0
    assertThat(same(fleet.moments(upgrade, 0), fleet.moments(upgrade, 2))).isTrue();
    assertThat(same(fleet.moments(upgrade, 2), fleet.moments(upgrade, 3))).isFalse();
    // once one of them has moved on, they are no longer alike
    fleet.succeeded(upgrade, 0);
    assertThat(fleet.alike(0, 1)).isFalse();
  }

  private static boolean same(FleetState.Moment[] a, FleetState.Moment[] b) {
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (!Arrays.equals(a[i].bits(), b[i].bits())
          || !Arrays.equals(a[i].versions(), b[i].versions())
          || !Arrays.equals(a[i].schemas(), b[i].schemas())) {
        return false;
      }
    }
    return true;
  }
}
