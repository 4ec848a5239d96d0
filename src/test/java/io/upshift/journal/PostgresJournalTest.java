package io.upshift.journal;

import java.sql.DriverManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The same contract on a real PostgreSQL server (Debian's), started for this class. */
class PostgresJournalTest extends JournalContract {
  private static PostgresServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = PostgresServer.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected Journal open() throws Exception {
    try (var c = DriverManager.getConnection(server.jdbcUrl());
        var s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS events, runs, controls, upshift_meta");
    }
    return reopen();
  }

  @Override
  protected Journal reopen() {
    return JdbcJournal.postgresql(server.jdbcUrl());
  }
}
