package io.upshift.report;

import io.upshift.plan.Plan;

/** How the report names hosts and steps: by the plan's names, with their places as a fallback. */
final class Names {
  private Names() {}

  /** A host by its inventory name. */
  static String host(Plan plan, int host) {
    return host < plan.inventory().size()
        ? "host " + plan.inventory().host(host).name()
        : "host #" + (host + 1) + " of the inventory";
  }

  /** A step with its stage: {@code stage `Glance`, step 3 `db-sync glance`}. */
  static String step(Plan plan, int stage, int step) {
    if (stage < 0 || stage >= plan.stages().size()) {
      return "stage " + (stage + 1) + ", step " + (step + 1);
    }
    var s = plan.stages().get(stage);
    if (step < 0 || step >= s.steps().size()) {
      return "stage `" + s.name() + "`, step " + (step + 1);
    }
    return "stage `" + s.name() + "`, " + s.steps().get(step).describe();
  }

  /** Milliseconds as h:mm:ss. */
  static String clock(long millis) {
    if (millis < 0) {
      return "";
    }
    long s = millis / 1000;
    return String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  }
}
