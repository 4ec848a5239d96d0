package io.upshift.target;

import io.upshift.clock.RunClock;
import io.upshift.clock.VirtualClock;
import io.upshift.engine.Target;
import io.upshift.engine.sim.SimTarget;
import io.upshift.plan.Plan;

/** The simulated fleet keeps the target contract; failures come from injected faults. */
class SimTargetTest extends TargetContract {
  private final VirtualClock clock = new VirtualClock();

  @Override
  protected RunClock clock() {
    return clock;
  }

  @Override
  protected Target target(Plan plan, RunClock clock) {
    return new SimTarget(plan, clock, 42, plan.faults());
  }

  @Override
  protected String steps() {
    return "      - command: \"true\"\n        on: role=node\n        duration: 1m..2m\n"
        + "      - restart: app\n"
        + "      - check: \"true\"\n"
        + "rehearsal:\n  faults:\n    - {kind: restart, probability: 1}\n";
  }
}
