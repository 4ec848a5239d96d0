package io.upshift.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.Cli;
import io.upshift.TestPlans;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  /** The command line on a PostgreSQL journal: a run paused at its gate, approved, resumed. */
  @Test
  void runsAreJournaledInPostgresqlThroughTheCommandLine(@TempDir Path dir) throws Exception {
    TestPlans.write(
        dir,
        """
        upshift: 1
        name: shared
        inventory: inventory.yaml
        releases: [v1, v2]
        from: v1
        to: v2
        stages:
          - name: One
            steps:
              - command: "echo one {{host}} >> ledger.txt"
                on: all
              - approve: "go?"
              - command: "echo two {{host}} >> ledger.txt"
        """,
        CrashHarness.INVENTORY);
    String url = server.jdbcUrl();
    Cli.Result run =
        Cli.run("run", dir.toString(), "--target", "local", "--progress", "none", "--journal", url);
    assertThat(run.code()).isEqualTo(3);
    assertThat(run.err()).doesNotContain("password");
    Cli.run("approve", "last", "--by", "alice", "--journal", url);
    assertThat(Cli.run("resume", "last", "--progress", "none", "--journal", url).code()).isZero();
    assertThat(Cli.run("show", "last", "--journal", url).out())
        .contains("status   succeeded")
        .contains("approved by alice");
    assertThat(Files.readAllLines(dir.resolve("ledger.txt"))).hasSize(16);
  }

  @Override
  protected Journal reopen() {
    return JdbcJournal.postgresql(server.jdbcUrl());
  }
}
