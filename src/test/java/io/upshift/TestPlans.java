package io.upshift;

import io.upshift.clock.VirtualClock;
import io.upshift.engine.Engine;
import io.upshift.engine.RunSummary;
import io.upshift.engine.sim.SimTarget;
import io.upshift.plan.Plan;
import io.upshift.plan.PlanLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small plans and generated fleets to a folder, and rehearses them, for tests. */
public final class TestPlans {
  private TestPlans() {}

  /** Writes plan.yaml and inventory.yaml into {@code dir} and returns the folder. */
  public static Path write(Path dir, String plan, String inventory) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("plan.yaml"), plan);
      Files.writeString(dir.resolve("inventory.yaml"), inventory);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * An inventory of {@code cells} cells named c01.., each with {@code perCell} hosts named
   * h-cNN-NNNNN, role {@code node}, running component {@code app} at v1.
   */
  public static String fleet(int cells, int perCell) {
    StringBuilder b = new StringBuilder("defaults: {version: v1}\nsites:\n  s1:\n    cells:\n");
    for (int c = 1; c <= cells; c++) {
      b.append(
          String.format(
              "      c%02d:%n        hosts:%n          - name: h-c%02d-[00001:%05d]%n",
              c, c, perCell));
      b.append("            roles: [node]\n            components: [app]\n");
    }
    return b.toString();
  }

  /** A plan header for the generated fleet: releases v1, v2 and capability `service`. */
  public static String header(String name) {
    return "upshift: 1\nname: "
        + name
        + "\ninventory: inventory.yaml\nreleases: [v1, v2]\nfrom: v1\nto: v2\n"
        + "capabilities:\n  service: {needs: [app]}\n";
  }

  /** Rehearses a plan on the simulated fleet and returns the summary. */
  public static RunSummary rehearse(Path planDir, long seed) {
    Plan plan = PlanLoader.load(planDir);
    VirtualClock clock = new VirtualClock();
    RunSummary summary = new RunSummary(plan, "sim", seed);
    new Engine(plan, new SimTarget(plan, clock, seed, plan.faults()), clock, seed)
        .listen(summary)
        .run();
    return summary;
  }
}
