package io.upshift.journal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteJournalTest extends JournalContract {
  @TempDir Path dir;

  @Override
  protected Journal open() {
    return JdbcJournal.sqlite(dir.resolve(".upshift/journal.db"));
  }

  @Override
  protected Journal reopen() {
    return open();
  }

  @Test
  void aJournalFromANewerUpshiftIsRefused() throws Exception {
    journal.close();
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(".upshift/journal.db"));
        var s = c.createStatement()) {
      s.execute("UPDATE upshift_meta SET value = '99' WHERE key = 'format'");
    }
    assertThatThrownBy(this::reopen)
        .isInstanceOf(JournalException.class)
        .hasMessageContaining("format 99, newer than this Upshift reads");
    journal = JdbcJournal.sqlite(dir.resolve("other.db"));
  }
}
