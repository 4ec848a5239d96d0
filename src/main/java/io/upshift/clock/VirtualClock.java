package io.upshift.clock;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;

/**
 * A clock for rehearsal: time stands still while the engine works and jumps to the next due task
 * when the engine asks for one. Tasks due at the same time run in the order they were queued, so a
 * run with the same seed is the same run. Single-threaded by design.
 *
 * <p>Tasks are kept in one queue per due time: in a walk every host of a batch finishes at the same
 * moment, so thousands of tasks share a handful of times, and queueing one costs a map lookup, not
 * a heap insertion.
 *
 * <p>A clock may also keep a second timeline ({@link #shadowed}): each task carries the time it
 * would be due at if actions took other durations (say their 95th percentiles), and the clock
 * checks as it goes that the second timeline puts every task in the same order and the same moments
 * together. While it does, a walk on the other durations would make the same decisions in the same
 * order, only at other times: one walk gives both.
 */
public final class VirtualClock implements RunClock {
  private final TreeMap<Long, Moment> due = new TreeMap<>();
  private long now;

  /** The queue of the latest time a task was queued at: most tasks go to the same one in a row. */
  private long lastAt = -1;

  private Moment last;

  /**
   * The tasks due at one time, in queue order, and that time on the second timeline (which all of
   * them must agree on).
   */
  private static final class Moment extends ArrayDeque<Runnable> {
    long shadow = UNSET;
  }

  private static final long UNSET = Long.MIN_VALUE;

  /** Whether tasks carry a time on the second timeline. */
  private boolean shadowing;

  /** The time on the second timeline of the moment running now. */
  private long shadowNow;

  /** Whether the second timeline has kept the first one's order so far. */
  private boolean shadowHolds = true;

  /** The moment before the one running now (the walk's start before the first): its times. */
  private long previousTime;

  private long previousShadow;

  /** Starts a second timeline; call before anything is queued. */
  public VirtualClock shadowed() {
    shadowing = true;
    return this;
  }

  /** The time of the moment running now on the second timeline. */
  public long shadowNow() {
    return shadowNow;
  }

  /**
   * Whether the second timeline has put every task in the same order as this clock, and the same
   * tasks together at one moment: then it is the timeline of a walk on the other durations.
   */
  public boolean shadowHolds() {
    return shadowing && shadowHolds;
  }

  /** Says that the second timeline no longer follows this one (an outcome would differ on it). */
  public void breakShadow() {
    shadowHolds = false;
  }

  /**
   * Queues a task due at {@code atMillis}, and at {@code shadowAtMillis} on the second timeline.
   */
  public void at(long atMillis, long shadowAtMillis, Runnable task) {
    Moment m = queue(atMillis, task);
    if (m.shadow == UNSET) {
      m.shadow = shadowAtMillis;
    } else if (m.shadow != shadowAtMillis) {
      shadowHolds = false; // the moment's tasks would come apart on the second timeline
    }
  }

  @Override
  public long now() {
    return now;
  }

  @Override
  public void at(long atMillis, Runnable task) {
    if (shadowing) {
      // a wait of the same length on both timelines (a pause between batches)
      at(atMillis, shadowNow + (Math.max(atMillis, now) - now), task);
    } else {
      queue(atMillis, task);
    }
  }

  private Moment queue(long atMillis, Runnable task) {
    long at = Math.max(atMillis, now);
    if (last == null || at != lastAt) {
      last = due.get(at);
      if (last == null) {
        last = new Moment();
        due.put(at, last);
      }
      lastAt = at;
    }
    last.add(task);
    return last;
  }

  @Override
  public void post(Runnable task) {
    at(now, task);
  }

  /**
   * Runs the next due task, and every other task due at the same moment (in queue order, including
   * those queued for this moment while it runs): what happens at one instant is all done before the
   * engine decides again. In a walk where every host of a batch takes the same time, the engine
   * decides once per batch, not once per host.
   */
  @Override
  public boolean runNext(boolean moreWillArrive) {
    Map.Entry<Long, Moment> next = due.firstEntry();
    if (next == null) {
      return false;
    }
    now = next.getKey();
    Moment tasks = next.getValue();
    if (shadowing) {
      // later on the second timeline than the moment before, or as late when this one did not move
      long shadow = tasks.shadow;
      boolean ordered = now > previousTime ? shadow > previousShadow : shadow == previousShadow;
      if (!ordered) {
        shadowHolds = false;
      }
      shadowNow = shadow;
    }
    for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
      task.run();
    }
    if (shadowing) {
      previousTime = now;
      previousShadow = shadowNow;
    }
    due.remove(now);
    if (last == tasks) {
      last = null;
    }
    return true;
  }

  @Override
  public boolean isVirtual() {
    return true;
  }
}
