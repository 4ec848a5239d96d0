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

  /** Thrown when the dashboard cannot start: the message says what and what to do. */
  static final class Failed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int exitCode;

    Failed(String message, int exitCode) {
      super(message, null, false, false);
      this.exitCode = exitCode;
    }
  }

  /**
   * Starts serving {@code journal}; {@code page} is the path shown first ("/" or a run's page).
   *
   * @throws Failed when the options are wrong (exit 2) or the address is taken (exit 1)
   */
  static AutoCloseable start(
      JournalOptions journal, String bind, Path tokenFile, String page, PrintStream err) {
    Dashboard d;
    try {
      d =
          Dashboard.start(
              journal::open,
              new Dashboard.Options(bind, tokenFile, System.getenv("UPSHIFT_SERVE_TOKEN")));
    } catch (IllegalArgumentException e) {
      throw new Failed(e.getMessage(), ExitCode.USAGE);
    } catch (IllegalStateException e) {
      throw new Failed(e.getMessage(), ExitCode.FAILED);
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
