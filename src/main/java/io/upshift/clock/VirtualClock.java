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
 */
public final class VirtualClock implements RunClock {
  private final TreeMap<Long, ArrayDeque<Runnable>> due = new TreeMap<>();
  private long now;

  /** The queue of the latest time a task was queued at: most tasks go to the same one in a row. */
  private long lastAt = -1;

  private ArrayDeque<Runnable> last;

  @Override
  public long now() {
    return now;
  }

  @Override
  public void at(long atMillis, Runnable task) {
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
    for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
      task.run();
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
