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
  private final TreeMap<Long, ArrayDeque<Runnable>> due = new TreeMap<>();
  private long now;

  /** The queue of the latest time a task was queued at: most tasks go to the same one in a row. */
  private long lastAt = -1;

  private ArrayDeque<Runnable> last;

  /** Whether tasks carry a time on the second timeline. */
  private boolean shadowing;

  /** The time on the second timeline of the moment running now. */
  private long shadowNow;

  /** Whether the second timeline has kept the first one's order so far. */
  private boolean shadowHolds = true;

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

  /**
   * Queues a task due at {@code atMillis}, and at {@code shadowAtMillis} on the second timeline.
   */
  public void at(long atMillis, long shadowAtMillis, Runnable task) {
    queue(atMillis, new Shadowed(this, task, shadowAtMillis));
  }

  /** Says that the second timeline no longer follows this one (an outcome would differ on it). */
  public void breakShadow() {
    shadowHolds = false;
  }

  /** A task and its time on the second timeline, which becomes the clock's as it runs. */
  private record Shadowed(VirtualClock clock, Runnable task, long shadowAt) implements Runnable {
    @Override
    public void run() {
      clock.enter(shadowAt);
      task.run();
    }
  }

  /** The previous moment, on both timelines: the start of the walk before the first one. */
  private long previousTime;

  private long previousShadow;

  /** The second timeline's time of the moment running now, once its first task ran. */
  private long momentShadow = UNSET;

  private static final long UNSET = Long.MIN_VALUE;

  /** Checks a task's time on the second timeline against its moment's and the moment before. */
  private void enter(long shadowAt) {
    if (momentShadow == UNSET) {
      // later on the second timeline than the moment before, or as late when this one did not move
      boolean ordered = now > previousTime ? shadowAt > previousShadow : shadowAt == previousShadow;
      if (!ordered) {
        shadowHolds = false;
      }
      momentShadow = shadowAt;
      shadowNow = shadowAt;
    } else if (shadowAt != momentShadow) {
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
      long at = Math.max(atMillis, now);
      task = new Shadowed(this, task, shadowNow + (at - now));
    }
    queue(atMillis, task);
  }

  private void queue(long atMillis, Runnable task) {
    long at = Math.max(atMillis, now);
    if (last == null || at != lastAt) {
      last = due.computeIfAbsent(at, k -> new ArrayDeque<>());
      lastAt = at;
    }
    last.add(task);
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
    Map.Entry<Long, ArrayDeque<Runnable>> next = due.firstEntry();
    if (next == null) {
      return false;
    }
    now = next.getKey();
    ArrayDeque<Runnable> tasks = next.getValue();
    momentShadow = UNSET;
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
