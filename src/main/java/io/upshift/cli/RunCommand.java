package io.upshift.cli;

import io.upshift.engine.RunPhase;
import io.upshift.engine.RunStatus;
import io.upshift.engine.RunSummary;
import io.upshift.inventory.Selector;
import io.upshift.journal.Fingerprint;
import io.upshift.journal.Journal;
import io.upshift.journal.RunRecord;
import io.upshift.plan.Fault;
import io.upshift.plan.Plan;
import io.upshift.plan.PlanLoader;
import io.upshift.plan.StepKind;
import io.upshift.source.Position;
import io.upshift.source.Problems;
import io.upshift.source.Suggest;
import io.upshift.verify.Verifier;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@code upshift run PLAN}: executes a plan on a target and prints the timeline and downtime. */
final class RunCommand implements Callable<Integer> {
  enum TargetName {
    sim,
    local,
    ssh
  }

  private CommandSpec spec;
  Path plan;
  TargetName target;
  Long seed;
  Path summaryJson;
  List<String> faults = new ArrayList<>();
  boolean unsafe;
  int maxProcesses;
  ProgressPrinter.Mode progress;
  boolean autoApprove;
  final SshOptions ssh = new SshOptions();
  final JournalOptions journalOptions = new JournalOptions();
  final ReportOptions reports = new ReportOptions();
  boolean noJournal;
  String serve;
  Path serveTokenFile;

  CommandSpec spec() {
    spec =
        Args.command(
                "run",
                "Run a plan: rehearse it on the simulated fleet (the default) or execute it.",
                this)
            .addPositional(PlanArgument.parameter(v -> plan = v))
            .addOption(
                Args.option(
                        "--target",
                        "TARGET",
                        TargetName.class,
                        "Where to run: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
                        v -> target = v)
                    .defaultValue("sim")
                    .build())
            .addOption(
                Args.option(
                        "--seed",
                        "N",
                        Long.class,
                        "Seed of the rehearsal's random draws (default: the plan's rehearsal.seed,"
                            + " else 1).",
                        v -> seed = v)
                    .build())
            .addOption(summaryJsonOption(v -> summaryJson = v))
            .addOption(
                Args.repeatable(
                    "--fault",
                    "SPEC",
                    String.class,
                    "Inject failures in rehearsal: PROBABILITY, KIND=PROBABILITY, or"
                        + " KIND=PROBABILITY@SELECTOR (e.g. command=0.05, upgrade=1@host=hv-0001)."
                        + " Repeatable.",
                    v -> faults = v))
            .addOption(
                Args.flag(
                    "--unsafe",
                    "Run even when `upshift verify` finds problems, and do not re-check the rest of"
                        + " the plan between stages.",
                    v -> unsafe = v))
            .addOption(
                Args.option(
                        "--max-processes",
                        "N",
                        Integer.class,
                        "Local target: commands running at once (default: ${DEFAULT-VALUE}).",
                        v -> maxProcesses = v)
                    .defaultValue("64")
                    .build())
            .addOption(ProgressPrinter.option(v -> progress = v))
            .addOption(
                Args.flag(
                    "--auto-approve",
                    "Pass `approve` gates without asking (always so in rehearsal on the sim"
                        + " target).",
                    v -> autoApprove = v))
            .addOption(
                Args.flag(
                    "--no-journal",
                    "Do not record the run (it cannot be resumed, paused or approved from"
                        + " elsewhere). Runs on real targets are recorded by default; rehearsals"
                        + " only when --journal is given.",
                    v -> noJournal = v))
            .addOption(
                Args.option(
                        "--serve",
                        "[ADDR:]PORT",
                        String.class,
                        "Serve the live dashboard beside the run (on 127.0.0.1 unless ADDR is"
                            + " given) until it ends; the run is then recorded in the journal.",
                        v -> serve = v)
                    .build())
            .addOption(
                Args.option(
                        "--serve-token-file",
                        "FILE",
                        Path.class,
                        "With --serve: the steering token, FILE's first line (default:"
                            + " $UPSHIFT_SERVE_TOKEN, else a new token printed at start).",
                        v -> serveTokenFile = v)
                    .build());
    ssh.addTo(spec);
    journalOptions.addTo(spec);
    return reports.addTo(spec);
  }

  /** The {@code --summary-json} option of the commands that drive a run. */
  static OptionSpec summaryJsonOption(Consumer<Path> to) {
    return Args.option(
            "--summary-json", "FILE", Path.class, "Write the run summary as JSON to FILE.", to)
        .build();
  }

