package io.upshift.cli;

import io.upshift.journal.Journal;
import io.upshift.journal.RunRecord;
import io.upshift.report.Count;
import io.upshift.report.JunitExport;
import io.upshift.report.ReportData;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code upshift export RUN}: a recorded run for other tools: its events as JSON lines, exactly as
 * the journal stores them, and its checks as JUnit XML.
 */
final class ExportCommand implements Callable<Integer> {
  private CommandSpec spec;
  final RecordedRun recorded = new RecordedRun();
  String jsonl;
  Path junit;

  CommandSpec spec() {
    spec =
        Args.command(
            "export",
            "Export a run from the journal: its events as JSON lines, its checks as JUnit XML.",
            this);
    recorded.addTo(spec);
    return spec.addOption(
            Args.option(
                    "--jsonl",
                    "FILE",
                    String.class,
                    "Write the run's events as JSON lines to FILE, or to standard output (- or no"
                        + " FILE).",
                    v -> jsonl = v)
                .arity("0..1")
                .fallbackValue("-")
                .build())
        .addOption(
            Args.option(
                    "--junit",
                    "FILE",
                    Path.class,
                    "Write the run's checks as JUnit XML to FILE.",
                    v -> junit = v)
                .build());
  }

  @Override
  public Integer call() throws IOException {
    if (jsonl == null && junit == null) {
      throw usage("say what to export: --jsonl [FILE] and/or --junit FILE");
    }
    if (jsonl != null && !jsonl.equals("-") && ReportOptions.problem(Path.of(jsonl)) != null) {
      throw usage("--jsonl " + jsonl + ": " + ReportOptions.problem(Path.of(jsonl)));
    }
    if (junit != null && ReportOptions.problem(junit) != null) {
      throw usage("--junit " + junit + ": " + ReportOptions.problem(junit));
    }
    try (Journal journal = recorded.openJournal()) {
      RunRecord record = recorded.find(journal);
      if (jsonl != null) {
        long n = jsonl.equals("-") ? lines(journal, record, System.out) : lines(journal, record);
        if (!jsonl.equals("-")) {
          System.err.printf(
              "upshift: %s event(s) of run %s written to %s%n", Count.of(n), record.id(), jsonl);
        }
      }
      if (junit != null) {
        ReportData data = ReportCommand.replay(journal, record, recorded.plan(record));
        JunitExport.write(data, junit);
        System.err.println("upshift: checks of run " + record.id() + " written to " + junit);
      }
      return ExitCode.OK;
    }
  }

  private long lines(Journal journal, RunRecord record) throws IOException {
    Path file = Path.of(jsonl).toAbsolutePath();
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    long n;
    try (var out = Files.newOutputStream(tmp)) {
      n = lines(journal, record, out);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return n;
  }

  /** Writes the stored lines, one event per line, in order; returns how many. */
  private static long lines(Journal journal, RunRecord record, OutputStream out)
      throws IOException {
    Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    long[] n = {0};
    try {
      journal.read(
          record.id(),
          1,
          s -> {
            try {
              w.write(s.body());
              w.write('\n');
              n[0]++;
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    w.flush();
    return n[0];
  }

  private picocli.CommandLine.ParameterException usage(String message) {
    return new picocli.CommandLine.ParameterException(spec.commandLine(), message);
  }
}
