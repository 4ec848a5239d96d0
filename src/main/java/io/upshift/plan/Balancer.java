package io.upshift.plan;

import io.upshift.source.Position;
import java.util.regex.Pattern;

/**
 * Where a component's instances sit in a load balancer: an HAProxy runtime API (an address {@code
 * HOST:PORT} or a UNIX socket path), the backend, and the server name of an instance (a template,
 * {@code {{host}}} by default). Built-in {@code drain} and {@code undrain} steps use it.
 */
public record Balancer(String haproxy, String backend, String server, Position at) {
  /** Backend and server names as HAProxy allows them: nothing that could add a command. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]+");

  public static boolean validName(String name) {
    return name != null && NAME.matcher(name).matches();
  }
}
