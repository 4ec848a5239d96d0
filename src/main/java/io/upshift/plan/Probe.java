package io.upshift.plan;

import io.upshift.source.Position;

/**
 * A measurement of a capability from outside, sampled every {@code intervalMillis} for the whole
 * run: an HTTP GET that must answer {@code expect}, a TCP connection that must open, or a command
 * (run on the orchestrator) that must exit 0. Exactly one of {@code http}, {@code tcp} and {@code
 * command} is set. A capability is measured down while any of its probes fails.
 */
public record Probe(
    String http,
    int expect,
    String tcp,
    String command,
    long intervalMillis,
    long timeoutMillis,
    Position at) {

  /** How the probe is named in events and reports: its URL, address or command. */
  public String describe() {
    return http != null ? http : tcp != null ? "tcp " + tcp : command;
  }
}
