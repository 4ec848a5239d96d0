package io.upshift.cli;

import io.upshift.plan.Plan;
import io.upshift.plan.PlanLoader;
import io.upshift.report.Count;
import io.upshift.source.InvalidInputException;
import io.upshift.source.Problem;
import io.upshift.source.Problems;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;
import picocli.CommandLine.Model.PositionalParamSpec;

/** The PLAN argument of every command: loaded, its warnings printed, its errors thrown. */
final class PlanArgument {
  private PlanArgument() {}

  /** The PLAN parameter, as commands that take a plan declare it. */
  static PositionalParamSpec parameter(Consumer<Path> to) {
    return Args.parameter("PLAN", Path.class, "A plan file, or a folder holding plan.yaml.", to);
  }

  /**
   * Loads the plan at {@code path}.
   *
   * @throws InvalidInputException with every problem, when there is an error
   */
  static Plan load(Path path, PrintStream warnings) {
    Read read = readAhead(path);
    if (read == null) {
      read = read(path);
    }
    Problems problems = read.problems();
    Plan plan = read.plan();
    if (problems.hasErrors()) {
      throw new InvalidInputException(problems);
    }
    for (Problem p : problems.sorted()) {
      warnings.println(Main.render(p));
    }
    if (plan.inventory().size() >= LARGE_FLEET && quickCompilerOnly()) {
      warnings.printf(
          "upshift: note: %s hosts; the launcher runs Java's quick compiler only, which starts"
              + " fastest for fleets of ordinary size. For one this large,"
              + " UPSHIFT_JAVA_OPTS=-XX:TieredStopAtLevel=4 rehearses it about twice as fast.%n",
          Count.of(plan.inventory().size()));
    }
    return plan;
  }

  /** A plan as read: the plan, and what the loader found wrong with it. */
  private record Read(Plan plan, Problems problems) {}

  private static Read read(Path path) {
    Problems problems = new Problems();
    Plan plan = PlanLoader.load(path, problems);
    return new Read(plan, problems);
  }

  /** The commands whose first argument is a plan. */
  private static final Set<String> READ_PLAN_FIRST = Set.of("validate", "verify", "plan", "run");

  /** The plan being read ahead, and which file it is; null when none is. */
  private static Path aheadPath;

  private static FutureTask<Read> ahead;

  /**
   * Starts reading the plan a command line names on a second core, while the command line itself is
   * parsed: at start-up both take about as long. Does nothing unless the command takes a plan first
   * and the next argument is not an option. The command takes the result only if it asks for the
   * same file; a guess that was wrong costs nothing but the second core's time.
   *
   * @return whether a read started
   */
  static synchronized boolean startReadingAhead(String[] args) {
    if (args.length < 2 || !READ_PLAN_FIRST.contains(args[0]) || args[1].startsWith("-")) {
      return false;
    }
    Path path;
    try {
      path = Path.of(args[1]);
    } catch (InvalidPathException e) {
      return false; // the command will say so
    }
    aheadPath = path;
    ahead = new FutureTask<>(() -> read(path));
    Thread.ofPlatform().daemon().name("upshift-read-plan").start(ahead);
    return true;
  }

  /** The plan read ahead, if it is the one asked for; null otherwise. */
  private static synchronized Read readAhead(Path path) {
    FutureTask<Read> task = ahead;
    boolean same = task != null && aheadPath.equals(path);
    ahead = null;
    aheadPath = null;
    if (!same) {
      return null;
    }
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException e) {
      // the same failure as reading it here: rethrown as it is
      switch (e.getCause()) {
        case RuntimeException r -> throw r;
        case Error err -> throw err;
        default -> throw new IllegalStateException(e.getCause());
      }
    }
  }

  /** From how many hosts the optimising compiler pays for its start (docs/benchmarks.md). */
  static final int LARGE_FLEET = 50_000;

  /** Whether this JVM was told to stop at the quick compiler (the last such flag counts). */
  private static boolean quickCompilerOnly() {
    String level = null;
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("-XX:TieredStopAtLevel=")) {
        level = arg.substring("-XX:TieredStopAtLevel=".length());
      }
    }
    return "1".equals(level);
  }
}
