package io.upshift.cli;

import io.upshift.serve.Dashboard;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Starts the dashboard for {@code upshift serve} and {@code upshift run --serve}, and says where it
 * is and how to steer from it. The only class of the command line that names the dashboard, so that
 * its web server is loaded by those two commands alone.
 */
final class ServeOption {
  private ServeOption() {}

  /**
   * Starts serving {@code journal}; {@code page} is the path shown first ("/" or a run's page).
   * Returns null when it cannot start, having said why after {@code what} ("serve", "--serve"),
   * with the exit code in {@code exit[0]}: 2 when the options are wrong, 1 when the address is
   * taken. (No exception type of its own: the commands that may serve do not load this class
   * otherwise.)
   */
  static AutoCloseable start(
      JournalOptions journal,
      String bind,
      Path tokenFile,
      String page,
      PrintStream err,
      String what,
      int[] exit) {
    Dashboard d;
    try {
      d =
          Dashboard.start(
              journal::open,
              new Dashboard.Options(bind, tokenFile, System.getenv("UPSHIFT_SERVE_TOKEN")));
    } catch (IllegalArgumentException e) {
      err.println("upshift: " + what + ": " + e.getMessage());
      exit[0] = ExitCode.USAGE;
      return null;
    } catch (IllegalStateException e) {
      err.println("upshift: " + what + ": " + e.getMessage());
      exit[0] = ExitCode.FAILED;
      return null;
    }
    String shown = d.tokenToShow();
    err.println("upshift: dashboard at " + d.url() + page + " (read-only without the token)");
    if (shown != null) {
      err.println(
          "upshift: steering token (made now, valid while this process serves): "
              + shown
              + "\n  open "
              + d.url()
              + page
              + "#token="
              + shown
              + " to steer, or paste the token on the page");
    } else {
      err.println("upshift: steering with the token from " + d.tokenSource());
    }
    return d;
  }
}
