package io.upshift.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.Cli;
import io.upshift.plan.Plan;
import io.upshift.plan.PlanLoader;
import io.upshift.source.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CERN plan verifies clean, and each way of breaking it that SCENARIO-CERN lists (and a few
 * more) is rejected with the right rule, at the step that breaks it.
 */
class BrokenVariantsTest {
  static final Path EXAMPLE = Path.of("examples/cern-havana");

  @TempDir Path dir;

  /** Writes the CERN example with its plan changed by {@code edit}; returns the plan text. */
  private String variant(UnaryOperator<String> edit) throws IOException {
    Files.copy(EXAMPLE.resolve("inventory.yaml"), dir.resolve("inventory.yaml"));
    String original = Files.readString(EXAMPLE.resolve("plan.yaml"));
    String changed = edit.apply(original);
    assertThat(changed).as("the edit changed the plan").isNotEqualTo(original);
    Files.writeString(dir.resolve("plan.yaml"), changed);
    return changed;
  }

  /** The 1-based line of the step that starts with {@code marker} (unique in the text). */
  private static int lineOf(String text, String marker) {
    assertThat(text).containsOnlyOnce(marker);
    return (int) text.substring(0, text.indexOf(marker)).chars().filter(c -> c == '\n').count() + 1;
  }

  private List<Finding> verify() {
    return Verifier.verify(PlanLoader.load(dir)).findings();
  }

  private void assertFinding(List<Finding> findings, String rule, int line) {
    assertThat(findings)
        .as("findings: %s", findings)
        .anySatisfy(
            f -> {
              assertThat(f.rule()).isEqualTo(rule);
              assertThat(f.severity()).isEqualTo(Severity.ERROR);
              assertThat(f.at().line()).isEqualTo(line);
              assertThat(f.at().file().toString()).endsWith("plan.yaml");
              assertThat(f.hint()).isNotBlank();
              assertThat(f.hostCount()).isPositive();
            });
  }

  @Test
  void theCernPlanIsSafe() {
    Verifier.Report report = Verifier.verify(PlanLoader.load(EXAMPLE));
    assertThat(report.findings()).isEmpty();
    assertThat(report.safe()).isTrue();
    assertThat(report.pointsOfNoReturn())
        .extracting(n -> n.step().kind().key())
        .containsOnly("db-sync")
        .hasSize(6);
  }

  @Test
  void mainKeystonesUpgradedInBatchesWhileServing() throws IOException {
    String plan =
        variant(
            p ->
                p.replace(
                        """
              - drain: keystone
                name: take every main Keystone out of the endpoint at once
                on: endpoint=main
        """,
                        "")
                    .replace(
                        """
              - upgrade: keystone
                on: endpoint=main
                duration: 20s..40s
        """,
                        """
              - upgrade: keystone
                name: upgrade the main Keystones one by one
                on: endpoint=main
                duration: 20s..40s
                waves: {batch: 1}
        """));
    List<Finding> findings = verify();
    assertFinding(
        findings,
        "keystone-token-format",
        lineOf(
            plan,
            "      - upgrade: keystone\n        name: upgrade the main Keystones one by one"));
    Finding f =
        findings.stream()
            .filter(x -> x.rule().equals("keystone-token-format"))
            .findFirst()
            .orElseThrow();
    assertThat(f.message()).contains("cell top").contains("grizzly and havana");
    assertThat(f.wave()).isEqualTo("wave 1");
    assertThat(f.why()).contains("KeyError 'token'");
  }

  @Test
  void novaComputeUpgradedInACellBeforeItsConductor() throws IOException {
    String plan =
        variant(
            p ->
                p.replace(
                    """
              - upgrade: [nova-cells, nova-conductor, nova-scheduler]
                on: role=cell-controller
        """,
                    """
              - upgrade: [nova-cells, nova-conductor, nova-scheduler]
                on: role=cell-controller,cell!=gva-3
        """));
    List<Finding> findings = verify();
    assertFinding(
        findings, "conductor-before-compute", lineOf(plan, "      - upgrade: nova-compute"));
    Finding f =
        findings.stream()
            .filter(x -> x.rule().equals("conductor-before-compute"))
            .findFirst()
            .orElseThrow();
    assertThat(f.message()).contains("cell gva-3");
    assertThat(f.hint()).contains("upgrade `nova-conductor` havana in cell gva-3 first");
    assertThat(f.hosts()).allMatch(h -> h.startsWith("hv-gva3-"));
  }

