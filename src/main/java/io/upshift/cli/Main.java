package io.upshift.cli;

import io.upshift.source.InvalidInputException;
import io.upshift.source.Problem;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code upshift} command line: the one place where outcomes become exit codes. */
@Command(
    name = "upshift",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Upgrades large clouds in place: validate a plan, rehearse it on a simulated fleet, run it.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success (valid plan; run succeeded)",
      "1:invalid plan, or the run failed or halted",
      "2:wrong usage of the command line",
      "3:the run is paused, waiting for an approval",
      "70:internal error (a bug; run with --debug for details)"
    })
public final class Main {
  /**
   * The subcommands by name, in the order `--help` lists them. Only the one invoked is built:
   * picocli reads each command's annotations when it is added, and at start-up that costs more than
   * most commands' own work.
   */
  private static final java.util.Map<String, Class<?>> COMMANDS = commands();

  private static java.util.Map<String, Class<?>> commands() {
    java.util.Map<String, Class<?>> m = new java.util.LinkedHashMap<>();
    m.put("validate", ValidateCommand.class);
    m.put("verify", VerifyCommand.class);
    m.put("plan", PlanCommand.class);
    m.put("run", RunCommand.class);
    m.put("resume", ResumeCommand.class);
    m.put("pause", ControlCommand.Pause.class);
    m.put("abort", ControlCommand.Abort.class);
    m.put("approve", ControlCommand.Approve.class);
    m.put("runs", RunsCommand.class);
    m.put("show", ShowCommand.class);
    m.put("report", ReportCommand.class);
    m.put("export", ExportCommand.class);
    m.put("exec", ExecCommand.class);
    m.put("help", CommandLine.HelpCommand.class);
    return java.util.Collections.unmodifiableMap(m);
  }

  @Option(
      names = "--debug",
      description = "Print stack traces of internal errors.",
      scope = CommandLine.ScopeType.INHERIT)
  boolean debug;

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(launch(args));
  }

  /**
   * Runs the command line as {@code main} does, the plan read ahead and out-of-memory reported, and
   * returns its exit code.
   */
  static int launch(String[] args) {
    if (!PlanArgument.startReadingAhead(args)) {
      warmUp();
    }
    try {
      return run(args, System.out, System.err);
    } catch (OutOfMemoryError e) {
      System.err.println("upshift: out of memory");
      System.err.println("  hint: give the JVM more heap, e.g. UPSHIFT_JAVA_OPTS=-Xmx8g");
      return ExitCode.INTERNAL;
    } catch (StackOverflowError e) {
      System.err.println("upshift: internal error: stack overflow");
      System.err.println("  hint: this is a bug; run again with --debug and report the input");
      return ExitCode.INTERNAL;
    }
  }

  /**
   * Loads the YAML reader's classes on a second core while the command line is parsed: most
   * commands read a plan next, and a rehearsal is short enough for start-up to matter.
   */
  private static void warmUp() {
    Thread.ofPlatform()
        .daemon()
        .name("upshift-warm-up")
        .start(
            () ->
                io.upshift.source.YamlSource.parse(
                    java.nio.file.Path.of("warm-up.yaml"),
                    new java.io.StringReader("a: [b, {c: 1}]\nd: 'e'\n"),
                    new io.upshift.source.Problems()));
  }

  /** Runs the command line with the given streams; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Main main = new Main();
    CommandLine cli = new CommandLine(main);
    Class<?> invoked = args.length > 0 && !"help".equals(args[0]) ? COMMANDS.get(args[0]) : null;
    boolean versionOnly = args.length == 1 && ("--version".equals(args[0]) || "-V".equals(args[0]));
    if (invoked != null) {
      cli.addSubcommand(args[0], invoked);
    } else if (!versionOnly) {
      COMMANDS.forEach(cli::addSubcommand);
    }
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setExecutionExceptionHandler(
        (ex, line, parsed) -> {
          if (ex instanceof InvalidInputException invalid) {
            printProblems(invalid, err);
            return ExitCode.FAILED;
          }
          if (ex instanceof io.upshift.journal.JournalException journal) {
            err.println("upshift: journal: " + journal.getMessage());
            return ExitCode.FAILED;
          }
          err.println("upshift: internal error: " + ex);
          if (main.debug) {
            ex.printStackTrace(err);
          } else {
            err.println("  hint: this is a bug; run again with --debug and report the stack trace");
          }
          return ExitCode.INTERNAL;
        });
    return cli.execute(args);
  }

  /** Prints every problem, one per line with its hint, then a count. */
  static void printProblems(InvalidInputException invalid, PrintStream err) {
    for (Problem p : invalid.problems().sorted()) {
      err.println(p.render());
    }
    int dropped = invalid.problems().dropped();
    if (dropped > 0) {
      err.println("... and " + dropped + " more problems");
    }
    err.println(invalid.problems().errorCount() + " error(s)");
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"upshift " + (v == null ? "development build" : v)};
    }
  }
}
