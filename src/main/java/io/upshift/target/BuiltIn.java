package io.upshift.target;

import io.upshift.engine.Captures;
import io.upshift.engine.Outcome;
import io.upshift.inventory.Host;
import io.upshift.plan.Balancer;
import io.upshift.plan.Component;
import io.upshift.plan.Database;
import io.upshift.plan.Plan;
import io.upshift.plan.Snapshot;
import io.upshift.plan.Step;
import io.upshift.plan.StepKind;
import io.upshift.plan.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The commands of built-in steps, rendered for one host from its operating system, service manager
 * and package manager, and from the components' packages and service units: what a step without
 * {@code run:} does on a real host. Every name is quoted for the host's shell (POSIX single quotes,
 * or PowerShell's on Windows). Kinds not rendered yet need a {@code run:}.
 */
public final class BuiltIn {
  private BuiltIn() {}

  /**
   * The command, or empty when this kind is not rendered for this host (say why with {@link #why}).
   */
  public static Optional<String> render(Plan plan, Step step, Host host) {
    return switch (step.kind()) {
      case STOP -> service(plan, step, host, "stop");
      case START -> service(plan, step, host, "start");
      case RESTART -> service(plan, step, host, "restart");
      case UPGRADE -> upgrade(plan, step, host);
      case DB_SYNC -> sync(plan, step);
      case REPO -> repositories(step, host);
      case CONFIG_MANAGEMENT -> configManagement(step, host);
      default -> Optional.empty();
    };
  }

  /**
   * Switches repositories with yum-config-manager (yum-utils) or dnf config-manager: the ones to
   * disable first, then the ones to enable, then the metadata cache expired so the next upgrade
   * sees the new repositories.
   */
  private static Optional<String> repositories(Step step, Host host) {
    List<String> disable = new ArrayList<>();
    List<String> enable = new ArrayList<>();
    for (String s : step.subjects()) {
      (s.startsWith("disable:") ? disable : enable).add(s.substring(s.indexOf(':') + 1));
    }
    List<String> commands = new ArrayList<>();
    switch (host.packageManager()) {
      case "yum" -> {
        if (!disable.isEmpty()) {
          commands.add("yum-config-manager -q --disable " + quoted(disable) + " >/dev/null");
        }
        if (!enable.isEmpty()) {
          commands.add("yum-config-manager -q --enable " + quoted(enable) + " >/dev/null");
        }
        commands.add("yum -q clean expire-cache");
      }
      case "dnf" -> {
        if (!disable.isEmpty()) {
          commands.add("dnf -q config-manager --set-disabled " + quoted(disable));
        }
        if (!enable.isEmpty()) {
          commands.add("dnf -q config-manager --set-enabled " + quoted(enable));
        }
        commands.add("dnf -q clean expire-cache");
      }
      default -> {
        return Optional.empty();
      }
    }
    return Optional.of(String.join(" && ", commands));
  }

  /** Puppet's agent disabled with a reason (so nothing reverts the upgrade), or enabled again. */
  private static Optional<String> configManagement(Step step, Host host) {
    boolean pause = step.subjects().equals(List.of("pause"));
    boolean windows = "windows".equals(host.os());
    String command =
        pause
            ? "puppet agent --disable "
                + (windows ? psQuote(step.prompt()) : Template.shellQuote(step.prompt()))
            : "puppet agent --enable";
    return Optional.of(windows ? powershell(command) : command);
  }

  /** The `sync` command of the component that uses each database, as the plan gives it. */
  private static Optional<String> sync(Plan plan, Step step) {
    List<String> commands = new ArrayList<>();
    for (String db : step.subjects()) {
      Optional<String> command =
          plan.components().values().stream()
              .filter(c -> db.equals(c.database()) && c.sync() != null)
              .map(Component::sync)
              .findFirst();
      if (command.isEmpty()) {
        return Optional.empty();
      }
      commands.add(command.get());
    }
    return Optional.of(String.join(" && ", commands));
  }

  /**
   * How a host is rebooted without a {@code run:}, so that the command returns before the
   * connection drops: on Linux detached, a second later, with systemd or else shutdown; on Windows
   * with Restart-Computer, which returns once the restart is under way.
   */
  public static String reboot(Host host) {
    return "windows".equals(host.os())
        ? powershell("Restart-Computer -Force")
        : "nohup sh -c 'sleep 1; systemctl reboot || shutdown -r now' >/dev/null 2>&1 &";
  }

