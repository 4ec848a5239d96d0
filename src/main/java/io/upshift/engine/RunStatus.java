package io.upshift.engine;

import java.util.Locale;

/** Where a run, or one stage of it, stands. */
public enum RunStatus {
  /** Steps are being carried out. */
  RUNNING,
  /** Everything ran and every host succeeded. */
  SUCCEEDED,
  /** Everything ran, but some hosts failed within the failure budget; they need attention. */
  FAILED,
  /** Stopped early: a failure budget was exceeded or a check made going on unsafe. */
  HALTED,
  /** Waiting for an operator (an approval, or a pause asked for). */
  PAUSED,
  /** Stopped by an operator. */
  ABORTED;

  /** Whether nothing more will happen without an operator starting it again. */
  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == HALTED || this == ABORTED;
  }

  public boolean isSuccess() {
    return this == SUCCEEDED;
  }

  /** The word used in summaries and JSON. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
