package io.upshift.journal;

import io.upshift.TestPlans;
import io.upshift.Upshift;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Kills the orchestrator with SIGKILL at random (seeded) moments of a real run on the local target,
 * resumes it, and repeats until the run is done; then compares the ledger its steps wrote with an
 * uninterrupted run's. Plays the operator for actions in doubt whose kind asks: it looks at the
 * ledger (the host) and answers done or rerun.
 *
 * <p>The plan has steps of the three kinds of in-doubt handling: idempotent ones (run again), a
 * reboot settled by its check, and commands that ask the operator. Only the idempotent ones may
 * show up twice in the ledger.
 */
public final class CrashHarness {
  static final String INVENTORY =
      """
      defaults: {version: v1}
      sites:
        s1:
          cells:
            c1:
              hosts:
                - name: h[1:8]
                  roles: [node]
                  components: [app]
      """;

  static final String PLAN =
      """
      upshift: 1
      name: crash harness
      inventory: inventory.yaml
      releases: [v1, v2]
      from: v1
      to: v2
      stages:
        - name: One
          steps:
            - upgrade: app
              run: "echo upgrade {{host}} >> ledger.txt; sleep 0.1"
              waves: {batch: 4}
            - command: "echo once {{host}} >> ledger.txt; sleep 0.03"
              on: all
              waves: {batch: 1}
            - reboot:
              on: all
              run: "echo reboot {{host}} >> ledger.txt; sleep 0.1"
              check: "grep -qx 'reboot {{host}}' ledger.txt"
              waves: {batch: 4}
        - name: Two
          steps:
            - restart: app
              run: "echo restart {{host}} >> ledger.txt; sleep 0.1"
              check: "true"
              waves: {batch: 2}
            - command: "echo final {{host}} >> ledger.txt"
              on: all
              waves: {batch: 1}
      """;

  /** Lines of the steps that must never run twice on a host (no check, or settled by one). */
  static boolean onceOnly(String line) {
    return line.startsWith("once ") || line.startsWith("final ") || line.startsWith("reboot ");
  }

  /** What a harness run found. */
  public record Result(
      int kills,
      int runs,
      int resumes,
      int operatorAnswers,
      boolean sameAsUninterrupted,
      List<String> repeatedOnceOnly,
      List<String> journalProblems,
      long millis) {}

  public static Result run(Path dir, long seed, int kills) throws Exception {
    long t0 = System.nanoTime();
    Path reference = dir.resolve("reference");
    TestPlans.write(reference, PLAN, INVENTORY);
    long cleanStart = System.nanoTime();
    Process clean = Upshift.start(reference, "run", runArgs());
    if (!clean.waitFor(120, TimeUnit.SECONDS) || clean.exitValue() != 0) {
      throw new IllegalStateException(
          "the uninterrupted run failed: " + Files.readString(reference.resolve("run.err")));
    }
    Map<String, Integer> expected = count(reference.resolve("ledger.txt"));
    // Kills land between 15 % and 75 % of the time a whole run takes here, start-up included: on
    // a loaded machine they come later, not all before the run is recorded.
    long whole = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cleanStart);

    Random random = new Random(seed);
    int killed = 0;
    int resumes = 0;
    int answers = 0;
    int rounds = 0;
    boolean same = true;
    List<String> repeated = new ArrayList<>();
    List<String> journalProblems = new ArrayList<>();
    while (killed < kills) {
      // one run, killed and resumed until it is done; then a new run, until enough kills
      Path work = dir.resolve("crashed-" + ++rounds);
      TestPlans.write(work, PLAN, INVENTORY);
      String answer = null;
      for (int attempt = 0; ; attempt++) {
        if (attempt > 200) {
          throw new IllegalStateException("the run never finished");
        }
        boolean started = runRecorded(work);
        List<String> args = new ArrayList<>();
        if (started) {
          args.addAll(List.of("resume", "last", "--progress", "none", "--journal", "journal.db"));
          if (answer != null) {
            args.addAll(List.of("--in-doubt", answer));
          }
          resumes++;
        } else {
          args.addAll(List.of(runArgs()));
        }
        answer = null;
        Process p = Upshift.start(work, "step" + attempt, args.toArray(String[]::new));
        long delay = whole * (15 + random.nextInt(61)) / 100;
        if (killed < kills && !p.waitFor(delay, TimeUnit.MILLISECONDS)) {
          p.destroyForcibly(); // SIGKILL
          p.waitFor();
          killed++;
          Thread.sleep(150); // let orphaned commands finish writing, as a host would
          String problem = integrity(work.resolve("journal.db"));
          if (problem != null) {
            journalProblems.add("after kill " + killed + ": " + problem);
          }
          continue;
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
          String dump = threadDump(p.pid());
          p.destroyForcibly();
          throw new IllegalStateException(
              "a resumed run hung ("
                  + String.join(" ", args)
                  + ")\n--- its output:\n"
                  + Files.readString(work.resolve("step" + attempt + ".err"))
                  + "\n--- its threads:\n"
                  + dump);
        }
        String err = Files.readString(work.resolve("step" + attempt + ".err"));
        if (p.exitValue() == 0) {
          break;
        }
        if (err.contains("may or may not have run")) {
          answer = operator(err, work.resolve("ledger.txt"));
          answers++;
          continue;
        }
        throw new IllegalStateException("the run failed (exit " + p.exitValue() + "):\n" + err);
      }
      Map<String, Integer> got = count(work.resolve("ledger.txt"));
      int round = rounds;
      got.forEach(
          (line, n) -> {
            if (onceOnly(line) && n > 1) {
              repeated.add("run " + round + ": " + line + " ×" + n);
            }
          });
      same &= got.keySet().equals(expected.keySet());
    }
    return new Result(
        killed,
        rounds,
        resumes,
        answers,
        same,
        repeated,
        journalProblems,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
  }

