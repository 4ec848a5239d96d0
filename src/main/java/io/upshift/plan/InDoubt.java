package io.upshift.plan;

import java.util.Locale;

/**
 * What to do on resume with an action that was started but whose end was never recorded (the
 * orchestrator died meanwhile): it may have run, partly run, or not run at all.
 */
public enum InDoubt {
  /** Run it again: the kind is idempotent (a stop, a start, a package upgrade). */
  RERUN,
  /** Run the step's check first; count the action done when it passes, else run it again. */
  CHECK,
  /** Stop and ask the operator, who looked at the host and says what happened. */
  ASK,
  /** The operator's answer: it ran to completion. */
  DONE,
  /** The operator's answer: it failed (the host is left out of the rest of the run). */
  FAILED;

  /** The word used in plans, journals and on the command line. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a word; null when it is none of the values. */
  public static InDoubt of(String word) {
    for (InDoubt d : values()) {
      if (d.word().equals(word)) {
        return d;
      }
    }
    return null;
  }
}
