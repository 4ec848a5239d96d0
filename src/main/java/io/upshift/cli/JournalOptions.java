package io.upshift.cli;

import io.upshift.journal.JdbcJournal;
import io.upshift.journal.Journal;
import io.upshift.journal.JournalException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

/** Where the journal is: {@code --journal}, else $UPSHIFT_JOURNAL, else .upshift/journal.db. */
final class JournalOptions {
  static final String DEFAULT = ".upshift/journal.db";

  String journal;

  /** Adds {@code --journal} to a command. */
  CommandSpec addTo(CommandSpec spec) {
    return spec.addOption(
        Args.option(
                "--journal",
                "WHERE",
                String.class,
                "The journal: a SQLite file (default: $UPSHIFT_JOURNAL, else "
                    + DEFAULT
                    + " in this folder) or a PostgreSQL URL, jdbc:postgresql://HOST:PORT/DB (user"
                    + " and password from PGUSER/PGPASSWORD).",
                v -> journal = v)
            .build());
  }

  /** Whether the user named a journal (on the command line or in the environment). */
  boolean given() {
    return journal != null || System.getenv("UPSHIFT_JOURNAL") != null;
  }

  String spec() {
    if (journal != null) {
      return journal;
    }
    String env = System.getenv("UPSHIFT_JOURNAL");
    return env != null && !env.isBlank() ? env : DEFAULT;
  }

  Journal open() {
    String spec = spec();
    if (spec.startsWith("jdbc:postgresql:")) {
      return JdbcJournal.postgresql(spec);
    }
    if (spec.startsWith("postgresql://") || spec.startsWith("postgres://")) {
      return JdbcJournal.postgresql("jdbc:postgresql://" + spec.substring(spec.indexOf("//") + 2));
    }
    return JdbcJournal.sqlite(Path.of(spec.startsWith("sqlite:") ? spec.substring(7) : spec));
  }

  /** Opens the journal for reading runs: a missing SQLite file is an error, not a new journal. */
  Journal openExisting() {
    String spec = spec();
    if (!spec.contains("postgres") && !Files.exists(Path.of(spec))) {
      throw new JournalException(
          "no journal at "
              + spec
              + " (runs on real targets are recorded there; give --journal or run from the folder where the run was started)");
    }
    return open();
  }

  /** The operator's name for the audit trail: --by, else $USER. */
  static String operator(String by) {
    if (by != null && !by.isBlank()) {
      return by;
    }
    String user = System.getenv("USER");
    return user != null && !user.isBlank() ? user : System.getProperty("user.name", "unknown");
  }
}
