package io.upshift.cli;

import io.upshift.journal.JournalException;
import io.upshift.source.InvalidInputException;
import io.upshift.source.Problem;
import io.upshift.source.Problems;
import io.upshift.source.Severity;
import io.upshift.source.Suggest;
import io.upshift.source.Terminal;
import io.upshift.source.YamlSource;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The {@code upshift} command line: the one place where outcomes become exit codes. */
public final class Main {
  /**
   * The subcommands by name, in the order `--help` lists them, each made when asked for. Only the
   * one invoked is made, unless help lists them all.
   */
  private static final Map<String, Supplier<CommandSpec>> COMMANDS = commands();

  private static Map<String, Supplier<CommandSpec>> commands() {
    Map<String, Supplier<CommandSpec>> m = new LinkedHashMap<>();
    m.put("validate", () -> new ValidateCommand().spec());
    m.put("verify", () -> new VerifyCommand().spec());
    m.put("plan", () -> new PlanCommand().spec());
    m.put("run", () -> new RunCommand().spec());
    m.put("resume", () -> new ResumeCommand().spec());
    m.put("pause", () -> new ControlCommand.Pause().spec());
    m.put("abort", () -> new ControlCommand.Abort().spec());
    m.put("approve", () -> new ControlCommand.Approve().spec());
    m.put("runs", () -> new RunsCommand().spec());
    m.put("show", () -> new ShowCommand().spec());
    m.put("serve", () -> new ServeCommand().spec());
    m.put("report", () -> new ReportCommand().spec());
    m.put("export", () -> new ExportCommand().spec());
    m.put("learn", () -> new LearnCommand().spec());
    m.put("exec", () -> new ExecCommand().spec());
    return Collections.unmodifiableMap(m);
  }

  /** Whether stack traces of internal errors are printed: {@code --debug}, on every command. */
  private boolean debug;

  /** The top command: no work of its own, so picocli asks for a subcommand when none is given. */
  private CommandSpec spec() {
    CommandSpec spec =
        Args.command(
            "upshift",
            "Upgrades large clouds in place: validate a plan, rehearse it on a simulated fleet, run"
                + " it.",
            null);
    spec.usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(exitCodes());
    spec.addOption(
        OptionSpec.builder(
                Args.flag("--debug", "Print stack traces of internal errors.", v -> debug = v))
            .scopeType(CommandLine.ScopeType.INHERIT)
            .build());
    return spec;
  }

  private static Map<String, String> exitCodes() {
    Map<String, String> codes = new LinkedHashMap<>();
    codes.put("0", "success (valid plan; run succeeded)");
    codes.put("1", "invalid plan, or the run failed or halted");
    codes.put("2", "wrong usage of the command line");
    codes.put("3", "the run is paused, waiting for an approval");
    codes.put("70", "internal error (a bug; run with --debug for details)");
    return codes;
  }

  /**
   * Runs the command line and exits with its code. A command that succeeded and left only daemon
   * threads returns instead, and the JVM ends as after any {@code main}, shutdown hooks included:
   * {@code System.exit} first looks for a logging backend, which makes the JVM open the jar (its
   * 10,000 entries) when nothing else needed to.
   */
  public static void main(String[] args) {
    int code = launch(args);
    System.out.flush();
    System.err.flush();
    if (code != ExitCode.OK || !onlyDaemonsLeft()) {
      System.exit(code);
    }
  }

