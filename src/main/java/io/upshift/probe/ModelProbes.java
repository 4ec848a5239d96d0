package io.upshift.probe;

import io.upshift.engine.Engine;
import io.upshift.engine.RunEvent;
import io.upshift.engine.RunState;
import io.upshift.plan.Capability;
import io.upshift.plan.Plan;
import io.upshift.plan.Probe;
import java.util.ArrayList;
import java.util.List;

/**
 * The probes of a rehearsal: each samples, on the run's virtual clock at its interval, whether the
 * simulated fleet serves the capability. A window shorter than the interval can go unseen, as it
 * would by a real probe.
 */
public final class ModelProbes implements Engine.Controls {
  private final List<Sampler> samplers = new ArrayList<>();

  private static final class Sampler {
    final Capability capability;
    final Probe probe;
    long nextAt; // the time of the next sample
    boolean up = true; // what the last sample said
    boolean lastSeen = true; // the fleet at the last turn of the loop
    long samples;
    long failed;

    Sampler(Capability capability, Probe probe) {
      this.capability = capability;
      this.probe = probe;
    }
  }

  public ModelProbes(Plan plan) {
    for (Capability c : plan.capabilities().values()) {
      for (Probe p : c.probes()) {
        samplers.add(new Sampler(c, p));
      }
    }
  }

  /** Whether the plan declares any probe. */
  public boolean any() {
    return !samplers.isEmpty();
  }

  @Override
  public List<RunEvent> poll(RunState state, long now) {
    List<RunEvent> out = new ArrayList<>();
    for (Sampler s : samplers) {
      boolean current = state.fleet().isUp(s.capability.name());
      long interval = s.probe.intervalMillis();
      // the fleet changes only at turns of the loop: a sample before now saw it as it was at the
      // last turn; a sample at now sees it as it is
      for (; s.nextAt <= now; s.nextAt += interval) {
        boolean up = s.nextAt < now ? s.lastSeen : current;
        if (s.nextAt < now && s.nextAt + interval < now) { // a run of equal samples at once
          long count = (now - 1 - s.nextAt) / interval + 1;
          sample(s, up, count, out);
          s.nextAt += (count - 1) * interval;
          continue;
        }
        sample(s, up, 1, out);
      }
      s.lastSeen = current;
    }
    return out;
  }

  private static void sample(Sampler s, boolean up, long count, List<RunEvent> out) {
    s.samples += count;
    if (!up) {
      s.failed += count;
    }
    if (up != s.up) {
      out.add(
          new RunEvent.ProbeChanged(
              s.nextAt,
              s.capability.name(),
              s.probe.describe(),
              up,
              up ? "" : "the rehearsal's fleet does not serve it"));
      s.up = up;
    }
  }

  @Override
  public List<RunEvent> close(RunState state, long now) {
    List<RunEvent> out = new ArrayList<>();
    for (Sampler s : samplers) {
      out.add(
          new RunEvent.ProbeTally(
              now, s.capability.name(), s.probe.describe(), s.samples, s.failed));
    }
    return out;
  }
}
