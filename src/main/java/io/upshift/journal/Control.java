package io.upshift.journal;

import java.util.Locale;

/**
 * An operator's request to a run, written by {@code upshift pause|resume|abort|approve} from any
 * terminal and carried out by the process that drives the run, which records it as an event.
 *
 * @param id increasing; a run's driver reads the ones after the last it carried out
 * @param at when it was asked (ISO-8601, UTC)
 * @param gate for an approval, the id of the gate approved ({@code 2.3}); else empty
 */
public record Control(
    long id, String run, Kind kind, String by, String comment, String gate, String at) {

  /** What is asked. */
  public enum Kind {
    PAUSE,
    RESUME,
    ABORT,
    /** Abort, undoing the current stage's steps that declare an undo. */
    ABORT_UNDO,
    APPROVE;

    public String word() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Kind of(String word) {
      return valueOf(word.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
  }
}
