package io.upshift.journal;

import io.upshift.engine.RunPhase;

/**
 * An operator's request to a run, checked and recorded the same way wherever it comes from: the
 * command line ({@code upshift pause|abort|approve|resume}) and the dashboard. The journal then
 * holds the same record of who asked what, with which comment, for the same act.
 */
public final class Requests {
  private Requests() {}

  /** What became of a request. */
  public sealed interface Result {
    /** A sentence for the operator. */
    String message();
  }

  /**
   * The request is in the journal.
   *
   * @param live whether a process drives the run now (it carries the request out at its next step
   *     boundary); else the request waits for {@code upshift resume}
   */
  public record Recorded(Control control, RunRecord run, boolean live, String message)
      implements Result {}

  /** The request was not recorded, and why (the run has ended, waits at no gate, has no driver). */
  public record Refused(RunRecord run, String message) implements Result {}

  /**
   * Checks a request against the run's record and records it when it fits.
   *
   * @param kind pause, abort (with or without undo), approve; resume only when a process drives the
   *     run (otherwise {@code upshift resume} must drive it, which no request can do)
   * @param by who asks, as the audit trail names them
   */
  public static Result ask(
      Journal journal, RunRecord r, Control.Kind kind, String by, String comment, long now) {
    RunPhase phase = RunPhase.ofRecord(r.status());
    if (phase.terminal()) {
      return new Refused(r, "run " + r.id() + " has ended (" + phase.word() + ")");
    }
    boolean live = r.live(now);
    String gate = "";
    switch (kind) {
      case APPROVE -> {
        if (r.gate().isEmpty()) {
          return new Refused(
              r, "run " + r.id() + " is not waiting for an approval (status " + phase.word() + ")");
        }
        gate = r.gate();
      }
      case PAUSE -> {
        if (!live) {
          return new Refused(
              r,
              "no process drives run "
                  + r.id()
                  + " now (status "
                  + phase.word()
                  + "); it does nothing until resumed");
        }
      }
      case RESUME -> {
        if (!live) {
          return new Refused(
              r,
              "no process drives run "
                  + r.id()
                  + " now (status "
                  + phase.word()
                  + "); resume it from a terminal where its plan is: upshift resume "
                  + r.id());
        }
      }
      default -> {}
    }
    Control c = journal.request(r.id(), kind, by, comment == null ? "" : comment, gate);
    String message =
        kind.word()
            + " of run "
            + r.id()
            + " recorded (request "
            + c.id()
            + ")"
            + (live
                ? "; " + r.owner() + " carries it out at its next step boundary"
                : "; it is carried out when the run is resumed: upshift resume " + r.id());
    return new Recorded(c, r, live, message);
  }

  /**
   * Whether a run's status word says it has ended (halting and aborting are still winding down).
   */
  public static boolean terminal(String word) {
    return RunPhase.ofRecord(word).terminal();
  }
}
