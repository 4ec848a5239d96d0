package io.upshift.inventory;

/**
 * How the fleet is reached over SSH, as its inventory says ({@code ssh:}): each value is null where
 * the inventory leaves it to the command line or the default.
 *
 * @param connectTimeoutMillis how long a TCP connection may take to be accepted
 * @param loginTimeoutMillis how long the key exchange, then authentication, may each take
 * @param maxConnecting how many connections may be being opened at once
 * @param maxCommands how many commands may run at once, fleet-wide
 * @param killGraceMillis how long a command that timed out has between TERM and KILL
 */
public record SshSettings(
    Long connectTimeoutMillis,
    Long loginTimeoutMillis,
    Integer maxConnecting,
    Integer maxCommands,
    Long killGraceMillis) {

  /** Nothing said: every value comes from the command line or the default. */
  public static final SshSettings NONE = new SshSettings(null, null, null, null, null);

  /** These values where set, else {@code fallback}'s. */
  public SshSettings or(SshSettings fallback) {
    return new SshSettings(
        connectTimeoutMillis != null ? connectTimeoutMillis : fallback.connectTimeoutMillis,
        loginTimeoutMillis != null ? loginTimeoutMillis : fallback.loginTimeoutMillis,
        maxConnecting != null ? maxConnecting : fallback.maxConnecting,
        maxCommands != null ? maxCommands : fallback.maxCommands,
        killGraceMillis != null ? killGraceMillis : fallback.killGraceMillis);
  }
}
