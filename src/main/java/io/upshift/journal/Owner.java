package io.upshift.journal;

/** Names the process that drives a run: {@code pid@host}. */
public final class Owner {
  private Owner() {}

  public static String self() {
    return ProcessHandle.current().pid() + "@" + host();
  }

  private static String host() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }

  /**
   * Whether the owner of a run is alive: on this host, whether its process exists; elsewhere,
   * whether its heartbeat is fresh.
   */
  public static boolean alive(String owner, long heartbeatAt, long nowMillis) {
    if (owner == null) {
      return false;
    }
    int at = owner.indexOf('@');
    if (at > 0 && owner.substring(at + 1).equals(host())) {
      try {
        long pid = Long.parseLong(owner.substring(0, at));
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
      } catch (NumberFormatException e) {
        return false;
      }
    }
    return nowMillis - heartbeatAt < JournalWriter.STALE_MILLIS;
  }
}