  /**
   * What tells one boot of a host from the next: the kernel's boot id on Linux, the time of the
   * last boot on Windows.
   */
  public static String bootId(Host host) {
    return "windows".equals(host.os())
        ? powershell("(Get-CimInstance Win32_OperatingSystem).LastBootUpTime.ToFileTimeUtc()")
        : "cat /proc/sys/kernel/random/boot_id";
  }

  /** The line a built-in backup prints last, read by {@link Captures}. */
  private static final String BACKUP_LINE = Captures.BACKUP_LINE;

  /**
   * A built-in {@code db-backup}: each database dumped on the host into its {@code backup-dir}
   * (pg_dump's custom format, or mysqldump --single-transaction), written aside and renamed when
   * complete, then one {@link #BACKUP_LINE} per dump with its size and sha256. On Windows the same
   * through PowerShell. Empty when a database has no {@code databases:} entry.
   */
  public static Optional<String> backup(
      Plan plan, Step step, Host host, Map<String, String> values) {
    if ("windows".equals(host.os())) {
      return windowsBackup(plan, step, values);
    }
    List<String> commands = new ArrayList<>();
    for (String name : step.subjects()) {
      Database db = plan.databases().get(name);
      if (db == null) {
        return Optional.empty();
      }
      String dir = Template.shellQuote(db.backupDir());
      String file = dir + "/" + Template.shellQuote(name) + "-$(date -u +%Y%m%dT%H%M%SZ)";
      String dump =
          "postgresql".equals(db.engine())
              ? password(db, "PGPASSWORD", values)
                  + "pg_dump --format=custom"
                  + connection(db, "-p")
                  + " --file=\"$f.part\" "
                  + Template.shellQuote(db.database())
              : password(db, "MYSQL_PWD", values)
                  + "mysqldump --single-transaction --routines --triggers"
                  + connection(db, "-P")
                  + " "
                  + Template.shellQuote(db.database())
                  + " > \"$f.part\"";
      commands.add(
          "umask 077 && mkdir -p "
              + dir
              + " && f="
              + file
              + ("postgresql".equals(db.engine()) ? ".dump" : ".sql")
              + " && "
              + dump
              + " && mv \"$f.part\" \"$f\" && echo \""
              + BACKUP_LINE
              + "$f $(wc -c < \"$f\") $(sha256sum \"$f\" | cut -d' ' -f1)\"");
    }
    return Optional.of(String.join(" && ", commands));
  }

  /** Where dumps go on Windows when the plan keeps the default folder, which is a Linux path. */
  public static final String WINDOWS_BACKUP_DIR = "C:\\ProgramData\\upshift\\backups";

  /**
   * {@link #backup} for a Windows host: PowerShell, stopping at the first error; the client's exit
   * status is checked, the dump written aside and renamed, its size and sha256 reported. mysqldump
   * writes its file itself ({@code --result-file}): PowerShell's redirection would re-encode it.
   */
  private static Optional<String> windowsBackup(Plan plan, Step step, Map<String, String> values) {
    List<String> commands = new ArrayList<>();
    for (String name : step.subjects()) {
      Database db = plan.databases().get(name);
      if (db == null) {
        return Optional.empty();
      }
      boolean postgresql = "postgresql".equals(db.engine());
      String dir =
          psQuote(
              Database.DEFAULT_BACKUP_DIR.equals(db.backupDir())
                  ? WINDOWS_BACKUP_DIR
                  : db.backupDir());
      String client =
          postgresql
              ? "& pg_dump --format=custom"
                  + psConnection(db, "-p")
                  + " \"--file=$f.part\" "
                  + psQuote(db.database())
              : "& mysqldump --single-transaction --routines --triggers"
                  + psConnection(db, "-P")
                  + " \"--result-file=$f.part\" "
                  + psQuote(db.database());
      commands.add(
          "New-Item -ItemType Directory -Force -Path "
              + dir
              + " | Out-Null; $f = Join-Path "
              + dir
              + " ("
              + psQuote(name + "-")
              + " + (Get-Date).ToUniversalTime().ToString('yyyyMMddTHHmmssZ') + "
              + psQuote(postgresql ? ".dump" : ".sql")
              + "); "
              + psPassword(db, postgresql ? "PGPASSWORD" : "MYSQL_PWD", values)
              + client
              + "; if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }"
              + "; Move-Item -LiteralPath \"$f.part\" -Destination $f"
              + "; Write-Output ("
              + psQuote(BACKUP_LINE)
              + " + $f + ' ' + (Get-Item -LiteralPath $f).Length + ' '"
              + " + (Get-FileHash -Algorithm SHA256 -LiteralPath $f).Hash.ToLower())");
    }
    return Optional.of(
        powershell("$ErrorActionPreference = 'Stop'; " + String.join("; ", commands)));
  }

