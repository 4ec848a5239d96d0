package io.upshift.cli;

import io.upshift.clock.RunClock;
import io.upshift.clock.VirtualClock;
import io.upshift.clock.WallClock;
import io.upshift.engine.Engine;
import io.upshift.engine.Estimate;
import io.upshift.engine.RunEvent;
import io.upshift.engine.RunState;
import io.upshift.engine.RunStatus;
import io.upshift.engine.RunSummary;
import io.upshift.engine.Target;
import io.upshift.engine.sim.SimTarget;
import io.upshift.inventory.SshSettings;
import io.upshift.journal.Journal;
import io.upshift.journal.Recorder;
import io.upshift.plan.Fault;
import io.upshift.plan.Plan;
import io.upshift.plan.StepKind;
import io.upshift.probe.LiveProbes;
import io.upshift.probe.ModelProbes;
import io.upshift.report.ReportData;
import io.upshift.report.SummaryJson;
import io.upshift.report.SummaryTable;
import io.upshift.source.Problems;
import io.upshift.source.Terminal;
import io.upshift.target.Secrets;
import io.upshift.target.local.LocalTarget;
import io.upshift.target.ssh.SshTarget;
import io.upshift.verify.Verifier;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Drives a run, new or resumed: the target, the engine and its listeners, the journal. */
final class RunDriver {
  private RunDriver() {}

  /** Where and how a run goes: what {@code run} was given, and what {@code resume} keeps. */
  record Settings(
      Plan plan,
      RunCommand.TargetName target,
      long seed,
      List<Fault> faults,
      int maxProcesses,
      boolean autoApprove,
      boolean unsafe,
      Path workDir,
      SshTarget.Settings ssh) {

    /** The settings as {@code key=value} lines, for the run's record. */
    String options() {
      return "target="
          + target
          + "\nseed="
          + seed
          + "\nmax-processes="
          + maxProcesses
          + "\nauto-approve="
          + autoApprove
          + "\nunsafe="
          + unsafe
          + "\nwork-dir="
          + workDir
          + "\nknown-hosts="
          + ssh.knownHosts()
          + "\naccept-new-host-keys="
          + ssh.acceptNewHostKeys()
          + "\nssh-config="
          + (ssh.config() == null ? "none" : ssh.config())
          + "\nssh-agent="
          + (ssh.agent() == null ? "none" : ssh.agent())
          + "\nidentities="
          + String.join(File.pathSeparator, ssh.identities().stream().map(Path::toString).toList())
          + "\nidentities-given="
          + ssh.identitiesGiven()
          + limit("connect-timeout", ssh.limits().connectTimeoutMillis())
          + limit("login-timeout", ssh.limits().loginTimeoutMillis())
          + limit("max-connecting", ssh.limits().maxConnecting())
          + limit("max-commands", ssh.limits().maxCommands())
          + limit("kill-grace", ssh.limits().killGraceMillis())
          + "\n";
    }

    private static String limit(String key, Number value) {
      return value == null ? "" : "\n" + key + "=" + value;
    }

    private static Long longOption(String options, String key) {
      String v = option(options, key);
      return v == null || v.isEmpty() ? null : Long.valueOf(v);
    }

    private static Integer intOption(String options, String key) {
      String v = option(options, key);
      return v == null || v.isEmpty() ? null : Integer.valueOf(v);
    }

    /** The SSH settings kept in a run's options (the defaults where it has none). */
    static SshTarget.Settings ssh(String options) {
      var d = SshTarget.Settings.defaults();
      String known = option(options, "known-hosts");
      String ids = option(options, "identities");
      String agent = option(options, "ssh-agent");
      String config = option(options, "ssh-config");
      return new SshTarget.Settings(
          known == null ? d.knownHosts() : Path.of(known),
          Boolean.parseBoolean(option(options, "accept-new-host-keys")),
          ids == null || ids.isEmpty()
              ? d.identities()
              : Arrays.stream(ids.split(File.pathSeparator)).map(Path::of).toList(),
          Boolean.parseBoolean(option(options, "identities-given")),
          agent(agent),
          config == null ? d.config() : config.equals("none") ? null : Path.of(config),
          new SshSettings(
              longOption(options, "connect-timeout"),
              longOption(options, "login-timeout"),
              intOption(options, "max-connecting"),
              intOption(options, "max-commands"),
              longOption(options, "kill-grace")),
          d.outputCap(),
          true);
    }

    /**
     * The agent a resumed run logs in with: none if it started without one; the one it started with
     * while that socket exists (an agent lives as long as the login that started it); else the
     * current {@code $SSH_AUTH_SOCK}.
     */
    private static Path agent(String kept) {
      if ("none".equals(kept)) {
        return null;
      }
      if (kept != null && !kept.isEmpty() && Files.exists(Path.of(kept))) {
        return Path.of(kept);
      }
      String env = System.getenv("SSH_AUTH_SOCK");
      return env != null && !env.isBlank() && Files.exists(Path.of(env)) ? Path.of(env) : null;
    }

    static String option(String options, String key) {
      for (String line : options.split("\n")) {
        if (line.startsWith(key + "=")) {
          return line.substring(key.length() + 1);
        }
      }
      return null;
    }
  }

