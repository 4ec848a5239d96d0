package io.upshift.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.TestPlans;
import io.upshift.engine.Captures;
import io.upshift.engine.Outcome;
import io.upshift.engine.RunEvent;
import io.upshift.engine.RunState;
import io.upshift.plan.Plan;
import io.upshift.plan.PlanLoader;
import io.upshift.plan.Step;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a backup reports on its last lines becomes one event per database. */
class CapturesTest {
  @TempDir Path dir;

  private Step backupOfTwo() {
    String inventory =
        "defaults: {version: v1}\nsites:\n  s:\n    cells:\n      c:\n        hosts:\n"
            + "          - {name: db1, databases: [nova, glance]}\n";
    String plan =
        "upshift: 1\nname: t\ninventory: inventory.yaml\nreleases: [v1, v2]\nfrom: v1\nto: v2\n"
            + "databases:\n  nova: {engine: postgresql}\n  glance: {engine: mysql}\n"
            + "stages:\n  - name: S\n    steps:\n      - db-backup: [nova, glance]\n";
    Plan p = PlanLoader.load(TestPlans.write(dir, plan, inventory));
    return p.steps().get(0);
  }

  @Test
  void pathsWithSpacesAndWindowsLineEndsKeepTheirSizeAndChecksum() {
    Step step = backupOfTwo();
    String output =
        "pg_dump: done\r\n"
            + "upshift-backup C:\\Program Data\\dumps\\nova-20261126T080000Z.dump 1234 abc123\r\n"
            + "upshift-backup /var/backups/up shift/glance-x.sql 99 def456\n";
    Captures.Result r =
        Captures.after(
            step, 0, Outcome.success(0, output), new RunState(PlanLoader.load(dir)), "db1", 5);
    assertThat(r.outcome().ok()).isTrue();
    assertThat(r.events())
        .containsExactly(
            new RunEvent.BackupTaken(
                5,
                0,
                0,
                0,
                "nova",
                "C:\\Program Data\\dumps\\nova-20261126T080000Z.dump",
                1234,
                "abc123"),
            new RunEvent.BackupTaken(
                5, 0, 0, 0, "glance", "/var/backups/up shift/glance-x.sql", 99, "def456"));
  }

  @Test
  void aBackupThatReportsTooLittleFailsTheHost() {
    Step step = backupOfTwo();
    Captures.Result r =
        Captures.after(
            step,
            0,
            Outcome.success(0, "upshift-backup /b/nova.dump 12 aa\nupshift-backup garbled\n"),
            new RunState(PlanLoader.load(dir)),
            "db1",
            5);
    assertThat(r.events()).hasSize(1);
    assertThat(r.outcome().ok()).isFalse();
    assertThat(r.outcome().reason()).contains("did not report its file, size and checksum");
  }
}
