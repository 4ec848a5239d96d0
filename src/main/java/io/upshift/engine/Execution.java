package io.upshift.engine;

import io.upshift.inventory.Host;
import io.upshift.plan.Step;
import java.util.Locale;

/**
 * One action for a target: the step's own action or its attached check, on one host.
 *
 * @param attempt 1 for the first try; later attempts come with retries and resume
 */
public record Execution(Step step, Host host, Phase phase, int attempt) {

  /** Which part of a step runs: the step's action, or the check attached to it. */
  public enum Phase {
    ACTION,
    CHECK,
    /** The step's declared undo, when a run is aborted with {@code --undo}. */
    UNDO;

    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
