package io.upshift.journal;

import io.upshift.engine.RunListener;
import io.upshift.engine.RunState;
import io.upshift.plan.Plan;
import java.util.List;

/**
 * Follows a run's journal as it grows: each {@link #poll} folds the events stored since the last
 * one onto the run's state and tells the listeners, exactly as {@link Resumption#replay} does for a
 * whole run. What watches a run live (the dashboard) is so built from the journal alone, whichever
 * process drives the run.
 */
public final class Tail {
  private final Journal journal;
  private final String run;
  private final RunState state;
  private final List<RunListener> listeners;
  private volatile long lastSeq; // read by other threads (metrics, pages)

  public Tail(Journal journal, String run, Plan plan, List<RunListener> listeners) {
    this.journal = journal;
    this.run = run;
    this.state = new RunState(plan);
    this.listeners = List.copyOf(listeners);
  }

  /**
   * Folds the events stored since the last poll, in order; returns how many.
   *
   * @throws JournalException when an event is missing or does not fit the plan
   */
  public int poll() {
    return poll(Integer.MAX_VALUE);
  }

  /**
   * Folds at most {@code max} of the events stored since the last poll, so that a long journal is
   * caught up with in steps (a watcher shows its progress meanwhile); returns how many.
   */
  public int poll(int max) {
    int[] count = {0};
    try {
      read(max, count);
    } catch (Enough e) {
      // read as many as asked; the rest at the next poll
    }
    return count[0];
  }

  /** Thrown by the reader to end a read early: without a stack trace, it costs nothing. */
  private static final class Enough extends RuntimeException {
    Enough() {
      super(null, null, false, false);
    }
  }

  private void read(int max, int[] count) {
    journal.read(
        run,
        lastSeq + 1,
        s -> {
          if (count[0] >= max) {
            throw new Enough();
          }
          if (s.seq() != lastSeq + 1) {
            throw new JournalException(
                "run " + run + " misses event " + (lastSeq + 1) + " in " + journal.describe());
          }
          Resumption.fold(
              state,
              EventCodec.decode(s.type(), s.version(), s.body()),
              s.seq(),
              s.type(),
              run,
              listeners);
          lastSeq = s.seq();
          count[0]++;
        });
  }

  /** The number of the last event folded, 0 before any. */
  public long lastSeq() {
    return lastSeq;
  }

  /** The run's state after the events folded so far. */
  public RunState state() {
    return state;
  }
}
