package io.upshift.target;

import io.upshift.clock.RunClock;
import io.upshift.clock.WallClock;
import io.upshift.engine.Target;
import io.upshift.plan.Plan;
import io.upshift.target.local.LocalTarget;

/** Real processes on this machine keep the target contract. */
class LocalTargetTest extends TargetContract {
  private final WallClock clock = new WallClock();

  @Override
  protected RunClock clock() {
    return clock;
  }

  @Override
  protected Target target(Plan plan, RunClock clock) {
    return new LocalTarget(plan, clock, dir, 8);
  }

  @Override
  protected String steps() {
    return "      - command: \"echo {{host}} >> ran.txt\"\n        on: role=node\n"
        + "      - command: \"echo failing on {{host}}; exit 3\"\n"
        + "      - check: \"test -n {{host}}\"\n";
  }
}