  /** A journal to record in, and the run's id there. */
  record Journaled(Journal journal, String run, long lastSeq) {}

  /**
   * Runs to the end (or a pause) and prints the summary.
   *
   * @param from the state to go on from (resume), or null for a new run
   * @param clockStart where the run's clock starts, in milliseconds since the run began
   */
  static int drive(
      Settings s,
      Journaled journaled,
      RunState from,
      List<RunEvent> prelude,
      long clockStart,
      RunSummary summary,
      ProgressPrinter.Mode progress,
      Path summaryJson,
      ReportOptions reports,
      PrintStream out,
      PrintStream err)
      throws IOException {
    Plan plan = s.plan();
    boolean sim = s.target() == RunCommand.TargetName.sim;
    RunClock clock = sim ? new VirtualClock() : new WallClock(clockStart);
    Secrets secrets = Secrets.NONE;
    if (!sim && !plan.secrets().isEmpty()) {
      Problems missing = new Problems();
      secrets = Secrets.read(plan, missing);
      missing.throwIfErrors();
    }
    try (Target t =
            switch (s.target()) {
              case sim -> new SimTarget(plan, clock, s.seed(), s.faults());
              case local -> new LocalTarget(plan, clock, s.workDir(), s.maxProcesses(), secrets);
              case ssh -> new SshTarget(plan, clock, s.ssh(), secrets);
            };
        Recorder recorder =
            journaled == null
                ? null
                : new Recorder(journaled.journal(), journaled.run(), journaled.lastSeq())) {
      Problems targetProblems = new Problems();
      t.check(plan, targetProblems);
      targetProblems.throwIfErrors();
      Main.printWarnings(targetProblems, err);
      Engine engine =
          (from == null
                  ? new Engine(plan, t, clock, s.seed())
                  : new Engine(plan, t, clock, s.seed(), from))
              .listen(summary)
              .autoApprove(s.autoApprove() || sim)
              .mask(secrets == Secrets.NONE ? null : secrets::mask)
              .prelude(prelude);
      if (recorder != null) {
        engine.log(recorder, !sim).controls(recorder).listen(recorder);
      }
      if (!s.unsafe()) {
        engine.guard(Verifier.guard(plan));
      }
      LiveProbes live = null;
      if (plan.capabilities().values().stream().anyMatch(c -> !c.probes().isEmpty())) {
        if (sim) {
          engine.controls(new ModelProbes(plan));
        } else {
          live = new LiveProbes(plan, clock).start();
          engine.controls(live);
        }
      }
      ReportData report = reports.collector(s, journaled);
      if (report != null) {
        engine.listen(report);
      }
      ProgressPrinter printer = ProgressPrinter.create(progress, err, new Estimate(plan));
      if (printer != null) {
        engine.listen(printer);
      }
      RunState state;
      try {
        state = engine.run();
      } finally {
        if (live != null) {
          live.close();
        }
      }
      if (printer != null) {
        printer.close();
      }
      SummaryTable.print(summary, out);
      out.flush();
      if (state.status() == RunStatus.PAUSED) {
        paused(state, journaled, err);
      }
      if (summaryJson != null) {
        // a real run's summary holds the rehearsal's prediction beside what happened
        SummaryJson.write(
            summary,
            sim ? null : ReportCommand.predicted(plan),
            sim ? -1 : System.currentTimeMillis() - clock.now(),
            summaryJson);
      }
      reports.write(err);
      return RunCommand.exitCode(state.status());
    }
  }

  private static void paused(RunState state, Journaled journaled, PrintStream err) {
    boolean gate = state.progress() != null && state.progress().step().kind() == StepKind.APPROVE;
    err.println("upshift: the run is paused: " + Terminal.safe(state.pauseReason()));
    if (journaled == null) {
      err.println(
          "  hint: without a journal a paused run cannot be resumed; run with --journal, or pass gates with --auto-approve");
    } else if (gate) {
      err.println(
          "  hint: approve with `upshift approve "
              + journaled.run()
              + " --comment ...`, then go on with `upshift resume "
              + journaled.run()
              + "`");
    } else {
      err.println("  hint: go on with `upshift resume " + journaled.run() + "`");
    }
  }
}
