package io.upshift.cli;

import io.upshift.engine.Execution;
import io.upshift.engine.RunEvent;
import io.upshift.engine.RunPhase;
import io.upshift.engine.RunState;
import io.upshift.engine.RunSummary;
import io.upshift.journal.Control;
import io.upshift.journal.Fingerprint;
import io.upshift.journal.Journal;
import io.upshift.journal.JournalException;
import io.upshift.journal.Requests;
import io.upshift.journal.Resumption;
import io.upshift.journal.RunRecord;
import io.upshift.plan.InDoubt;
import io.upshift.plan.Plan;
import io.upshift.plan.PlanLoader;
import io.upshift.source.Terminal;
import io.upshift.verify.Finding;
import io.upshift.verify.Verifier;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code upshift resume RUN}: goes on with a paused run, or one whose driver died, from its
 * journal. Asks a live driver to resume instead when there is one.
 */
final class ResumeCommand implements Callable<Integer> {
  String run;
  final JournalOptions journalOptions = new JournalOptions();
  final ReportOptions reports = new ReportOptions();
  String by;
  String inDoubt;
  boolean acceptChanges;
  Path planOverride;
  ProgressPrinter.Mode progress;
  Path summaryJson;

  CommandSpec spec() {
    CommandSpec spec =
        Args.command(
                "resume",
                "Go on with a run from its journal: after a pause, or after the process driving it"
                    + " died.",
                this)
            .addPositional(RecordedRun.parameter(v -> run = v))
            .addOption(
                Args.option(
                        "--by", "NAME", String.class, "Who resumes (default: $USER).", v -> by = v)
                    .build())
            .addOption(
                Args.option(
                        "--in-doubt",
                        "ANSWER",
                        String.class,
                        "For actions that may or may not have run and whose kind asks the operator"
                            + " (db-sync, db-backup, command): done, rerun or failed, after looking"
                            + " at the hosts.",
                        v -> inDoubt = v)
                    .build())
            .addOption(
                Args.flag(
                    "--accept-plan-changes",
                    "Go on although the plan changed in steps the run has started or done (they"
                        + " keep what was recorded).",
                    v -> acceptChanges = v))
            .addOption(
                Args.option(
                        "--plan",
                        "PLAN",
                        Path.class,
                        "The plan, when it moved since the run started (default: where it was);"
                            + " its folder is where local commands run.",
                        v -> planOverride = v)
                    .build())
            .addOption(ProgressPrinter.option(v -> progress = v))
            .addOption(RunCommand.summaryJsonOption(v -> summaryJson = v));
    journalOptions.addTo(spec);
    return reports.addTo(spec);
  }