  @Override
  public Integer call() throws IOException {
    PrintStream err = System.err;
    checkOptions();
    Path planFile = PlanLoader.planFile(plan).toAbsolutePath().normalize();
    Plan loaded = PlanArgument.load(plan, System.err);
    if (!unsafe) {
      Verifier.Report report = Verifier.verify(loaded, false);
      if (!report.safe()) {
        report.findings().forEach(f -> err.println(f.render() + "\n"));
        err.println("upshift: the plan is not safe (see the findings above); nothing was run");
        err.println("  hint: fix the plan, or pass --unsafe to run it anyway");
        return ExitCode.FAILED;
      }
    }
    List<Fault> allFaults = new ArrayList<>(loaded.faults());
    allFaults.addAll(parseFaults(loaded));
    long runSeed = seed != null ? seed : loaded.seed();
    RunDriver.Settings settings =
        new RunDriver.Settings(
            loaded,
            target,
            runSeed,
            allFaults,
            maxProcesses,
            autoApprove,
            unsafe,
            planFile.getParent(),
            ssh.settings());
    RunSummary summary = new RunSummary(loaded, target.name(), runSeed);
    if (serve != null && noJournal) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--serve shows the run from its journal; it cannot go with --no-journal");
    }
    boolean record =
        !noJournal && (target != TargetName.sim || journalOptions.given() || serve != null);
    if (!record) {
      return drive(settings, null, summary, err);
    }
    try (Journal journal = journalOptions.open()) {
      String id = newRunId();
      AutoCloseable dashboard = null;
      if (serve != null) {
        int[] exit = {0};
        dashboard =
            ServeOption.start(
                journalOptions,
                serve.contains(":") ? serve : "127.0.0.1:" + serve,
                serveTokenFile,
                "/runs/" + id,
                err,
                "--serve",
                exit);
        if (dashboard == null) {
          return exit[0];
        }
      }
      String now = Instant.now().toString();
      journal.create(
          new RunRecord(
              id,
              now,
              planFile.toString(),
              loaded.name(),
              Fingerprint.of(loaded),
              target.name(),
              runSeed,
              settings.options(),
              RunPhase.RUNNING.name(),
              "",
              "",
              null,
              0,
              System.currentTimeMillis(),
              now));
      err.println(
          "upshift: run "
              + id
              + " (journal "
              + journal.describe()
              + "); from another terminal: upshift show|pause|abort "
              + id);
      if (serve == null) {
        return drive(settings, new RunDriver.Journaled(journal, id, 0), summary, err);
      }
      try (AutoCloseable served = dashboard) {
        return drive(settings, new RunDriver.Journaled(journal, id, 0), summary, err);
      } catch (IOException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Drives a new run from its start, recorded in {@code journaled} (or not, when null). */
  private int drive(
      RunDriver.Settings settings,
      RunDriver.Journaled journaled,
      RunSummary summary,
      PrintStream err)
      throws IOException {
    return RunDriver.drive(
        settings,
        journaled,
        null,
        List.of(),
        0,
        summary,
        progress,
        summaryJson,
        reports,
        System.out,
        err);
  }

  /** A run id that sorts by time and is short enough to type: {@code 20261126-143005-3fa2}. */
  static String newRunId() {
    LocalDateTime t = LocalDateTime.now(ZoneOffset.UTC);
    return String.format(
        "%04d%02d%02d-%02d%02d%02d-%04x",
        t.getYear(),
        t.getMonthValue(),
        t.getDayOfMonth(),
        t.getHour(),
        t.getMinute(),
        t.getSecond(),
        new SecureRandom().nextInt(0x10000));
  }

  private picocli.CommandLine.ParameterException usage(String message) {
    return new picocli.CommandLine.ParameterException(spec.commandLine(), message);
  }

  /** Options that are wrong whatever the plan: usage errors (exit 2), before anything runs. */
  private void checkOptions() {
    if (maxProcesses < 1) {
      throw usage("--max-processes must be at least 1");
    }
    if (summaryJson != null) {
      Path parent = summaryJson.toAbsolutePath().getParent();
      if (summaryJson.toString().isBlank() || Files.isDirectory(summaryJson)) {
        throw usage("--summary-json " + summaryJson + ": give a file name, not a folder");
      }
      if (parent != null && !Files.isDirectory(parent)) {
        throw usage("--summary-json " + summaryJson + ": the folder " + parent + " does not exist");
      }
      if (parent != null && !Files.isWritable(parent)) {
        throw usage(
            "--summary-json " + summaryJson + ": the folder " + parent + " is not writable");
      }
    }
  }

  static int exitCode(RunStatus status) {
    return switch (status) {
      case SUCCEEDED -> ExitCode.OK;
      case PAUSED -> ExitCode.PAUSED;
      default -> ExitCode.FAILED;
    };
  }

  private List<Fault> parseFaults(Plan loaded) {
    List<Fault> out = new ArrayList<>();
    for (String spec : faults) {
      Position at = new Position(Path.of("--fault"), 1, 1);
      String rest = spec.trim();
      Selector on = null;
      int atSign = rest.indexOf('@');
      if (atSign >= 0) {
        Problems problems = new Problems();
        on = Selector.parse(rest.substring(atSign + 1), at, problems);
        on.checkKeys(loaded.inventory().selectorKeys(), problems);
        if (problems.hasErrors()) {
          throw usage(
              "--fault "
                  + spec
                  + ": "
                  + problems.sorted().get(0).message()
                  + hintOf(problems.sorted().get(0).hint()));
        }
        if (loaded.inventory().select(on).isEmpty()) {
          throw usage("--fault " + spec + ": `" + on.text() + "` selects no host");
        }
        rest = rest.substring(0, atSign);
      }
      StepKind kind = null;
      int eq = rest.indexOf('=');
      if (eq >= 0) {
        String k = rest.substring(0, eq).trim();
        kind = StepKind.byKey(k).filter(StepKind::runsOnHosts).orElse(null);
        if (kind == null) {
          throw usage(
              "--fault "
                  + spec
                  + ": no fault can be injected into `"
                  + k
                  + "` steps"
                  + hintOf(
                      Suggest.hint(
                          k, StepKind.keys().stream().filter(x -> !x.equals("approve")).toList())));
        }
        rest = rest.substring(eq + 1);
      }
      Double p = PlanLoader.probability(rest);
      if (p == null) {
        throw usage(
            "--fault "
                + spec
                + ": the probability must be a number from 0 to 1 (e.g. --fault command=0.05)");
      }
      out.add(new Fault(kind, on, p, at));
    }
    return out;
  }

  private static String hintOf(String hint) {
    return hint == null ? "" : " (" + hint + ")";
  }
}
