package io.upshift.engine;

import io.upshift.plan.Plan;
import io.upshift.source.Problems;
import java.util.function.Consumer;

/**
 * Where a plan runs: a simulated fleet, this machine, or real hosts. The engine hands a target one
 * action at a time and learns the outcome through the run's clock; it never sees how the target
 * does the work.
 */
public interface Target extends AutoCloseable {

  /** The name used on the command line and in summaries: sim, local, ssh. */
  String name();

  /**
   * Reports, before anything runs, the steps of {@code plan} this target cannot carry out (for
   * example a built-in step with no command on the local target).
   */
  void check(Plan plan, Problems problems);

  /**
   * Starts one action on one host. The target calls {@code done} exactly once, on the engine's
   * thread (through the run clock), never from inside this call.
   */
  void start(Execution execution, Consumer<Outcome> done);

  /**
   * The run was aborted: ends the commands running now (their outcomes then come as failures),
   * instead of letting them finish. The default has nothing running of its own to end.
   */
  default void abortRunning() {}

  /** Releases connections and threads; the default has none to release. */
  @Override
  default void close() {}
}
