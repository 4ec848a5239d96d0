package io.upshift.inventory;

import io.upshift.source.Durations;
import io.upshift.source.Fields;
import io.upshift.source.Node;
import io.upshift.source.Position;
import io.upshift.source.Problems;
import io.upshift.source.Suggest;
import io.upshift.source.YamlSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Loads an inventory file: {@code sites → cells → hosts}, with defaults at the top, per site and
 * per cell. Every problem is collected with its position; see docs/plan-format.md.
 */
public final class InventoryLoader {
  static final Set<String> OS = Set.of("linux", "windows");
  static final Set<String> SERVICE_MANAGERS = Set.of("systemd", "sysv", "windows");
  static final List<String> STATES = List.of("serving", "drained", "stopped");
  static final Set<String> PACKAGE_MANAGERS = Set.of("yum", "dnf", "apt", "pip", "msi");
  private static final String[] SETTING_KEYS = {
    "os", "service-manager", "package-manager", "version", "port", "user", "jump", "labels"
  };

  private final Problems problems;
  private final List<Host> hosts = new ArrayList<>();
  private final Map<String, Position> seen = new HashMap<>();
  private SshSettings ssh = SshSettings.NONE;

  private InventoryLoader(Problems problems) {
    this.problems = problems;
  }

  /**
   * Loads {@code file}; problems are added to {@code problems}, the result holds what was readable.
   */
  public static Inventory load(Path file, Problems problems) {
    InventoryLoader loader = new InventoryLoader(problems);
    YamlSource.read(file, problems).ifPresent(loader::root);
    return new Inventory(file, loader.hosts, loader.ssh);
  }

  private void root(Node node) {
    Fields.of(node, "the inventory", problems, "upshift-inventory", "ssh", "defaults", "sites")
        .ifPresent(
            f -> {
              f.integer("upshift-inventory", 1, 1);
              f.node("ssh").ifPresent(this::ssh);
              Settings defaults = Settings.DEFAULTS.defaults(f.node("defaults"), problems);
              Optional<Node> sites = f.node("sites");
              if (sites.isEmpty()) {
                problems.error(
                    f.at(),
                    "missing-key",
                    "the inventory needs `sites`",
                    "see docs/plan-format.md#inventory");
              }
              sites
                  .flatMap(n -> Fields.of(n, "`sites`", problems))
                  .ifPresent(
                      s -> {
                        for (Node.Entry site : s.mapping().entries()) {
                          s.accept(site.key().value());
                          site(site.key().value(), site.value(), defaults);
                        }
                      });
              f.finish();
            });
  }

  /** The fleet's SSH settings: timeouts and how much is done at once. */
  private void ssh(Node node) {
    Fields.of(
            node,
            "`ssh`",
            problems,
            "connect-timeout",
            "login-timeout",
            "max-connecting",
            "max-commands",
            "kill-grace")
        .ifPresent(
            f -> {
              ssh =
                  new SshSettings(
                      duration(f, "connect-timeout"),
                      duration(f, "login-timeout"),
                      f.integer("max-connecting", 1, 100_000).orElse(null),
                      f.integer("max-commands", 1, 1_000_000).orElse(null),
                      duration(f, "kill-grace"));
              f.finish();
            });
  }

  private static Long duration(Fields f, String key) {
    return f.parsed(
            key,
            "a duration such as 10s or 1m30s",
            s -> {
              Long ms = Durations.millis(s);
              return ms != null && ms > 0 ? ms : null;
            })
        .orElse(null);
  }

  private void site(String site, Node node, Settings inherited) {
    Fields.of(node, "site `" + site + "`", problems, "defaults", "cells")
        .ifPresent(
            f -> {
              Settings defaults = inherited.defaults(f.node("defaults"), problems);
              f.node("cells")
                  .flatMap(n -> Fields.of(n, "`cells`", problems))
                  .ifPresent(
                      c -> {
                        for (Node.Entry cell : c.mapping().entries()) {
                          c.accept(cell.key().value());
                          cell(site, cell.key().value(), cell.value(), defaults);
                        }
                      });
              f.finish();
            });
  }

