package io.upshift.journal;

import io.upshift.engine.Engine;
import io.upshift.engine.Execution.Phase;
import io.upshift.engine.RunEvent;
import io.upshift.engine.RunListener;
import io.upshift.engine.RunState;
import io.upshift.plan.InDoubt;
import io.upshift.plan.Plan;
import io.upshift.plan.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

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
      Journal journal, String run, Plan plan, List<RunListener> listeners) {
    RunState state = new RunState(plan);
    long[] last = {0};
    // Two threads for two cores: a reader reads and decodes half of the batches; this one
    // decodes the other half and folds them all, in order.
    BlockingQueue<Object> queue = new ArrayBlockingQueue<>(64);
    Object end = new Object();
    Thread reader =
        Thread.ofPlatform()
            .name("upshift-replay")
            .daemon(true)
            .start(
                () -> {
                  Object last2 = end;
                  try {
                    List<Journal.Stored> rows = new ArrayList<>(BATCH);
                    int[] batches = {0};
                    journal.read(
                        run,
                        1,
                        stored -> {
                          rows.add(stored);
                          if (rows.size() == BATCH) {
                            // every other batch is decoded by the folding thread
                            put(queue, batches[0]++ % 2 == 0 ? decode(rows) : List.copyOf(rows));
                            rows.clear();
                          }
                        });
                    if (!rows.isEmpty()) {
                      put(queue, decode(rows));
                    }
                  } catch (RuntimeException e) {
                    last2 = e;
                  }
                  put(queue, last2);
                });
    try {
      while (true) {
        Object item = queue.take();
        if (item == end) {
          break;
        }
        if (item instanceof RuntimeException e) {
          throw e;
        }
        @SuppressWarnings("unchecked")
        Decoded d = item instanceof Decoded x ? x : decode((List<Journal.Stored>) item);
        for (int i = 0; i < d.events().size(); i++) {
          long seq = d.seqs()[i];
          if (seq != last[0] + 1) {
            throw new JournalException(
                "run "
                    + run
                    + " misses event "
                    + (last[0] + 1)
                    + " in the journal "
                    + journal.describe()
                    + " (found "
                    + seq
                    + " next); it cannot be resumed safely");
          }
          last[0] = seq;
          fold(state, d.events().get(i), seq, d.types()[i], run, listeners);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JournalException("interrupted while reading run " + run);
    } finally {
      reader.interrupt();
    }
    return new Resumption(state, last[0]);
  }

  private static final int BATCH = 2048;

  /** A batch of events read and decoded, with their numbers and types. */
  private record Decoded(List<RunEvent> events, long[] seqs, String[] types) {}

  private static Decoded decode(List<Journal.Stored> rows) {
    List<RunEvent> events = new ArrayList<>(rows.size());
    long[] seqs = new long[rows.size()];
    String[] types = new String[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      Journal.Stored s = rows.get(i);
      events.add(EventCodec.decode(s.type(), s.version(), s.body()));
      seqs[i] = s.seq();
      types[i] = s.type();
    }
    return new Decoded(events, seqs, types);
  }

  private static void put(BlockingQueue<Object> queue, Object item) {
    try {
      queue.put(item);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void fold(
      RunState state, RunEvent e, long seq, String type, String run, List<RunListener> listeners) {
    try {
      Engine.fold(state, e, listeners);
    } catch (RuntimeException ex) {
      throw new JournalException(
          "event "
              + seq
              + " ("
              + type
              + ") of run "
              + run
              + " does not fit the plan as it is now: "
              + ex);
    }
  }

  /** An action in doubt, and what its step kind says to do with it. */
  public record Doubt(Step step, int host, String hostName, Phase phase, InDoubt policy) {}

  /** The actions started and never finished, with their kinds' policies. */
  public List<Doubt> doubts() {
    List<Doubt> out = new ArrayList<>();
    Plan plan = state.plan();
    for (RunEvent.ActionStarted a : state.unfinished()) {
      Step step = plan.stages().get(a.stage()).steps().get(a.step());
      InDoubt policy = RunState.doubtPolicy(step, a.phase());
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
