package io.upshift.plan;

import io.upshift.source.Position;

/**
 * A check run on a host: a command whose exit status (and optionally output) must match, or an HTTP
 * request whose status must match. Attached to a step it gates the host's next step; as a step of
 * its own it gates the next step of the stage.
 *
 * @param command a shell command, or null
 * @param http a URL, or null
 * @param expectStatus the HTTP status wanted (for http)
 * @param expectExit the exit code wanted (for command)
 * @param expectOutput a regular expression the output must contain, or null
 */
public record Check(
    String command,
    String http,
    int expectStatus,
    int expectExit,
    String expectOutput,
    DurationModel duration,
    Position at) {

  /** A one-line description for progress and reports. */
  public String describe() {
    return command != null ? command : "GET " + http + " → " + expectStatus;
  }
}
