package io.upshift.plan;

import io.upshift.source.Position;

/**
 * What a {@code snapshot} step captures under its name, and a {@code compare} step captures again:
 * a command's output on each host, an SQL query's rows on the hosts holding a database, or the body
 * of an HTTP GET (made from the orchestrator, JSON normalised). Exactly one of {@code command},
 * {@code sql} and {@code http} is set.
 */
public record Snapshot(
    String name, String command, String sql, String database, String http, Position at) {

  /** A one-line description for progress and reports. */
  public String describe() {
    return command != null ? command : sql != null ? database + ": " + sql : "GET " + http;
  }
}