  /** Whether every other live thread is a daemon: then the JVM ends when {@code main} returns. */
  private static boolean onlyDaemonsLeft() {
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Thread[] threads = new Thread[root.activeCount() + 8];
    int n = root.enumerate(threads, true);
    if (n == threads.length) {
      return false; // more threads than counted: do not guess
    }
    for (int i = 0; i < n; i++) {
      Thread t = threads[i];
      if (t != Thread.currentThread() && t.isAlive() && !t.isDaemon()) {
        return false;
      }
    }
    return true;
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
                YamlSource.parse(
                    Path.of("warm-up.yaml"),
                    new StringReader("a: [b, {c: 1}]\nd: 'e'\n"),
                    new Problems()));
  }

  /**
   * Tells picocli not to register its converters for {@code java.sql}, {@code java.time} and {@code
   * java.nio.file.Path}, which it finds by reflection for every {@code CommandLine} made (loading
   * and initialising a dozen date-time classes): no option here takes one of those types but {@code
   * Path}, whose converter {@link #run} registers itself. About 10 ms of every start.
   */
  private static void skipReflectiveConverters() {
    if (System.getProperty(PICOCLI_EXCLUDES) == null) {
      System.setProperty(PICOCLI_EXCLUDES, "java.*");
    }
  }

  private static final String PICOCLI_EXCLUDES = "picocli.converters.excludes";

  /**
   * Runs the command line with the given streams; returns the exit code. Everything the command
   * prints goes through {@link Terminal#guard}: no control character from a host or a plan reaches
   * the terminal as it is ({@code System.out} and {@code System.err} are the guarded streams while
   * it runs).
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    PrintStream safeOut = Terminal.guard(out);
    PrintStream safeErr = Terminal.guard(err);
    System.setOut(safeOut);
    System.setErr(safeErr);
    try {
      return guarded(args, safeOut, safeErr);
    } finally {
      safeOut.flush();
      safeErr.flush();
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  private static int guarded(String[] args, PrintStream out, PrintStream err) {
    String unknown = unknownCommand(args);
    if (unknown != null) {
      // before picocli, which prints the main help for `upshift NO-SUCH-COMMAND --help` (exit 0)
      err.println("upshift: unknown command `" + Terminal.safe(unknown) + "`");
      err.println(
          "  hint: did you mean `upshift "
              + Suggest.nearest(unknown, COMMANDS.keySet()).orElseThrow()
              + "`? `upshift --help` lists the commands");
      return ExitCode.USAGE;
    }
    skipReflectiveConverters();
    Main main = new Main();
    CommandSpec top = main.spec();
    Supplier<CommandSpec> invoked =
        args.length > 0 && !"help".equals(args[0]) ? COMMANDS.get(args[0]) : null;
    boolean versionOnly = args.length == 1 && ("--version".equals(args[0]) || "-V".equals(args[0]));
    // each subcommand with our factory: picocli's default one looks for Groovy when first made
    if (invoked != null) {
      top.addSubcommand(args[0], new CommandLine(invoked.get(), Args.FACTORY));
    } else if (!versionOnly) {
      COMMANDS.forEach(
          (name, command) -> top.addSubcommand(name, new CommandLine(command.get(), Args.FACTORY)));
      top.addSubcommand("help", new CommandLine(new CommandLine.HelpCommand(), Args.FACTORY));
    }
    CommandLine cli = new CommandLine(top, Args.FACTORY);
    // picocli's own conversion to Path goes through reflection, linked anew at every start
    cli.registerConverter(Path.class, Path::of);
    // help and usage errors: picocli's own text, in colour on a terminal
    cli.setOut(new PrintWriter(Terminal.raw(out), true));
    cli.setErr(new PrintWriter(Terminal.raw(err), true));
    cli.setParameterExceptionHandler(
        (ex, argv) -> {
          // as picocli's own handler, but its message (which quotes the command line) escaped
          CommandLine failed = ex.getCommandLine();
          err.println(Terminal.safe(ex.getMessage()));
          PrintWriter suggestions = new PrintWriter(err, true);
          if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, suggestions)) {
            failed.usage(failed.getErr(), failed.getColorScheme());
          }
          suggestions.flush();
          return ExitCode.USAGE;
        });
    cli.setExecutionExceptionHandler(
        (ex, line, parsed) -> {
          if (ex instanceof InvalidInputException invalid) {
            printProblems(invalid, err);
            return ExitCode.FAILED;
          }
          if (ex instanceof JournalException journal) {
            err.println("upshift: journal: " + Terminal.safe(journal.getMessage()));
            return ExitCode.FAILED;
          }
          err.println("upshift: internal error: " + Terminal.safe(String.valueOf(ex)));
          if (main.debug) {
            ex.printStackTrace(err);
          } else {
            err.println("  hint: this is a bug; run again with --debug and report the stack trace");
          }
          return ExitCode.INTERNAL;
        });
    return cli.execute(args);
  }

  /**
   * The command named on the command line when it is none of Upshift's, or null: the first word
   * that is not an option (the top command's options take no value), or the word after {@code
   * help}.
   */
  static String unknownCommand(String[] args) {
    boolean help = false;
    for (String arg : args) {
      if ("--".equals(arg)) {
        return null;
      }
      if (arg.startsWith("-")) {
        continue;
      }
      if ("help".equals(arg) && !help) {
        help = true; // `upshift help COMMAND`: the command is the next word
        continue;
      }
      return COMMANDS.containsKey(arg) ? null : arg;
    }
    return null;
  }

  /** Prints the warnings among {@code problems}, one per line with its hint. */
  static void printWarnings(Problems problems, PrintStream err) {
    for (Problem p : problems.sorted()) {
      if (p.severity() != Severity.ERROR) {
        err.println(p.render());
      }
    }
  }

  /** Prints every problem, one per line with its hint, then a count. */
  static void printProblems(InvalidInputException invalid, PrintStream err) {
    for (Problem p : invalid.problems().sorted()) {
      err.println(render(p));
    }
    int dropped = invalid.problems().dropped();
    if (dropped > 0) {
      err.println("... and " + dropped + " more problems");
    }
    err.println(invalid.problems().errorCount() + " error(s)");
  }

  /**
   * A problem as {@link Problem#render} shows it, its message and hint each kept on its line
   * ({@link Terminal#safe}): a plan's text quoted in a message cannot forge a line.
   */
  static String render(Problem p) {
    String head = p.position() + ": " + p.severity().word() + "[" + p.id() + "]: " + p.message();
    return Terminal.safe(head)
        + (p.hint() == null || p.hint().isBlank() ? "" : "\n  hint: " + Terminal.safe(p.hint()));
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
