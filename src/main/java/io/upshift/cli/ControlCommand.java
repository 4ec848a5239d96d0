package io.upshift.cli;

import io.upshift.journal.Control;
import io.upshift.journal.Journal;
import io.upshift.journal.RunRecord;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The operator's requests to a run: pause, abort, approve. They go through the journal. */
abstract class ControlCommand implements Callable<Integer> {
  @Parameters(paramLabel = "RUN", description = "The run's id (a unique prefix will do), or last.")
  String run;

  @Mixin JournalOptions journalOptions;

  @Option(names = "--by", paramLabel = "NAME", description = "Who asks (default: $USER).")
  String by;

  @Option(
      names = "--comment",
      paramLabel = "TEXT",
      defaultValue = "",
      description = "Why, for the audit trail.")
  String comment;

  abstract Control.Kind kind();

  @Override
  public Integer call() {
    PrintStream err = System.err;
    try (Journal journal = journalOptions.openExisting()) {
      RunRecord r = ShowCommand.find(journal, run);
      RunStatusWord status = RunStatusWord.of(r.status());
      if (status.terminal()) {
        err.println("upshift: run " + r.id() + " has ended (" + r.status() + ")");
        return ExitCode.FAILED;
      }
      boolean live = r.live(System.currentTimeMillis());
      String gate = "";
      switch (kind()) {
        case APPROVE -> {
          if (r.gate().isEmpty()) {
            err.println(
                "upshift: run "
                    + r.id()
                    + " is not waiting for an approval (status "
                    + r.status()
                    + ")");
            return ExitCode.FAILED;
          }
          gate = r.gate();
        }
        case PAUSE -> {
          if (!live) {
            err.println(
                "upshift: no process drives run "
                    + r.id()
                    + " now (status "
                    + r.status()
                    + "); it does nothing until resumed");
            return ExitCode.FAILED;
          }
        }
        default -> {}
      }
      Control c = journal.request(r.id(), kind(), JournalOptions.operator(by), comment, gate);
      err.println(
          "upshift: "
              + kind().word()
              + " of run "
              + r.id()
              + " recorded (request "
              + c.id()
              + ")"
              + (live
                  ? "; " + r.owner() + " carries it out at its next step boundary"
                  : "; it is carried out when the run is resumed: upshift resume " + r.id()));
      return ExitCode.OK;
    }
  }

  @Command(
      name = "pause",
      description = "Pause a run: actions in flight finish, nothing new starts.",
      mixinStandardHelpOptions = true)
  static final class Pause extends ControlCommand {
    @Override
    Control.Kind kind() {
      return Control.Kind.PAUSE;
    }
  }

  @Command(
      name = "abort",
      description =
          "Abort a run: actions in flight finish, nothing new starts, the run ends aborted.",
      mixinStandardHelpOptions = true)
  static final class Abort extends ControlCommand {
    @Option(
        names = "--undo",
        description =
            "Then undo the current stage's steps that declare `undo:`, last first, on the hosts where they succeeded.")
    boolean undo;

    @Override
    Control.Kind kind() {
      return undo ? Control.Kind.ABORT_UNDO : Control.Kind.ABORT;
    }
  }

  @Command(
      name = "approve",
      description = "Approve the gate a run waits at; the name, time and comment are journaled.",
      mixinStandardHelpOptions = true)
  static final class Approve extends ControlCommand {
    @Override
    Control.Kind kind() {
      return Control.Kind.APPROVE;
    }
  }
}
