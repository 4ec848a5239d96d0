package io.upshift.cli;

import io.upshift.engine.RunPhase;
import io.upshift.journal.Control;
import io.upshift.journal.Journal;
import io.upshift.journal.RunRecord;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** The operator's requests to a run: pause, abort, approve. They go through the journal. */
abstract class ControlCommand implements Callable<Integer> {
  String run;
  final JournalOptions journalOptions = new JournalOptions();
  String by;
  String comment = "";

  /** The command line every request takes: RUN, the journal, who asks and why. */
  CommandSpec spec(String name, String description) {
    CommandSpec spec =
        Args.command(name, description, this)
            .addPositional(RecordedRun.parameter(v -> run = v))
            .addOption(
                Args.option("--by", "NAME", String.class, "Who asks (default: $USER).", v -> by = v)
                    .build())
            .addOption(
                Args.option(
                        "--comment",
                        "TEXT",
                        String.class,
                        "Why, for the audit trail.",
                        v -> comment = v)
                    .build());
    return journalOptions.addTo(spec);
  }

  abstract CommandSpec spec();

  abstract Control.Kind kind();

  @Override
  public Integer call() {
    PrintStream err = System.err;
    try (Journal journal = journalOptions.openExisting()) {
      RunRecord r = ShowCommand.find(journal, run);
      RunPhase phase = RunPhase.ofRecord(r.status());
      if (phase.terminal()) {
        err.println("upshift: run " + r.id() + " has ended (" + phase.word() + ")");
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
                    + phase.word()
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
                    + phase.word()
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

  static final class Pause extends ControlCommand {
    @Override
    CommandSpec spec() {
      return spec("pause", "Pause a run: actions in flight finish, nothing new starts.");
    }

    @Override
    Control.Kind kind() {
      return Control.Kind.PAUSE;
    }
  }

  static final class Abort extends ControlCommand {
    boolean undo;

    @Override
    CommandSpec spec() {
      return spec(
              "abort",
              "Abort a run: actions in flight finish, nothing new starts, the run ends aborted.")
          .addOption(
              Args.flag(
                  "--undo",
                  "Then undo the current stage's steps that declare `undo:`, last first, on the"
                      + " hosts where they succeeded.",
                  v -> undo = v));
    }

    @Override
    Control.Kind kind() {
      return undo ? Control.Kind.ABORT_UNDO : Control.Kind.ABORT;
    }
  }

  static final class Approve extends ControlCommand {
    @Override
    CommandSpec spec() {
      return spec(
          "approve", "Approve the gate a run waits at; the name, time and comment are journaled.");
    }

    @Override
    Control.Kind kind() {
      return Control.Kind.APPROVE;
    }
  }
}
