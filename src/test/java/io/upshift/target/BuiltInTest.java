package io.upshift.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.TestPlans;
import io.upshift.plan.Plan;
import io.upshift.plan.PlanLoader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The exact command each built-in step renders to, per service and package manager. */
class BuiltInTest {
  @TempDir Path dir;

  private Plan plan(String os, String serviceManager, String packageManager, String step) {
    String inventory =
        "defaults: {version: v1, os: "
            + os
            + ", service-manager: "
            + serviceManager
            + ", package-manager: "
            + packageManager
            + "}\nsites:\n  s:\n    cells:\n      c:\n        hosts:\n"
            + "          - {name: h1, components: [api, worker]}\n";
    String plan =
        """
        upshift: 1
        name: t
        inventory: inventory.yaml
        releases: [v1, v2]
        from: v1
        to: v2
        components:
          api: {packages: [openstack-nova-api, python-nova], service: openstack-nova-api}
          worker: {packages: [python-nova, "it's"], service: "nova worker's"}
        stages:
          - name: S
            steps:
              - %s: [api, worker]
        """
            .formatted(step);
    return PlanLoader.load(TestPlans.write(dir, plan, inventory));
  }

  @ParameterizedTest(name = "{0} {1} {2} {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "linux   | systemd | yum | stop    | systemctl stop 'openstack-nova-api' 'nova worker'\\''s'",
        "linux   | systemd | dnf | start   | systemctl start 'openstack-nova-api' 'nova worker'\\''s'",
        "linux   | sysv    | yum | restart | service 'openstack-nova-api' restart && service 'nova worker'\\''s' restart",
        "linux   | sysv    | yum | upgrade | yum -y -q update 'openstack-nova-api' 'python-nova' 'it'\\''s'",
        "linux   | systemd | dnf | upgrade | dnf -y -q upgrade 'openstack-nova-api' 'python-nova' 'it'\\''s'",
        "linux   | systemd | apt | upgrade | DEBIAN_FRONTEND=noninteractive apt-get install -y -q --only-upgrade 'openstack-nova-api' 'python-nova' 'it'\\''s'",
        "linux   | systemd | pip | upgrade | pip install --upgrade --quiet 'openstack-nova-api' 'python-nova' 'it'\\''s'",
        "windows | windows | msi | stop    | powershell -NoProfile -NonInteractive -Command \"Stop-Service -Name 'openstack-nova-api','nova worker''s' -ErrorAction Stop\"",
        "windows | windows | msi | restart | powershell -NoProfile -NonInteractive -Command \"Restart-Service -Name 'openstack-nova-api','nova worker''s' -ErrorAction Stop\"",
      })
  void rendersTheCommandForTheHost(
      String os, String serviceManager, String packageManager, String kind, String expected) {
    Plan p = plan(os, serviceManager, packageManager, kind);
    assertThat(BuiltIn.render(p, p.steps().get(0), p.inventory().host(0))).hasValue(expected);
  }

  @ParameterizedTest(name = "{0} {1} {2} {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "windows | windows | msi | upgrade | package manager `msi`",
        "linux   | systemd | yum | drain   | a component has no `balancer`",
      })
  void saysWhyWhenItCannot(
      String os, String serviceManager, String packageManager, String kind, String why) {
    Plan p = plan(os, serviceManager, packageManager, kind);
    assertThat(BuiltIn.render(p, p.steps().get(0), p.inventory().host(0))).isEmpty();
    assertThat(BuiltIn.why(p, p.steps().get(0), p.inventory().host(0))).contains(why);
  }

  @Test
  void eachHostGetsOnlyTheComponentsItRuns() {
    String inventory =
        "defaults: {version: v1, service-manager: sysv, package-manager: yum}\n"
            + "sites:\n  s:\n    cells:\n      c:\n        hosts:\n"
            + "          - {name: top, components: [cells, client]}\n"
            + "          - {name: cellctl, components: [cells, conductor]}\n";
    String plan =
        """
        upshift: 1
        name: t
        inventory: inventory.yaml
        releases: [v1, v2]
        from: v1
        to: v2
        components:
          cells: {packages: [openstack-nova-cells], service: openstack-nova-cells}
          conductor: {packages: [openstack-nova-conductor], service: openstack-nova-conductor}
          client: {packages: [python-novaclient]}
        stages:
          - name: S
            steps:
              - start: [cells, conductor]
              - upgrade: [conductor, client]
        """;
    Plan p = PlanLoader.load(TestPlans.write(dir, plan, inventory));
    assertThat(BuiltIn.render(p, p.steps().get(0), p.inventory().host(0)))
        .hasValue("service 'openstack-nova-cells' start");
    assertThat(BuiltIn.render(p, p.steps().get(0), p.inventory().host(1)))
        .hasValue(
            "service 'openstack-nova-cells' start && service 'openstack-nova-conductor' start");
    assertThat(BuiltIn.render(p, p.steps().get(1), p.inventory().host(0)))
        .hasValue("yum -y -q update 'python-novaclient'");
    assertThat(BuiltIn.render(p, p.steps().get(1), p.inventory().host(1)))
        .hasValue("yum -y -q update 'openstack-nova-conductor'");
  }

  @Test
  void dbSyncRunsTheSyncCommandOfTheComponentUsingTheDatabase() {
    String inventory =
        "defaults: {version: v1}\nsites:\n  s:\n    cells:\n      c:\n        hosts:\n"
            + "          - {name: db1, databases: [nova, glance]}\n";
    String plan =
        """
        upshift: 1
        name: t
        inventory: inventory.yaml
        releases: [v1, v2]
        from: v1
        to: v2
        components:
          nova-api: {database: nova, sync: "nova-manage db sync"}
          glance-api: {database: glance}
        stages:
          - name: S
            steps:
              - db-backup: [nova, glance]
              - db-sync: nova
              - db-sync: [nova, glance]
        """;
    Plan p = PlanLoader.load(TestPlans.write(dir, plan, inventory));
    assertThat(BuiltIn.render(p, p.steps().get(1), p.inventory().host(0)))
        .hasValue("nova-manage db sync");
    assertThat(BuiltIn.render(p, p.steps().get(2), p.inventory().host(0))).isEmpty();
    assertThat(BuiltIn.why(p, p.steps().get(2), p.inventory().host(0)))
        .contains("declares its `sync` command");
  }

  @Test
  void dbBackupAndSqlSnapshotsRenderPerEngineWithThePasswordOnlyInTheClientsVariable() {
    String inventory =
        "defaults: {version: v1}\nsites:\n  s:\n    cells:\n      c:\n        hosts:\n"
            + "          - {name: db1, databases: [nova, glance]}\n";
    String plan =
        """
        upshift: 1
        name: t
        inventory: inventory.yaml
        releases: [v1, v2]
        from: v1
        to: v2
        secrets:
          pw: {env: NOVA_PW}
        databases:
          nova: {engine: postgresql, user: nova, password: "{{secret.pw}}", host: 10.0.0.5, port: 5433}
          glance: {engine: mysql, database: "glance's", backup-dir: /srv/b}
        components:
          nova-api: {database: nova}
          glance-api: {database: glance}
        stages:
          - name: S
            steps:
              - db-backup: nova
              - db-backup: glance
              - snapshot: {name: rows, database: nova, sql: "select id from instances where x = 'y'"}
              - snapshot: {name: g, database: glance, sql: "select 1"}
        """;
    Plan p = PlanLoader.load(TestPlans.write(dir, plan, inventory));
    var host = p.inventory().host(0);
    Map<String, String> values = Map.of("secret.pw", "s3cr'et");
    String report =
        " && mv \"$f.part\" \"$f\" && echo \"upshift-backup $f $(wc -c < \"$f\") $(sha256sum \"$f\" | cut -d' ' -f1)\"";
    assertThat(BuiltIn.backup(p, p.steps().get(0), host, values))
        .hasValue(
            "umask 077 && mkdir -p '/var/backups/upshift' && f='/var/backups/upshift'/'nova'-$(date -u +%Y%m%dT%H%M%SZ).dump"
                + " && PGPASSWORD='s3cr'\\''et' pg_dump --format=custom -h '10.0.0.5' -p 5433 -U 'nova' --file=\"$f.part\" 'nova'"
                + report);
    assertThat(BuiltIn.backup(p, p.steps().get(1), host, values))
        .hasValue(
            "umask 077 && mkdir -p '/srv/b' && f='/srv/b'/'glance'-$(date -u +%Y%m%dT%H%M%SZ).sql"
                + " && mysqldump --single-transaction --routines --triggers 'glance'\\''s' > \"$f.part\""
                + report);
    assertThat(BuiltIn.query(p, p.steps().get(2).snapshot(), host, values))
        .hasValue(
            "PGPASSWORD='s3cr'\\''et' psql -X -q -A -t -v ON_ERROR_STOP=1 -h '10.0.0.5' -p 5433 -U 'nova' -d 'nova'"
                + " -c 'select id from instances where x = '\\''y'\\'''");
    assertThat(BuiltIn.query(p, p.steps().get(3).snapshot(), host, values))
        .hasValue("mysql --batch --skip-column-names 'glance'\\''s' -e 'select 1'");
    assertThat(p.steps().get(2).hosts()).containsExactly(0);
  }

  @Test
  void onWindowsBackupsAndSqlSnapshotsGoThroughPowerShell() {
    String inventory =
        "defaults: {version: v1, os: windows, service-manager: windows, package-manager: msi}\n"
            + "sites:\n  s:\n    cells:\n      c:\n        hosts:\n"
            + "          - {name: db1, databases: [nova, glance]}\n";
    String plan =
        """
        upshift: 1
        name: t
        inventory: inventory.yaml
        releases: [v1, v2]
        from: v1
        to: v2
        secrets:
          pw: {env: NOVA_PW}
        databases:
          nova: {engine: postgresql, user: nova, password: "{{secret.pw}}", host: 10.0.0.5, port: 5433}
          glance: {engine: mysql, database: "glance's", backup-dir: 'D:\\dumps'}
        components:
          nova-api: {database: nova}
          glance-api: {database: glance}
        stages:
          - name: S
            steps:
              - db-backup: nova
              - db-backup: glance
              - snapshot: {name: rows, database: nova, sql: "select id from t where x = 'y'"}
              - snapshot: {name: g, database: glance, sql: "select 1"}
        """;
    Plan p = PlanLoader.load(TestPlans.write(dir, plan, inventory));
    var host = p.inventory().host(0);
    Map<String, String> values = Map.of("secret.pw", "s3cr'et");
    String ps = "powershell -NoProfile -NonInteractive -Command \"";
    String report =
        "; if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }; Move-Item -LiteralPath \\\"$f.part\\\" -Destination $f;"
            + " Write-Output ('upshift-backup ' + $f + ' ' + (Get-Item -LiteralPath $f).Length + ' '"
            + " + (Get-FileHash -Algorithm SHA256 -LiteralPath $f).Hash.ToLower())\"";
    assertThat(BuiltIn.backup(p, p.steps().get(0), host, values))
        .hasValue(
            ps
                + "$ErrorActionPreference = 'Stop'; New-Item -ItemType Directory -Force -Path 'C:\\ProgramData\\upshift\\backups' | Out-Null;"
                + " $f = Join-Path 'C:\\ProgramData\\upshift\\backups' ('nova-' + (Get-Date).ToUniversalTime().ToString('yyyyMMddTHHmmssZ') + '.dump');"
                + " $env:PGPASSWORD = 's3cr''et'; & pg_dump --format=custom -h '10.0.0.5' -p 5433 -U 'nova' \\\"--file=$f.part\\\" 'nova'"
                + report);
    assertThat(BuiltIn.backup(p, p.steps().get(1), host, values))
        .hasValue(
            ps
                + "$ErrorActionPreference = 'Stop'; New-Item -ItemType Directory -Force -Path 'D:\\dumps' | Out-Null;"
                + " $f = Join-Path 'D:\\dumps' ('glance-' + (Get-Date).ToUniversalTime().ToString('yyyyMMddTHHmmssZ') + '.sql');"
                + " & mysqldump --single-transaction --routines --triggers \\\"--result-file=$f.part\\\" 'glance''s'"
                + report);
    assertThat(BuiltIn.query(p, p.steps().get(2).snapshot(), host, values))
        .hasValue(
            ps
                + "$env:PGPASSWORD = 's3cr''et'; & psql -X -q -A -t -v ON_ERROR_STOP=1 -h '10.0.0.5' -p 5433 -U 'nova' -d 'nova'"
                + " -c 'select id from t where x = ''y'''; exit $LASTEXITCODE\"");
    assertThat(BuiltIn.query(p, p.steps().get(3).snapshot(), host, values))
        .hasValue(
            ps
                + "& mysql --batch --skip-column-names 'glance''s' -e 'select 1'; exit $LASTEXITCODE\"");
    assertThat(BuiltIn.renders(p, p.steps().get(0), host)).isTrue();
    assertThat(BuiltIn.renders(p, p.steps().get(2), host)).isTrue();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "linux   | yum | repo: {disable: grizzly, enable: [havana, epel]} | yum-config-manager -q --disable 'grizzly' >/dev/null && yum-config-manager -q --enable 'havana' 'epel' >/dev/null && yum -q clean expire-cache",
        "linux   | dnf | repo: {enable: havana}                          | dnf -q config-manager --set-enabled 'havana' && dnf -q clean expire-cache",
        "linux   | yum | config-management: {pause: \"it's the upgrade\"}     | puppet agent --disable 'it'\\''s the upgrade'",
        "linux   | yum | config-management: pause                          | puppet agent --disable 'paused for an upgrade by Upshift'",
        "linux   | yum | config-management: resume                         | puppet agent --enable",
        "windows | msi | config-management: {pause: \"it's\"}               | powershell -NoProfile -NonInteractive -Command \"puppet agent --disable 'it''s'\"",
      })
  void rendersRepositoriesAndConfigManagement(
      String os, String packageManager, String step, String expected) {
    String inventory =
        "defaults: {version: v1, os: "
            + os
            + ", package-manager: "
            + packageManager
            + "}\nsites:\n  s:\n    cells:\n      c:\n        hosts:\n"
            + "          - {name: h1, components: [api]}\n";
    String plan =
        """
        upshift: 1
        name: t
        inventory: inventory.yaml
        releases: [v1, v2]
        from: v1
        to: v2
        stages:
          - name: S
            steps:
              - %s
                on: all
        """
            .formatted(step);
    Plan p = PlanLoader.load(TestPlans.write(dir, plan, inventory));
    assertThat(BuiltIn.render(p, p.steps().get(0), p.inventory().host(0))).hasValue(expected);
  }

  @Test
  void rebootsAndBootIdsPerOs() {
    Plan linux = plan("linux", "systemd", "yum", "stop");
    Plan windows = plan("windows", "windows", "msi", "stop");
    assertThat(BuiltIn.reboot(linux.inventory().host(0)))
        .isEqualTo("nohup sh -c 'sleep 1; systemctl reboot || shutdown -r now' >/dev/null 2>&1 &");
    assertThat(BuiltIn.bootId(linux.inventory().host(0)))
        .isEqualTo("cat /proc/sys/kernel/random/boot_id");
    assertThat(BuiltIn.reboot(windows.inventory().host(0)))
        .isEqualTo("powershell -NoProfile -NonInteractive -Command \"Restart-Computer -Force\"");
    assertThat(BuiltIn.bootId(windows.inventory().host(0)))
        .isEqualTo(
            "powershell -NoProfile -NonInteractive -Command"
                + " \"(Get-CimInstance Win32_OperatingSystem).LastBootUpTime.ToFileTimeUtc()\"");
  }
}
