package io.upshift.clock;

import java.util.PriorityQueue;

/**
 * A clock for rehearsal: time stands still while the engine works and jumps to the next due task
 * when the engine asks for one. Tasks due at the same time run in the order they were queued, so a
 * run with the same seed is the same run. Single-threaded by design.
 */
public final class VirtualClock implements RunClock {
  private record Due(long at, long seq, Runnable task) implements Comparable<Due> {
    @Override
    public int compareTo(Due o) {
      int c = Long.compare(at, o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final PriorityQueue<Due> queue = new PriorityQueue<>();
  private long now;
  private long seq;

  @Override
  public long now() {
    return now;
  }

  @Override
  public void at(long atMillis, Runnable task) {
    queue.add(new Due(Math.max(atMillis, now), seq++, task));
  }

  @Override
  public void post(Runnable task) {
    at(now, task);
  }

  /**
   * Runs the next due task, and every other task due at the same moment (in queue order): what
   * happens at one instant is all done before the engine decides again. In a walk where every host
   * of a batch takes the same time, the engine decides once per batch, not once per host.
   */
  @Override
  public boolean runNext(boolean moreWillArrive) {
    Due next = queue.poll();
    if (next == null) {
      return false;
    }
    now = next.at;
    next.task.run();
    while (!queue.isEmpty() && queue.peek().at == now) {
      queue.poll().task.run();
    }
    return true;
  }

  @Override
  public boolean isVirtual() {
    return true;
  }
}