  /**
   * The rows of an SQL snapshot on a host holding its database: psql or mysql in batch mode, one
   * row per line, columns separated by {@code |} (psql) or a tab (mysql), no headers. On Windows,
   * the same clients through PowerShell.
   */
  public static Optional<String> query(
      Plan plan, Snapshot snapshot, Host host, Map<String, String> values) {
    Database db = plan.databases().get(snapshot.database());
    if (db == null) {
      return Optional.empty();
    }
    if ("windows".equals(host.os())) {
      String sql = psQuote(Template.render(snapshot.sql(), values, v -> v));
      boolean postgresql = "postgresql".equals(db.engine());
      String client =
          postgresql
              ? "& psql -X -q -A -t -v ON_ERROR_STOP=1"
                  + psConnection(db, "-p")
                  + " -d "
                  + psQuote(db.database())
                  + " -c "
                  + sql
              : "& mysql --batch --skip-column-names"
                  + psConnection(db, "-P")
                  + " "
                  + psQuote(db.database())
                  + " -e "
                  + sql;
      return Optional.of(
          powershell(
              psPassword(db, postgresql ? "PGPASSWORD" : "MYSQL_PWD", values)
                  + client
                  + "; exit $LASTEXITCODE"));
    }
    String sql = Template.shellQuote(Template.render(snapshot.sql(), values, v -> v));
    if ("postgresql".equals(db.engine())) {
      return Optional.of(
          password(db, "PGPASSWORD", values)
              + "psql -X -q -A -t -v ON_ERROR_STOP=1"
              + connection(db, "-p")
              + " -d "
              + Template.shellQuote(db.database())
              + " -c "
              + sql);
    }
    return Optional.of(
        password(db, "MYSQL_PWD", values)
            + "mysql --batch --skip-column-names"
            + connection(db, "-P")
            + " "
            + Template.shellQuote(db.database())
            + " -e "
            + sql);
  }

  /** {@code NAME='secret' } for the client, or nothing when the database has no password. */
  private static String password(Database db, String variable, Map<String, String> values) {
    String value = passwordValue(db, values, Template::shellQuote);
    return value == null ? "" : variable + "=" + value + " ";
  }

  /**
   * {@code $env:NAME = 'secret'; } for the client, or nothing: set in the PowerShell process only,
   * which the client inherits.
   */
  private static String psPassword(Database db, String variable, Map<String, String> values) {
    String value = passwordValue(db, values, BuiltIn::psQuote);
    return value == null ? "" : "$env:" + variable + " = " + value + "; ";
  }

  /** The database's password quoted (its secret filled in), or null when it has none. */
  private static String passwordValue(
      Database db, Map<String, String> values, UnaryOperator<String> quote) {
    if (db.password() == null) {
      return null;
    }
    return Template.names(db.password()).isEmpty()
        ? quote.apply(db.password())
        : Template.render(db.password(), values, quote);
  }

  /**
   * Host, port and user options, each shell-quoted, for the set ones ({@code -p}: PostgreSQL's).
   */
  private static String connection(Database db, String portFlag) {
    return connection(db, portFlag, Template::shellQuote);
  }

  /** {@link #connection} with PowerShell's quoting. */
  private static String psConnection(Database db, String portFlag) {
    return connection(db, portFlag, BuiltIn::psQuote);
  }

  private static String connection(Database db, String portFlag, UnaryOperator<String> quote) {
    StringBuilder b = new StringBuilder();
    if (db.host() != null) {
      b.append(" -h ").append(quote.apply(db.host()));
    }
    if (db.port() > 0) {
      b.append(' ').append(portFlag).append(' ').append(db.port());
    }
    if (db.user() != null) {
      b.append("-p".equals(portFlag) ? " -U " : " -u ").append(quote.apply(db.user()));
    }
    return b.toString();
  }

  /**
   * Whether a real target can carry out a step on a host without a {@code run:}: a step with a
   * command of its own, a rendered built-in, a backup or SQL snapshot of a described database, or a
   * drain through a load balancer.
   */
  public static boolean renders(Plan plan, Step step, Host host) {
    if (step.snapshot() != null) {
      return step.snapshot().sql() == null
          || plan.databases().containsKey(step.snapshot().database());
    }
    if (step.run() != null
        || step.kind() == StepKind.COMMAND
        || step.kind() == StepKind.CHECK
        || step.kind() == StepKind.APPROVE) {
      return true;
    }
    if (step.kind() == StepKind.DB_BACKUP) {
      return plan.databases().keySet().containsAll(step.subjects());
    }
    return render(plan, step, host).isPresent()
        || balancer(plan, step, host, Template.values(plan, step, host)).isPresent();
  }

