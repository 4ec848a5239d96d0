package io.upshift.clock;

import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real clock: time is the monotonic time since the run started, and {@link #runNext} blocks
 * until a task is due. Targets post results from their own threads. Tasks due at the same moment
 * run in the order they were queued.
 */
public final class WallClock implements RunClock {
  private final long origin;

  /** A clock for a new run: time starts at 0. */
  public WallClock() {
    this(0);
  }

  /** A clock for a run that goes on: time starts at {@code startMillis} (since the run began). */
  public WallClock(long startMillis) {
    this.origin = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(startMillis);
  }

  private final DelayQueue<Due> queue = new DelayQueue<>();
  private final AtomicLong seq = new AtomicLong();

  private final class Due implements Delayed {
    final long atNanos;
    final long order = seq.getAndIncrement();
    final Runnable task;

    Due(long atMillis, Runnable task) {
      this.atNanos = origin + TimeUnit.MILLISECONDS.toNanos(atMillis);
      this.task = task;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(atNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      Due d = (Due) o;
      int c = Long.compare(atNanos, d.atNanos);
      return c != 0 ? c : Long.compare(order, d.order);
    }
  }

  @Override
  public long now() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - origin);
  }

  @Override
  public void at(long atMillis, Runnable task) {
    queue.add(new Due(atMillis, task));
  }

  @Override
  public void post(Runnable task) {
    queue.add(new Due(0, task));
  }

  @Override
  public boolean runNext(boolean moreWillArrive) {
    if (queue.isEmpty() && !moreWillArrive) {
      return false;
    }
    try {
      queue.take().task.run();
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public boolean isVirtual() {
    return false;
  }
}
