package io.upshift.cli;

import io.upshift.journal.Control;
import io.upshift.journal.Journal;
import io.upshift.journal.Requests;
import io.upshift.journal.RunRecord;
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
    try (Journal journal = journalOptions.openExisting()) {
      RunRecord r = ShowCommand.find(journal, run);
      Requests.Result result =
          Requests.ask(
              journal, r, kind(), JournalOptions.operator(by), comment, System.currentTimeMillis());
      System.err.println("upshift: " + result.message());
      return result instanceof Requests.Recorded ? ExitCode.OK : ExitCode.FAILED;
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
