package io.upshift.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.clock.VirtualClock;
import io.upshift.engine.sim.SimTarget;
import io.upshift.plan.Fault;
import io.upshift.plan.Plan;
import io.upshift.plan.PlanLoader;
import io.upshift.plan.StepKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The state of a run is a fold of its events: replaying them rebuilds it exactly. */
class ReplayTest {
  @Test
  void replayingTheEventsOfARunRebuildsItsState() {
    Plan plan = PlanLoader.load(Path.of("examples/cern-havana"));
    VirtualClock clock = new VirtualClock();
    List<RunEvent> events = new ArrayList<>();
    List<Fault> faults = List.of(new Fault(StepKind.UPGRADE, null, 0.004, null));
    Engine engine =
        new Engine(plan, new SimTarget(plan, clock, 4, faults), clock, 4)
            .listen(
                (e, s) -> {
                  if (!(e instanceof RunEvent.CapabilityChanged)) {
                    events.add(e);
                  }
                });
    RunState live = engine.run();

    RunState replayed = new RunState(plan);
    events.forEach(replayed::apply);

    assertThat(replayed.status()).isEqualTo(live.status());
    assertThat(replayed.haltReason()).isEqualTo(live.haltReason());
    assertThat(replayed.failures()).isEqualTo(live.failures());
    assertThat(replayed.stepsSucceeded()).isEqualTo(live.stepsSucceeded());
    assertThat(replayed.stepsSkipped()).isEqualTo(live.stepsSkipped());
    assertThat(replayed.fleet().capabilityStates()).isEqualTo(live.fleet().capabilityStates());
    for (var host : plan.inventory().hosts()) {
      for (String component : host.components().keySet()) {
        assertThat(replayed.fleet().version(component, host.index()))
            .isEqualTo(live.fleet().version(component, host.index()));
        assertThat(replayed.fleet().state(component, host.index()))
            .isEqualTo(live.fleet().state(component, host.index()));
      }
    }
    assertThat(live.failures()).as("the faults made some hosts fail").isNotEmpty();
  }
}
