package io.upshift.engine;

/**
 * What came of one action on one host.
 *
 * @param exitCode the command's exit status, or -1 when there was no command or it did not end
 * @param output the end of the command's output, capped in size (empty in simulation)
 * @param reason why it failed, in words, or empty when it succeeded
 * @param inDoubt the target cannot tell whether the action ran (the connection dropped while it
 *     ran, and the host could not say): the step's {@code in-doubt} policy settles it, as after a
 *     crash of the orchestrator
 */
public record Outcome(boolean ok, int exitCode, String output, String reason, boolean inDoubt) {

  public Outcome(boolean ok, int exitCode, String output, String reason) {
    this(ok, exitCode, output, reason, false);
  }

  public static Outcome success(int exitCode, String output) {
    return new Outcome(true, exitCode, output, "");
  }

  public static Outcome failure(int exitCode, String output, String reason) {
    return new Outcome(false, exitCode, output, reason);
  }

  /** The action may or may not have run; {@code reason} says why nobody can tell. */
  public static Outcome unknown(String output, String reason) {
    return new Outcome(false, -1, output, reason, true);
  }
}