  @Override
  public Integer call() throws IOException {
    PrintStream err = System.err;
    InDoubt answer = null;
    if (inDoubt != null) {
      answer = InDoubt.of(inDoubt);
      if (answer != InDoubt.DONE && answer != InDoubt.RERUN && answer != InDoubt.FAILED) {
        err.println("upshift: --in-doubt takes done, rerun or failed, not `" + inDoubt + "`");
        return ExitCode.USAGE;
      }
    }
    String who = JournalOptions.operator(by);
    try (Journal journal = journalOptions.openExisting()) {
      RunRecord record = ShowCommand.find(journal, run);
      RunPhase recorded = RunPhase.ofRecord(record.status());
      if (recorded.terminal()) {
        err.println(
            "upshift: run "
                + record.id()
                + " has ended ("
                + recorded.word()
                + "); nothing to resume");
        return RunCommand.exitCode(recorded.status());
      }
      if (record.live(System.currentTimeMillis())) {
        Requests.ask(journal, record, Control.Kind.RESUME, who, "", System.currentTimeMillis());
        err.println(
            "upshift: run "
                + record.id()
                + " is driven by "
                + record.owner()
                + "; asked it to resume");
        return ExitCode.OK;
      }
      Path planFile =
          planOverride != null
              ? PlanLoader.planFile(planOverride).toAbsolutePath().normalize()
              : Path.of(record.planFile());
      Plan plan = PlanArgument.load(planFile, err);
      String options = record.options();
      RunCommand.TargetName target =
          RunCommand.TargetName.valueOf(RunDriver.Settings.option(options, "target"));
      long seed = record.seed();
      RunSummary summary = new RunSummary(plan, target.name(), seed);
      Resumption resumption =
          Resumption.replay(journal, record.id(), plan, reports.replaying(summary, plan, record));
      RunState state = resumption.state();
      if (state.status().isTerminal()) {
        // it ended, but its driver died before saying so in the run's record
        journal.update(
            record.id(),
            state.phase().name(),
            state.haltReason() == null ? "" : state.haltReason(),
            "",
            null,
            0,
            System.currentTimeMillis());
        err.println("upshift: run " + record.id() + " has ended (" + state.status().word() + ")");
        return RunCommand.exitCode(state.status());
      }
      Fingerprint.Changes changes = Fingerprint.compare(record.fingerprint(), plan, state);
      if (changes.hostsRenumbered()) {
        err.println(
            "upshift: the inventory's host list changed since run "
                + record.id()
                + " started (hosts added, removed or reordered); its journal cannot be applied to it");
        err.println("  hint: restore the inventory as it was, resume, and change it after the run");
        return ExitCode.FAILED;
      }
      if (!changes.changed().isEmpty() && !acceptChanges) {
        err.println(
            "upshift: "
                + planFile
                + " changed since run "
                + record.id()
                + " started, in what the run has already done:");
        changes.changed().forEach(c -> err.println("  - " + c));
        err.println(
            "  hint: put those steps back as they were, or pass --accept-plan-changes if the change keeps what was done meaningful");
        return ExitCode.FAILED;
      }
      boolean unsafe = Boolean.parseBoolean(RunDriver.Settings.option(options, "unsafe"));
      if (!unsafe && !state.stageActive() && state.stage() >= 0) {
        List<Finding> findings = Verifier.recheck(plan, state);
        if (!findings.isEmpty()) {
          findings.forEach(f -> err.println(f.render() + "\n"));
          err.println(
              "upshift: the rest of the plan is not safe from where run "
                  + record.id()
                  + " stands (see above); it was not resumed");
          return ExitCode.FAILED;
        }
      }
      long now = Math.max(state.now(), sinceStart(record));
      List<Resumption.Doubt> doubts = resumption.doubts();
      List<RunEvent> settle = resumption.settle(doubts, answer, now);
      if (settle == null) {
        err.println(
            "upshift: run "
                + record.id()
                + " stopped while these actions were under way; they may or may not have run:");
        for (Resumption.Doubt d : doubts) {
          if (d.policy() == InDoubt.ASK) {
            err.println(
                "  - "
                    + Terminal.safe(d.hostName())
                    + ": stage `"
                    + Terminal.safe(plan.stages().get(d.step().stage()).name())
                    + "` "
                    + (d.phase() == Execution.Phase.UNDO ? "undo of " : "")
                    + Terminal.safe(d.step().describe()));
          }
        }
        err.println(
            "  hint: look at those hosts, then resume with --in-doubt done (it ran), rerun (run it again) or failed (leave the host out)");
        return ExitCode.FAILED;
      }
      List<RunEvent> prelude = new ArrayList<>();
      prelude.add(
          new RunEvent.RunResumed(
              now, who, doubts.isEmpty() ? "" : doubts.size() + " action(s) in doubt settled"));
      prelude.addAll(settle);
      err.println(
          "upshift: resuming run "
              + record.id()
              + " at event "
              + resumption.lastSeq()
              + (doubts.isEmpty() ? "" : "; " + describe(doubts)));
      RunDriver.Settings settings =
          new RunDriver.Settings(
              plan,
              target,
              seed,
              plan.faults(),
              Integer.parseInt(RunDriver.Settings.option(options, "max-processes")),
              Boolean.parseBoolean(RunDriver.Settings.option(options, "auto-approve")),
              unsafe,
              planOverride != null
                  ? planFile.getParent()
                  : Path.of(RunDriver.Settings.option(options, "work-dir")),
              RunDriver.Settings.ssh(options));
      return RunDriver.drive(
          settings,
          new RunDriver.Journaled(journal, record.id(), resumption.lastSeq()),
          state,
          prelude,
          now,
          summary,
          progress,
          summaryJson,
          reports,
          System.out,
          err);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new JournalException("the record of run " + run + " is damaged: " + e.getMessage());
    }
  }

  private static String describe(List<Resumption.Doubt> doubts) {
    long rerun = doubts.stream().filter(d -> d.policy() == InDoubt.RERUN).count();
    long check = doubts.stream().filter(d -> d.policy() == InDoubt.CHECK).count();
    long asked = doubts.size() - rerun - check;
    List<String> parts = new ArrayList<>();
    if (rerun > 0) {
      parts.add(rerun + " in doubt run again");
    }
    if (check > 0) {
      parts.add(check + " in doubt checked first");
    }
    if (asked > 0) {
      parts.add(asked + " in doubt settled as the operator said");
    }
    return String.join(", ", parts);
  }

  /** Milliseconds since the run was created, by the wall clock. */
  static long sinceStart(RunRecord record) {
    try {
      return Math.max(
          0, System.currentTimeMillis() - Instant.parse(record.createdAt()).toEpochMilli());
    } catch (DateTimeParseException e) {
      return 0;
    }
  }
}
