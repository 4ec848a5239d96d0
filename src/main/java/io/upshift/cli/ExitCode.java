package io.upshift.cli;

/** The exit codes of every command, as documented in {@code upshift --help} and CONTRACTS.md. */
public final class ExitCode {
  /** Success: valid, safe, or the run succeeded. */
  public static final int OK = 0;

  /** Invalid input, findings, or a run that failed or halted. */
  public static final int FAILED = 1;

  /** Wrong usage of the command line. */
  public static final int USAGE = 2;

  /** The run is paused, waiting for an approval. */
  public static final int PAUSED = 3;

  /** A bug in Upshift (the message says how to get the details). */
  public static final int INTERNAL = 70;

  private ExitCode() {}
}