  private void cell(String site, String cell, Node node, Settings inherited) {
    Fields.of(node, "cell `" + cell + "`", problems, "defaults", "hosts")
        .ifPresent(
            f -> {
              Settings defaults = inherited.defaults(f.node("defaults"), problems);
              f.node("hosts")
                  .ifPresent(
                      list -> {
                        if (list instanceof Node.Sequence seq) {
                          seq.items().forEach(h -> hostGroup(site, cell, h, defaults));
                        } else {
                          problems.error(
                              list.at(),
                              "wrong-type",
                              "`hosts` must be a list, found " + list.describe(),
                              null);
                        }
                      });
              f.finish();
            });
  }

  private void hostGroup(String site, String cell, Node node, Settings inherited) {
    List<String> keys =
        new ArrayList<>(List.of("name", "roles", "components", "databases", "states", "address"));
    keys.addAll(List.of(SETTING_KEYS));
    Fields.of(node, "a host", problems, keys.toArray(String[]::new))
        .ifPresent(
            f -> {
              Settings s = inherited.with(Optional.of(node), problems);
              Optional<String> pattern = f.requiredString("name");
              List<String> roles = f.scalars("roles").stream().map(Node.Scalar::value).toList();
              Map<String, String> components = versions(f, "components", s.version());
              Map<String, String> databases = versions(f, "databases", s.version());
              Map<String, String> states = states(f, components);
              Optional<String> address = f.string("address");
              f.finish();
              if (pattern.isEmpty()) {
                return;
              }
              List<String> names;
              try {
                names = HostRange.expand(pattern.get());
              } catch (IllegalArgumentException e) {
                problems.error(f.at("name"), "host-range", e.getMessage(), null);
                return;
              }
              if (s.os().equals("windows") != s.serviceManager().equals("windows")) {
                problems.warning(
                    f.at("name"),
                    "os-mismatch",
                    "hosts `"
                        + pattern.get()
                        + "` run "
                        + s.os()
                        + " with service manager "
                        + s.serviceManager(),
                    "Windows hosts use `service-manager: windows`; Linux hosts systemd or sysv");
              }
              Position at = f.at("name");
              for (String name : names) {
                Position previous = seen.putIfAbsent(name, at);
                if (previous != null) {
                  problems.error(
                      f.at("name"),
                      "duplicate-host",
                      "host `" + name + "` is already defined at " + previous,
                      "each host appears once");
                  continue;
                }
                hosts.add(
                    new Host(
                        hosts.size(),
                        name,
                        site,
                        cell,
                        roles,
                        s.os(),
                        s.serviceManager(),
                        s.packageManager(),
                        s.labels(),
                        components,
                        databases,
                        states,
                        address.orElse(name),
                        s.port(),
                        s.user(),
                        s.jump(),
                        at));
              }
            });
  }

  private Map<String, String> states(Fields f, Map<String, String> components) {
    Map<String, String> out = new LinkedHashMap<>();
    f.node("states")
        .flatMap(n -> Fields.of(n, "`states`", problems))
        .ifPresent(
            m -> {
              for (Node.Entry e : m.mapping().entries()) {
                m.accept(e.key().value());
                if (!components.containsKey(e.key().value())) {
                  problems.error(
                      e.key().at(),
                      "unknown-component",
                      "`states` names `" + e.key().value() + "`, which this host does not run",
                      Suggest.hint(e.key().value(), components.keySet()));
                }
                Fields.text(e.value(), "the state of `" + e.key().value() + "`", problems)
                    .ifPresent(
                        v -> {
                          if (!STATES.contains(v)) {
                            problems.error(
                                e.value().at(),
                                "unknown-value",
                                "a state is one of serving, drained, stopped; found `" + v + "`",
                                Suggest.hint(v, STATES));
                          } else {
                            out.put(e.key().value(), v);
                          }
                        });
              }
            });
    return out;
  }

  private Map<String, String> versions(Fields f, String key, String version) {
    Map<String, String> out = new LinkedHashMap<>();
    f.node(key)
        .ifPresent(
            n -> {
              if (n instanceof Node.Mapping m) {
                for (Node.Entry e : m.entries()) {
                  Fields.text(e.value(), "the version of `" + e.key().value() + "`", problems)
                      .ifPresent(v -> out.put(e.key().value(), v));
                }
              } else {
                for (Node.Scalar s : Fields.scalars(n, "`" + key + "`", problems)) {
                  if (version == null) {
                    problems.error(
                        s.at(),
                        "missing-version",
                        "no version for `" + s.value() + "`",
                        "set `version:` in defaults, or write `"
                            + key
                            + ": {"
                            + s.value()
                            + ": VERSION}`");
                  } else {
                    out.put(s.value(), version);
                  }
                }
              }
            });
    return out;
  }

