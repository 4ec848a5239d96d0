package io.upshift.target;

import io.upshift.inventory.Host;
import io.upshift.plan.Component;
import io.upshift.plan.Plan;
import io.upshift.plan.Step;
import io.upshift.plan.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
      default -> Optional.empty();
    };
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

  /** A command for an HAProxy runtime API. */
  public record ApiCommand(String address, String command) {}

  /**
   * What a built-in {@code drain} or {@code undrain} asks of the load balancers of its components
   * on a host; empty when the step is not one, or a component has no {@code balancer}, or a server
   * name is not one HAProxy allows.
   */
  public static Optional<List<ApiCommand>> balancer(
      Plan plan, Step step, Host host, java.util.Map<String, String> values) {
    if (step.run() != null
        || (step.kind() != io.upshift.plan.StepKind.DRAIN
            && step.kind() != io.upshift.plan.StepKind.UNDRAIN)) {
      return Optional.empty();
    }
    String state = step.kind() == io.upshift.plan.StepKind.DRAIN ? "drain" : "ready";
    List<ApiCommand> out = new ArrayList<>();
    for (String c : step.subjects()) {
      Component component = plan.components().get(c);
      if (component == null || component.balancer() == null) {
        return Optional.empty();
      }
      io.upshift.plan.Balancer b = component.balancer();
      String server = Template.render(b.server(), values, v -> v);
      if (!io.upshift.plan.Balancer.validName(server)) {
        return Optional.empty();
      }
      out.add(
          new ApiCommand(
              b.haproxy(), "set server " + b.backend() + "/" + server + " state " + state));
    }
    return Optional.of(out);
  }

  /** Carries out a drain or undrain: each command in turn; the first refusal fails the step. */
  public static Outcome drain(List<ApiCommand> commands, long timeoutMillis) {
    StringBuilder done = new StringBuilder();
    for (ApiCommand c : commands) {
      Outcome o = Haproxy.send(c.address(), c.command(), timeoutMillis);
      if (!o.ok()) {
        return o;
      }
      done.append(c.command()).append('\n');
    }
    return Outcome.success(0, done.toString());
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
      case DRAIN, UNDRAIN ->
          "a component has no `balancer` (HAProxy runtime API, backend, server), or the server name for host "
              + host.name()
              + " is not one HAProxy allows";
      default -> "`" + step.kind().key() + "` steps are not rendered yet";
    };
  }

  private static Optional<String> service(Plan plan, Step step, Host host, String action) {
    List<String> units = new ArrayList<>();
    for (String c : step.subjects()) {
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
    for (String c : step.subjects()) {
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
