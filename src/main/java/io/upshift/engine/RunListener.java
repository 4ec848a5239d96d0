package io.upshift.engine;

/**
 * Observes a run's events as they are recorded, with the state after each (progress display,
 * summary, and later the journal).
 */
@FunctionalInterface
public interface RunListener {
  void onEvent(RunEvent event, RunState state);
}
