package io.upshift.target;

/**
 * What came of one action on one host.
 *
 * @param exitCode the command's exit status, or -1 when there was no command or it did not end
 * @param output the end of the command's output, capped in size (empty in simulation)
 * @param reason why it failed, in words, or empty when it succeeded
 */
public record Outcome(boolean ok, int exitCode, String output, String reason) {

  public static Outcome success(int exitCode, String output) {
    return new Outcome(true, exitCode, output, "");
  }

  public static Outcome failure(int exitCode, String output, String reason) {
    return new Outcome(false, exitCode, output, reason);
  }
}
