package io.upshift.cli;

import io.upshift.engine.RunStatus;
import java.util.Locale;

/** A run's status as stored in its record: a {@link RunStatus} word, or halting/aborting. */
record RunStatusWord(String word, RunStatus status) {
  static RunStatusWord of(String word) {
    RunStatus s;
    try {
      s = RunStatus.valueOf(word.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      s = RunStatus.RUNNING; // halting, aborting: still winding down
    }
    return new RunStatusWord(word, s);
  }

  boolean terminal() {
    return status.isTerminal();
  }
}
