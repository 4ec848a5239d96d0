package io.upshift.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.Cli;
import io.upshift.TestPlans;
import io.upshift.journal.JdbcJournal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code upshift serve} and {@code run --serve}: wrong options say what and how, with exit codes.
 */
class ServeCommandTest {
  @TempDir Path dir;

  @Test
  void aMissingJournalIsAnError() {
    Cli.Result r = Cli.run("serve", "--journal", dir.resolve("none.db").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("no journal at").doesNotContain("Exception");
  }

  @Test
  void wrongOptionsAreUsageErrors() throws Exception {
    Path journal = dir.resolve("j.db");
    JdbcJournal.sqlite(journal).close();
    Cli.Result bind = Cli.run("serve", "--journal", journal.toString(), "--bind", "here:there");
    assertThat(bind.code()).isEqualTo(2);
    assertThat(bind.err()).contains("`here:there` is not ADDR:PORT");
    Cli.Result token =
        Cli.run(
            "serve",
            "--journal",
            journal.toString(),
            "--bind",
            "127.0.0.1:0",
            "--token-file",
            dir.resolve("missing").toString());
    assertThat(token.code()).isEqualTo(2);
    assertThat(token.err()).contains("--token-file").contains("cannot be read");
    Files.writeString(dir.resolve("short"), "abc\n");
    Cli.Result shortToken =
        Cli.run(
            "serve",
            "--journal",
            journal.toString(),
            "--bind",
            "127.0.0.1:0",
            "--token-file",
            dir.resolve("short").toString());
    assertThat(shortToken.code()).isEqualTo(2);
    assertThat(shortToken.err()).contains("at least 16 characters");
  }

  @Test
  void aTakenPortIsReported() throws Exception {
    Path journal = dir.resolve("j.db");
    JdbcJournal.sqlite(journal).close();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Cli.Result r =
          Cli.run(
              "serve",
              "--journal",
              journal.toString(),
              "--bind",
              "127.0.0.1:" + taken.getLocalPort());
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err())
          .contains("cannot listen on 127.0.0.1:" + taken.getLocalPort())
          .contains("--bind");
    }
  }

  @Test
  void runServesBesideTheRunUntilItEnds() {
    Path plan =
        TestPlans.write(dir.resolve("p"), Rehearsal.plan("served", "One"), TestPlans.fleet(2, 20));
    Cli.Result r =
        Cli.run(
            "run",
            plan.toString(),
            "--journal",
            dir.resolve("j.db").toString(),
            "--serve",
            "0",
            "--progress",
            "none");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err())
        .containsPattern("dashboard at http://127\\.0\\.0\\.1:[0-9]+/runs/[0-9a-f-]+ ")
        .contains("steering token (made now")
        .contains("#token=");
    try (var j = JdbcJournal.sqlite(dir.resolve("j.db"))) {
      assertThat(j.runs(1).get(0).statusWord()).isEqualTo("succeeded");
    }
  }

  @Test
  void serveNeedsTheJournal() {
    Path plan =
        TestPlans.write(dir.resolve("p"), Rehearsal.plan("p", "One"), TestPlans.fleet(1, 2));
    Cli.Result r = Cli.run("run", plan.toString(), "--serve", "0", "--no-journal");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--serve shows the run from its journal");
  }
}