  /**
   * A command for an HAProxy runtime API: set {@code backend/server} to {@code state} (drain or
   * ready).
   */
  public record ApiCommand(String address, String backend, String server, String state) {
    public String command() {
      return "set server " + backend + "/" + server + " state " + state;
    }
  }

  /** How long a drain waits for sessions to end, or an undrain for the server to be UP, at most. */
  static final long SETTLE_MILLIS = 120_000;

  /**
   * What a built-in {@code drain} or {@code undrain} asks of the load balancers of its components
   * on a host; empty when the step is not one, or a component has no {@code balancer}, or a server
   * name is not one HAProxy allows.
   */
  public static Optional<List<ApiCommand>> balancer(
      Plan plan, Step step, Host host, Map<String, String> values) {
    if (step.run() != null || (step.kind() != StepKind.DRAIN && step.kind() != StepKind.UNDRAIN)) {
      return Optional.empty();
    }
    String state = step.kind() == StepKind.DRAIN ? "drain" : "ready";
    List<ApiCommand> out = new ArrayList<>();
    for (String c : step.subjects()) {
      Component component = plan.components().get(c);
      if (component == null || component.balancer() == null) {
        return Optional.empty();
      }
      Balancer b = component.balancer();
      String server = Template.render(b.server(), values, v -> v);
      if (!Balancer.validName(server)) {
        return Optional.empty();
      }
      out.add(new ApiCommand(b.haproxy(), b.backend(), server, state));
    }
    return Optional.of(out);
  }

  /**
   * Carries out a drain or undrain: each command in turn, then waits until it took effect: a
   * drained server has no session left and nothing queued (requests in flight have finished), an
   * undrained one is UP (its health check passes; a server without a check counts as up). The first
   * refusal, or a wait past the step's timeout (at most two minutes), fails the step.
   */
  public static Outcome drain(List<ApiCommand> commands, long timeoutMillis) {
    StringBuilder done = new StringBuilder();
    long deadline = System.nanoTime() + Math.min(timeoutMillis, SETTLE_MILLIS) * 1_000_000L;
    for (ApiCommand c : commands) {
      Outcome o = Haproxy.send(c.address(), c.command(), timeoutMillis);
      if (!o.ok()) {
        return o;
      }
      done.append(c.command()).append('\n');
    }
    for (ApiCommand c : commands) {
      String waited = settle(c, deadline);
      if (waited.startsWith("!")) {
        return Outcome.failure(1, done.toString(), waited.substring(1));
      }
      done.append(waited).append('\n');
    }
    return Outcome.success(0, done.toString());
  }

  /** Waits for a drain or undrain to take effect; what it saw, or "!" and why it gave up. */
  private static String settle(ApiCommand c, long deadline) {
    boolean drain = c.state().equals("drain");
    String last = "no answer";
    while (true) {
      Outcome o = Haproxy.query(c.address(), "show stat " + c.backend() + " 4 -1", 5_000);
      Map<String, String> stat = o.ok() ? Haproxy.serverStat(o.output(), c.server()) : null;
      if (stat == null && o.ok()) {
        // HAProxy took the state change, but cannot say when it took effect
        return "!HAProxy's statistics for `"
            + c.backend()
            + "` list no server `"
            + c.server()
            + "`, so the "
            + (drain ? "drain" : "undrain")
            + " cannot be waited on: is a frontend also named `"
            + c.backend()
            + "`? `show stat NAME` answers for the first proxy of that name; rename the frontend";
      }
      if (stat != null) {
        String status = stat.getOrDefault("status", "");
        if (drain) {
          String sessions = stat.getOrDefault("scur", "0");
          String queued = stat.getOrDefault("qcur", "0");
          if (("0".equals(sessions) || sessions.isEmpty())
              && ("0".equals(queued) || queued.isEmpty())) {
            return c.backend() + "/" + c.server() + ": no session left (" + status + ")";
          }
          last = sessions + " session(s) still open";
        } else {
          if (status.startsWith("UP") || status.equals("no check")) {
            return c.backend() + "/" + c.server() + ": " + status;
          }
          last =
              "status " + status + (status.startsWith("DOWN") ? " (its health check fails)" : "");
        }
      } else {
        last = o.reason();
      }
      if (System.nanoTime() > deadline) {
        return "!"
            + c.backend()
            + "/"
            + c.server()
            + (drain ? " did not drain in time: " : " did not come back UP in time: ")
            + last;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "!interrupted while waiting on " + c.backend() + "/" + c.server();
      }
    }
  }

