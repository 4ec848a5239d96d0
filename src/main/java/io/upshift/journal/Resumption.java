package io.upshift.journal;

import io.upshift.engine.RunEvent;
import io.upshift.engine.RunState;
import io.upshift.plan.InDoubt;
import io.upshift.plan.Plan;
import io.upshift.plan.Step;
import io.upshift.target.Execution.Phase;
import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds a run from its journal and settles what was in flight when its driver stopped.
 *
 * @param state the run's state, folded from every stored event
 * @param lastSeq the number of the last stored event
 */
public record Resumption(RunState state, long lastSeq) {

  /**
   * Replays a run's events onto a fresh state of {@code plan}, telling {@code listeners} as the
   * engine would have (with the capability changes derived again).
   */
  public static Resumption replay(
      Journal journal, String run, Plan plan, List<io.upshift.engine.RunListener> listeners) {
    RunState state = new RunState(plan);
    long[] last = {0};
    journal.read(
        run,
        1,
        stored -> {
          if (stored.seq() != last[0] + 1) {
            throw new JournalException(
                "run "
                    + run
                    + " misses event "
                    + (last[0] + 1)
                    + " in the journal "
                    + journal.describe()
                    + " (found "
                    + stored.seq()
                    + " next); it cannot be resumed safely");
          }
          last[0] = stored.seq();
          RunEvent e = EventCodec.decode(stored.type(), stored.version(), stored.body());
          try {
            state.apply(e);
            for (var l : listeners) {
              l.onEvent(e, state);
            }
            for (String capability : state.fleet().takeChanges()) {
              RunEvent change =
                  new RunEvent.CapabilityChanged(
                      e.at(), capability, state.fleet().isUp(capability));
              for (var l : listeners) {
                l.onEvent(change, state);
              }
            }
          } catch (JournalException ex) {
            throw ex;
          } catch (RuntimeException ex) {
            throw new JournalException(
                "event "
                    + stored.seq()
                    + " ("
                    + stored.type()
                    + ") of run "
                    + run
                    + " does not fit the plan as it is now: "
                    + ex.getMessage());
          }
        });
    return new Resumption(state, last[0]);
  }

  /** An action in doubt, and what its step kind says to do with it. */
  public record Doubt(Step step, int host, String hostName, Phase phase, InDoubt policy) {}

  /** The actions started and never finished, with their kinds' policies. */
  public List<Doubt> doubts() {
    List<Doubt> out = new ArrayList<>();
    Plan plan = state.plan();
    for (RunEvent.ActionStarted a : state.unfinished()) {
      Step step = plan.stages().get(a.stage()).steps().get(a.step());
      InDoubt policy = a.phase() == Phase.CHECK ? InDoubt.RERUN : step.kind().inDoubt();
      if (policy == InDoubt.CHECK && !step.gated()) {
        policy = InDoubt.RERUN; // nothing to check with: a reboot without a check runs again
      }
      out.add(new Doubt(step, a.host(), plan.inventory().host(a.host()).name(), a.phase(), policy));
    }
    return out;
  }

  /**
   * The events that settle the doubts: as their kinds say, and {@code answer} (done, rerun or
   * failed) for those that ask the operator. Returns null when some ask and there is no answer.
   */
  public List<RunEvent> settle(List<Doubt> doubts, InDoubt answer, long now) {
    List<RunEvent> out = new ArrayList<>();
    for (Doubt d : doubts) {
      InDoubt how = d.policy();
      if (how == InDoubt.ASK) {
        if (answer == null) {
          return null;
        }
        how = answer;
      }
      out.add(
          new RunEvent.ActionInDoubt(
              now, d.step().stage(), d.step().index(), d.host(), d.phase(), how));
    }
    return out;
  }
}
