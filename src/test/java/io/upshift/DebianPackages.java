package io.upshift;

/**
 * The Debian packages of the servers the real tests run (PostgreSQL, sshd, HAProxy, Chromium): a
 * test whose server is missing fails with {@link #missing}, never skips, so a run on a machine
 * without them cannot pass unnoticed. {@code ./run-tests} installs them (bin/test-packages).
 */
public final class DebianPackages {
  private DebianPackages() {}

  /**
   * The failure for a missing server, naming its package and the command that installs it, e.g.
   * "HAProxy is not installed (Debian package `haproxy`; ./run-tests installs it when run as root,
   * or: sudo apt-get install haproxy)".
   */
  public static IllegalStateException missing(String what, String pkg) {
    return new IllegalStateException(
        what
            + " is not installed (Debian package `"
            + pkg
            + "`; ./run-tests installs it when run as root, or: sudo apt-get install "
            + pkg
            + ")");
  }
}
