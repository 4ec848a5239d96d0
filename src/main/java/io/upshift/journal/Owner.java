package io.upshift.journal;

/** Names the process that drives a run: {@code pid@host}. */
public final class Owner {
  private Owner() {}

  public static String self() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "localhost";
    }
    return ProcessHandle.current().pid() + "@" + host;
  }
}
