package io.upshift.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code upshift serve}: the live dashboard of the journal's runs, until stopped. It reads the
 * journal only, so it shows runs driven by any process, here or on other orchestrators sharing a
 * PostgreSQL journal.
 */
final class ServeCommand implements Callable<Integer> {
  final JournalOptions journalOptions = new JournalOptions();
  String bind;
  Path tokenFile;

  CommandSpec spec() {
    CommandSpec spec =
        Args.command(
                "serve",
                "Serve the live dashboard of the journal's runs: the runs list, each run's page"
                    + " updated as it goes, steering with a token, and Prometheus metrics at"
                    + " /metrics.",
                this)
            .addOption(
                Args.option(
                        "--bind",
                        "ADDR:PORT",
                        String.class,
                        "Where to listen (default: ${DEFAULT-VALUE}, this machine only; 0 as PORT"
                            + " picks a free one).",
                        v -> bind = v)
                    .defaultValue("127.0.0.1:8080")
                    .build())
            .addOption(
                Args.option(
                        "--token-file",
                        "FILE",
                        Path.class,
                        "Read the steering token from FILE's first line (default:"
                            + " $UPSHIFT_SERVE_TOKEN, else a new token printed at start).",
                        v -> tokenFile = v)
                    .build());
    return journalOptions.addTo(spec);
  }

  @Override
  public Integer call() throws InterruptedException {
    // a missing SQLite file is an error here, not a new journal
    journalOptions.openExisting().close();
    int[] exit = {0};
    AutoCloseable dashboard =
        ServeOption.start(journalOptions, bind, tokenFile, "/", System.err, "serve", exit);
    if (dashboard == null) {
      return exit[0];
    }
    System.err.println("upshift: serving until stopped (Ctrl-C)");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    dashboard.close();
                  } catch (Exception e) {
                    // stopping anyway
                  }
                  stopped.countDown();
                }));
    stopped.await();
    return ExitCode.OK;
  }
}