  /** Why a step is not rendered for a host, for the target's check before a run. */
  public static String why(Plan plan, Step step, Host host) {
    return switch (step.kind()) {
      case STOP, START, RESTART ->
          "service manager `"
              + host.serviceManager()
              + "` of host "
              + host.name()
              + " is not one of systemd, sysv, windows, or a component has no `service`";
      case UPGRADE ->
          "package manager `"
              + host.packageManager()
              + "` of host "
              + host.name()
              + " is not one of yum, dnf, apt, pip, or a component has no `packages`";
      case DB_SYNC ->
          "no component using the database declares its `sync` command (e.g. `sync: nova-manage db sync`)";
      case REPO ->
          "package manager `"
              + host.packageManager()
              + "` of host "
              + host.name()
              + " is not one of yum, dnf (repositories are switched with their config-manager)";
      case DB_BACKUP -> "a database has no entry under `databases:` (engine, user, password...)";
      case SNAPSHOT, COMPARE -> "the snapshot's database has no entry under `databases:`";
      case DRAIN, UNDRAIN ->
          "a component has no `balancer` (HAProxy runtime API, backend, server), or the server name for host "
              + host.name()
              + " is not one HAProxy allows";
      default -> "`" + step.kind().key() + "` steps are not rendered yet";
    };
  }

  /**
   * The step's components that this host runs, in the step's order: a step over several components
   * (start nova-cells, nova-conductor, nova-scheduler) selects every host running one of them, and
   * each host gets only its own. A host the inventory lists no component of (an {@code on:} that
   * picks it explicitly) gets them all, as written.
   */
  static List<String> subjectsOn(Step step, Host host) {
    List<String> mine = step.subjects().stream().filter(host.components()::containsKey).toList();
    return mine.isEmpty() ? step.subjects() : mine;
  }

  private static Optional<String> service(Plan plan, Step step, Host host, String action) {
    List<String> units = new ArrayList<>();
    for (String c : subjectsOn(step, host)) {
      Component component = plan.components().get(c);
      if (component == null || component.service() == null) {
        return Optional.empty();
      }
      units.add(component.service());
    }
    return switch (host.serviceManager()) {
      case "systemd" -> Optional.of("systemctl " + action + " " + quoted(units));
      case "sysv" ->
          Optional.of(
              String.join(
                  " && ",
                  units.stream()
                      .map(u -> "service " + Template.shellQuote(u) + " " + action)
                      .toList()));
      case "windows" -> {
        String verb =
            switch (action) {
              case "stop" -> "Stop-Service";
              case "start" -> "Start-Service";
              default -> "Restart-Service";
            };
        String names = String.join(",", units.stream().map(BuiltIn::psQuote).toList());
        yield Optional.of(powershell(verb + " -Name " + names + " -ErrorAction Stop"));
      }
      default -> Optional.empty();
    };
  }

  private static Optional<String> upgrade(Plan plan, Step step, Host host) {
    List<String> packages = new ArrayList<>();
    for (String c : subjectsOn(step, host)) {
      Component component = plan.components().get(c);
      if (component == null || component.packages().isEmpty()) {
        return Optional.empty();
      }
      component.packages().stream().filter(p -> !packages.contains(p)).forEach(packages::add);
    }
    String list = quoted(packages);
    return switch (host.packageManager()) {
      case "yum" -> Optional.of("yum -y -q update " + list);
      case "dnf" -> Optional.of("dnf -y -q upgrade " + list);
      case "apt" ->
          Optional.of(
              "DEBIAN_FRONTEND=noninteractive apt-get install -y -q --only-upgrade " + list);
      case "pip" -> Optional.of("pip install --upgrade --quiet " + list);
      default -> Optional.empty();
    };
  }

  private static String quoted(List<String> words) {
    return String.join(" ", words.stream().map(Template::shellQuote).toList());
  }

  /** A PowerShell string literal: single quotes, with single quotes doubled. */
  public static String psQuote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /** A PowerShell command line, as OpenSSH for Windows runs it. */
  private static String powershell(String script) {
    return "powershell -NoProfile -NonInteractive -Command \""
        + script.replace("\"", "\\\"")
        + "\"";
  }
}