  private static String[] runArgs() {
    return new String[] {
      "run", ".", "--target", "local", "--progress", "none", "--journal", "journal.db"
    };
  }

  /** Whether the run has been recorded (else the kill came before: start it again). */
  private static boolean runRecorded(Path work) {
    Path db = work.resolve("journal.db");
    if (!Files.exists(db)) {
      return false;
    }
    try (Journal j = JdbcJournal.sqlite(db)) {
      return !j.runs(1).isEmpty();
    }
  }

  /**
   * The operator's look at the hosts: the one action in doubt (its step runs one host at a time)
   * ran when its line is in the ledger.
   */
  private static String operator(String err, Path ledger) throws Exception {
    List<String> lines = Files.exists(ledger) ? Files.readAllLines(ledger) : List.of();
    for (String l : err.split("\n")) {
      if (l.startsWith("  - ")) {
        String host = l.substring(4, l.indexOf(':'));
        String word = l.contains("echo once") ? "once" : "final";
        return lines.contains(word + " " + host) ? "done" : "rerun";
      }
    }
    throw new IllegalStateException("no action in doubt listed:\n" + err);
  }

  /** The hung process's threads, to say where it waits. */
  private static String threadDump(long pid) {
    try {
      Process jcmd =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                  Long.toString(pid),
                  "Thread.print")
              .redirectErrorStream(true)
              .start();
      String out = new String(jcmd.getInputStream().readAllBytes());
      jcmd.waitFor(30, TimeUnit.SECONDS);
      return out;
    } catch (Exception e) {
      return "(no thread dump: " + e + ")";
    }
  }

  private static String integrity(Path db) throws Exception {
    if (!Files.exists(db)) {
      return null;
    }
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db);
        var s = c.createStatement();
        var r = s.executeQuery("PRAGMA integrity_check")) {
      r.next();
      String ok = r.getString(1);
      return ok.equals("ok") ? null : ok;
    }
  }

  private static Map<String, Integer> count(Path ledger) throws Exception {
    Map<String, Integer> out = new TreeMap<>();
    if (Files.exists(ledger)) {
      for (String l : Files.readAllLines(ledger)) {
        out.merge(l, 1, Integer::sum);
      }
    }
    return out;
  }

  /** {@code CrashHarness DIR SEED KILLS}: prints the result (bench/crash). */
  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("upshift-crash");
    Result r = run(dir, Long.parseLong(args[0]), Integer.parseInt(args[1]));
    boolean ok =
        r.sameAsUninterrupted() && r.repeatedOnceOnly().isEmpty() && r.journalProblems().isEmpty();
    System.out.printf(
        "| crash harness: %d SIGKILLs of a real local run (seed %s), each followed by a resume |"
            + " %s | 0 unchecked repeats, journal intact, same ledger | %d runs, %d resumes, %d"
            + " operator answers for actions in doubt, %d repeats of once-only steps, %d journal"
            + " problems, %.0f s |%n",
        r.kills(),
        args[0],
        ok ? "passed" : "FAILED",
        r.runs(),
        r.resumes(),
        r.operatorAnswers(),
        r.repeatedOnceOnly().size(),
        r.journalProblems().size(),
        r.millis() / 1000.0);
    if (!ok) {
      System.out.println(r);
    }
    System.exit(ok ? 0 : 1);
  }

  private CrashHarness() {}
}