  /** The inheritable host settings, merged top → site → cell → host. */
  private record Settings(
      String os,
      String serviceManager,
      String packageManager,
      String version,
      int port,
      String user,
      String jump,
      Map<String, String> labels) {
    static final Settings DEFAULTS =
        new Settings("linux", "systemd", "yum", null, 22, "root", null, Map.of());

    /** Settings from a `defaults:` mapping, whose keys are checked here. */
    Settings defaults(Optional<Node> node, Problems problems) {
      node.flatMap(n -> Fields.of(n, "`defaults`", problems, SETTING_KEYS))
          .ifPresent(Fields::finish);
      return with(node, problems);
    }

    Settings with(Optional<Node> node, Problems problems) {
      if (node.isEmpty()) {
        return this;
      }
      if (!(node.get() instanceof Node.Mapping m)) {
        return this; // reported by the caller's Fields.of
      }
      return new Settings(
          choice(m, "os", OS, os, problems),
          choice(m, "service-manager", SERVICE_MANAGERS, serviceManager, problems),
          choice(m, "package-manager", PACKAGE_MANAGERS, packageManager, problems),
          m.get("version").flatMap(n -> Fields.text(n, "`version`", problems)).orElse(version),
          m.get("port")
              .flatMap(
                  n ->
                      Fields.parse(
                          n,
                          "`port`",
                          "a port number from 1 to 65535",
                          InventoryLoader::port,
                          problems))
              .orElse(port),
          m.get("user").flatMap(n -> Fields.text(n, "`user`", problems)).orElse(user),
          m.get("jump")
              .flatMap(
                  n ->
                      Fields.parse(
                          n,
                          "`jump`",
                          "a jump host as [USER@]HOST[:PORT], several separated by commas",
                          InventoryLoader::jump,
                          problems))
              .orElse(jump),
          labels(m, problems));
    }

    private Map<String, String> labels(Node.Mapping m, Problems problems) {
      Optional<Node> n = m.get("labels");
      if (n.isEmpty()) {
        return labels;
      }
      Map<String, String> out = new LinkedHashMap<>(labels);
      Fields.of(n.get(), "`labels`", problems)
          .ifPresent(
              f -> {
                for (Node.Entry e : f.mapping().entries()) {
                  if (Inventory.BUILT_IN_KEYS.contains(e.key().value())) {
                    problems.error(
                        e.key().at(),
                        "reserved-label",
                        "`" + e.key().value() + "` is a built-in selector key",
                        "choose another label name");
                  }
                  Fields.text(e.value(), "label `" + e.key().value() + "`", problems)
                      .ifPresent(v -> out.put(e.key().value(), v));
                }
              });
      return Map.copyOf(out);
    }

    private static String choice(
        Node.Mapping m, String key, Set<String> allowed, String fallback, Problems problems) {
      Optional<Node> n = m.get(key);
      if (n.isEmpty()) {
        return fallback;
      }
      Optional<String> v = Fields.text(n.get(), "`" + key + "`", problems);
      if (v.isPresent() && !allowed.contains(v.get())) {
        problems.error(
            n.get().at(),
            "unknown-value",
            "`" + key + "` cannot be `" + v.get() + "`",
            Suggest.hint(v.get(), allowed.stream().sorted().toList()));
        return fallback;
      }
      return v.orElse(fallback);
    }
  }

  /** {@code [USER@]HOST[:PORT]}, several separated by commas (the first is reached first). */
  static String jump(String text) {
    String t = text.trim();
    if (t.equalsIgnoreCase("none")) {
      return "";
    }
    for (String hop : t.split(",")) {
      if (!hop.trim().matches("([A-Za-z0-9._-]+@)?[A-Za-z0-9._:\\[\\]-]+?(:\\d{1,5})?")) {
        return null;
      }
    }
    return t;
  }

  private static Integer port(String s) {
    try {
      int p = Integer.parseInt(s.trim());
      return p >= 1 && p <= 65535 ? p : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