  @Test
  void novaClientUpgradedWithoutTheCinderClient() throws IOException {
    String plan =
        variant(
            p ->
                p.replace(
                    "      - upgrade: [cinder-client, nova-client, glance-client, keystone-client]",
                    "      - upgrade: [nova-client, glance-client, keystone-client]"));
    assertFinding(
        verify(),
        "novaclient-needs-cinderclient",
        lineOf(plan, "      - upgrade: [nova-client, glance-client, keystone-client]"));
  }

  @Test
  void computeNodesRebootedWithoutMovingTheirVms() throws IOException {
    String plan =
        variant(
            p ->
                p.replace(
                    """
              - start: rabbitmq
        """,
                    """
              - reboot: true
                name: reboot the compute nodes for the new kernel
                on: role=compute
                waves: {batch: 10%, group-by: cell, parallel: 10}
              - start: rabbitmq
        """));
    List<Finding> findings = verify();
    assertFinding(
        findings,
        "needs-every",
        lineOf(plan, "      - reboot: true\n        name: reboot the compute nodes"));
    Finding f =
        findings.stream().filter(x -> x.rule().equals("needs-every")).findFirst().orElseThrow();
    assertThat(f.message()).contains("`vm-running` would go down");
    assertThat(f.hostCount()).isEqualTo(2100);
  }

  @Test
  void dbSyncBeforeTheBackupOfItsStage() throws IOException {
    String plan =
        variant(
            p ->
                p.replace(
                    """
              - db-backup: cinder
                duration: 3m..5m
        """,
                    ""));
    assertFinding(verify(), "backup-before-sync", lineOf(plan, "      - db-sync: cinder"));
  }

  @Test
  void newCodeStartedBeforeItsSchemaIsMigrated() throws IOException {
    // Glance started (serving Havana code) before its database is migrated.
    String plan =
        variant(
            p ->
                p.replace(
                        """
              - db-sync: glance
                duration: 12m..16m
        """,
                        "")
                    .replace(
                        """
              - check: "! glance --os-username demo image-list | grep -q private-of-admin"
        """,
                        """
              - db-sync: glance
                duration: 12m..16m
              - check: "! glance --os-username demo image-list | grep -q private-of-admin"
        """));
    assertFinding(
        verify(),
        "schema-before-code",
        lineOf(plan, "      - start: [glance-registry, glance-api]"));
  }

  @Test
  void aCapabilityOverItsBudgetIsAFinding() throws IOException {
    String plan =
        variant(
            p ->
                p.replace(
                    "identity: {needs: [keystone], on: endpoint=main, max-downtime: 2m}",
                    "identity: {needs: [keystone], on: endpoint=main, max-downtime: 30s}"));
    List<Finding> findings = verify();
    assertThat(findings)
        .anySatisfy(
            f -> {
              assertThat(f.rule()).isEqualTo("capability-budget");
              assertThat(f.at().line()).isEqualTo(lineOf(plan, "  identity:"));
            });
  }

  @Test
  void onlyAPlanWithADowntimeBudgetNeedsThe95thPercentileWalk() throws IOException {
    assertThat(Verifier.hasBudgets(PlanLoader.load(EXAMPLE))).isTrue();
    variant(p -> p.replace(", max-downtime: 2m}", "}").replace(", max-downtime: 1m}", "}"));
    Plan plan = PlanLoader.load(dir);
    assertThat(Verifier.hasBudgets(plan)).isFalse();
    assertThat(Cli.run("verify", dir.toString()).code()).isZero();
  }

  @Test
  void verifyFromTheCommandLine() throws IOException {
    assertThat(Cli.run("verify", EXAMPLE.toString()).code()).isZero();
    variant(
        p ->
            p.replace(
                "      - upgrade: [cinder-client, nova-client, glance-client, keystone-client]",
                "      - upgrade: [nova-client, glance-client, keystone-client]"));
    Cli.Result r = Cli.run("verify", dir.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains("error[novaclient-needs-cinderclient]")
        .contains("hint: upgrade `cinder-client` havana in host ")
        .contains("UNSAFE");
    Cli.Result json = Cli.run("verify", dir.toString(), "--json");
    assertThat(json.code()).isEqualTo(1);
    assertThat(json.out())
        .contains("\"rule\" : \"novaclient-needs-cinderclient\"")
        .contains("\"safe\" : false");
  }
}
