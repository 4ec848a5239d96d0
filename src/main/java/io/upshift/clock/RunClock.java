package io.upshift.clock;

/**
 * The time of a run and the queue of things due on it. The engine runs on one thread and asks the
 * clock for the next thing to do; targets hand their results back through the clock. A virtual
 * clock jumps to the next due task (rehearsal of hours in milliseconds); a wall clock waits for it.
 * Times are milliseconds since the run started.
 */
public interface RunClock {

  /** Milliseconds since the start of the run, on this clock. */
  long now();

  /** Runs {@code task} on the engine thread once the clock reads {@code atMillis} or later. */
  void at(long atMillis, Runnable task);

  /** Runs {@code task} on the engine thread as soon as possible. May be called from any thread. */
  void post(Runnable task);

  /**
   * Runs the next due task, waiting (or jumping) until one is due. Called on the engine thread
   * only.
   *
   * @param moreWillArrive whether work in flight will post a task later (so an empty queue is worth
   *     waiting on)
   * @return false when nothing is queued and nothing can arrive, so waiting would never end
   */
  boolean runNext(boolean moreWillArrive);

  /** Whether the clock is virtual (time moves only when the engine asks for the next task). */
  boolean isVirtual();
}
