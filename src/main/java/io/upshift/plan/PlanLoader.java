package io.upshift.plan;

import io.upshift.inventory.Host;
import io.upshift.inventory.Inventory;
import io.upshift.inventory.InventoryLoader;
import io.upshift.inventory.Selector;
import io.upshift.source.Fields;
import io.upshift.source.InvalidInputException;
import io.upshift.source.Node;
import io.upshift.source.Position;
import io.upshift.source.Problems;
import io.upshift.source.Suggest;
import io.upshift.source.YamlSource;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Loads a plan and its inventory, checks them against each other, and reports every problem at once
 * with its position. The format is described in docs/plan-format.md and docs/plan.schema.json.
 */
public final class PlanLoader {
  static final String[] ROOT_KEYS = {
    "upshift",
    "name",
    "description",
    "inventory",
    "releases",
    "from",
    "to",
    "components",
    "capabilities",
    "compatibility",
    "secrets",
    "databases",
    "stages",
    "rehearsal"
  };

  private final Path file;
  private final Problems problems;
  private Inventory inventory;
  private final List<String> releases = new ArrayList<>();
  private final Map<String, Component> components = new LinkedHashMap<>();
  private final Set<String> knownComponents = new LinkedHashSet<>();
  private final Set<String> knownDatabases = new LinkedHashSet<>();

  private PlanLoader(Path file, Problems problems) {
    this.file = file;
    this.problems = problems;
  }

  /**
   * Loads the plan at {@code path} (a plan file, or a folder holding {@code plan.yaml}).
   *
   * @throws InvalidInputException with every problem found, when there is any error
   */
  public static Plan load(Path path) {
    Problems problems = new Problems();
    Plan plan = load(path, problems);
    problems.throwIfErrors();
    return plan;
  }

  /** Loads what can be loaded, adding problems (and warnings) to {@code problems}. */
  public static Plan load(Path path, Problems problems) {
    if (!Files.exists(path)) {
      problems.error(
          Position.none(path),
          "file-not-found",
          "no such file or folder",
          "PLAN is a plan file or a folder holding plan.yaml");
      return null;
    }
    Path file = planFile(path);
    return YamlSource.read(file, problems)
        .map(root -> new PlanLoader(file, problems).plan(root))
        .orElse(null);
  }

  /**
   * The plan file a path names: the path itself, or {@code plan.yaml} in it when it is a folder.
   */
  public static Path planFile(Path path) {
    return Files.isDirectory(path) ? path.resolve("plan.yaml") : path;
  }

  private Plan plan(Node root) {
    Optional<Fields> opened = Fields.of(root, "the plan", problems, ROOT_KEYS);
    if (opened.isEmpty()) {
      return null;
    }
    Fields f = opened.get();
    if (!f.has("upshift")) {
      problems.error(
          f.at(),
          "missing-key",
          "the plan needs `upshift: 1` (the format version)",
          "add `upshift: 1` at the top");
    }
    f.integer("upshift", 1, 1);
    String name = f.requiredString("name").orElse(file.getFileName().toString());
    f.string("description");
    inventory =
        f.requiredString("inventory")
            .map(p -> inventory(p, f.at("inventory")))
            .orElseGet(() -> Inventory.unknown(null));
    int[] runs = inventory.runs(); // hosts alike run the same components and databases
    for (int r = 0; r + 1 < runs.length; r++) {
      Host h = inventory.host(runs[r]);
      knownComponents.addAll(h.components().keySet());
      knownDatabases.addAll(h.databases().keySet());
    }
    readReleases(f);
    warnUnknownVersions();
    String from = release(f, "from");
    String to = release(f, "to");
    if (from != null && to != null && releases.indexOf(from) > releases.indexOf(to)) {
      problems.error(
          f.at("to"),
          "release-order",
          "`to: " + to + "` comes before `from: " + from + "` in `releases`",
          "list releases oldest first");
    }
    f.node("components")
        .flatMap(n -> Fields.of(n, "`components`", problems))
        .ifPresent(this::readComponents);
    Map<String, Capability> capabilities = new LinkedHashMap<>();
    f.node("capabilities")
        .flatMap(n -> Fields.of(n, "`capabilities`", problems))
        .ifPresent(c -> readCapabilities(c, capabilities));
    Map<String, Secret> secrets = new LinkedHashMap<>();
    f.node("secrets")
        .flatMap(n -> Fields.of(n, "`secrets`", problems))
        .ifPresent(m -> readSecrets(m, secrets));
    Map<String, Database> databases = new LinkedHashMap<>();
    f.node("databases")
        .flatMap(n -> Fields.of(n, "`databases`", problems))
        .ifPresent(m -> readDatabases(m, secrets.keySet(), databases));
    List<CompatRule> rules =
        f.node("compatibility")
            .map(
                n ->
                    new RuleReader(
                            problems, releases, inventory.known() ? knownComponents : Set.of())
                        .read(n))
            .orElse(List.of());
    StepReader steps =
        new StepReader(
            problems, inventory, knownComponents, knownDatabases, releases, to, secrets.keySet());
    List<Stage> stages =
        f.node("stages")
            .map(steps::stages)
            .orElseGet(
                () -> {
                  problems.error(
                      f.at(),
                      "missing-key",
                      "the plan needs `stages`",
                      "see docs/plan-format.md#stages");
                  return List.of();
                });
    List<Fault> faults = new ArrayList<>();
    long[] seed = {1};
    LearnedDurations[] learned = {LearnedDurations.NONE};
    f.node("rehearsal")
        .flatMap(n -> Fields.of(n, "`rehearsal`", problems, "seed", "faults", "durations"))
        .ifPresent(
            r -> {
              r.parsed(
                      "seed",
                      "a whole number",
                      s -> {
                        try {
                          return Long.parseLong(s.trim());
                        } catch (NumberFormatException e) {
                          return null;
                        }
                      })
                  .ifPresent(s -> seed[0] = s);
              r.node("faults").ifPresent(n -> faults.addAll(readFaults(n)));
              r.string("durations")
                  .ifPresent(
                      d -> {
                        Path learnedFile;
                        try {
                          learnedFile = file.resolveSibling(d).normalize();
                        } catch (InvalidPathException e) {
                          problems.error(
                              r.at("durations"),
                              "invalid-value",
                              "`durations` is not a usable file name: " + e.getReason(),
                              "give the path of the file `upshift learn -o` wrote");
                          return;
                        }
                        if (!Files.isRegularFile(learnedFile)) {
                          problems.error(
                              r.at("durations"),
                              "file-missing",
                              "the learned durations file " + learnedFile + " does not exist",
                              "write it with `upshift learn RUN -o " + d + "`");
                        } else {
                          learned[0] = LearnedDurations.read(learnedFile, stages, problems);
                        }
                      });
              r.finish();
            });
    f.finish();
    return new Plan(
        file,
        name,
        inventory,
        List.copyOf(releases),
        from,
        to,
        Map.copyOf(components),
        capabilities,
        secrets,
        databases,
        rules,
        stages,
        faults,
        seed[0],
        learned[0]);
  }

  /** {@code NAME: {env: VAR}} or {@code NAME: {file: PATH}} (relative to the plan). */
  private void readSecrets(Fields map, Map<String, Secret> out) {
    for (Node.Entry e : map.mapping().entries()) {
      String name = e.key().value();
      Fields.of(e.value(), "secret `" + name + "`", problems, "env", "file")
          .ifPresent(
              f -> {
                Optional<String> env = f.string("env");
                Optional<String> path = f.string("file");
                f.finish();
                if (env.isPresent() == path.isPresent()) {
                  problems.error(
                      f.at(),
                      "secret-source",
                      "secret `" + name + "` needs one of `env` or `file`",
                      "e.g. `"
                          + name
                          + ": {env: DB_PASSWORD}`; a secret's value never goes in the plan");
                  return;
                }
                out.put(
                    name,
                    new Secret(
                        name,
                        env.orElse(null),
                        path.map(p -> file.toAbsolutePath().getParent().resolve(p).normalize())
                            .orElse(null),
                        e.key().at()));
              });
    }
  }

  /**
   * {@code NAME: {engine: postgresql|mysql, database, user, password, host, port, backup-dir}}: how
   * the built-in {@code db-backup} and SQL snapshots reach a database from the hosts holding it.
   */
  private void readDatabases(Fields map, Set<String> secrets, Map<String, Database> out) {
    for (Node.Entry e : map.mapping().entries()) {
      String name = e.key().value();
      map.accept(name);
      Fields.of(
              e.value(),
              "database `" + name + "`",
              problems,
              "engine",
              "database",
              "user",
              "password",
              "host",
              "port",
              "backup-dir")
          .ifPresent(
              f -> {
                String engine = f.requiredString("engine").orElse(null);
                if (engine != null && !Database.ENGINES.contains(engine)) {
                  problems.error(
                      f.at("engine"),
                      "bad-value",
                      "database engine `" + engine + "` is not one of postgresql, mysql",
                      Suggest.hint(engine, Database.ENGINES));
                }
                String password = f.string("password").orElse(null);
                if (password != null) {
                  for (String placeholder : Template.names(password)) {
                    String secret =
                        placeholder.startsWith("secret.") ? placeholder.substring(7) : null;
                    if (secret == null || !secrets.contains(secret)) {
                      problems.error(
                          f.at("password"),
                          "unknown-placeholder",
                          "a database password may only use secrets, found `{{"
                              + placeholder
                              + "}}`",
                          "declare it under `secrets:` and write `{{secret.NAME}}`");
                    }
                  }
                  if (Template.names(password).isEmpty()) {
                    problems.warning(
                        f.at("password"),
                        "plain-password",
                        "database `" + name + "` has its password in the plan",
                        "keep it out: `secrets: {db: {env: DB_PASSWORD}}` and `password: \"{{secret.db}}\"`");
                  }
                }
                int port = f.integer("port", 1, 65535).orElse(0);
                Database d =
                    new Database(
                        name,
                        engine,
                        f.string("database").orElse(name),
                        f.string("user").orElse(null),
                        password,
                        f.string("host").orElse(null),
                        port,
                        f.string("backup-dir").orElse(Database.DEFAULT_BACKUP_DIR),
                        e.key().at());
                f.finish();
                if (engine != null && Database.ENGINES.contains(engine)) {
                  out.put(name, d);
                }
              });
    }
  }

  private Inventory inventory(String path, Position at) {
    Path resolved;
    try {
      resolved = file.toAbsolutePath().getParent().resolve(path).normalize();
    } catch (InvalidPathException e) {
      problems.error(
          at,
          "file-not-found",
          "`inventory: " + path.replace("\0", "\\0") + "` is not a valid path",
          null);
      return Inventory.unknown(null);
    }
    // A file that cannot be read is one error here, at `inventory:`; a file read with problems has
    // them at their places in it. Either way the plan is not checked against what was read of it.
    if (!Files.exists(resolved)) {
      problems.error(
          at,
          "file-not-found",
          "the inventory " + resolved + " does not exist",
          "`inventory:` is a path relative to the plan's folder");
      return Inventory.unknown(resolved);
    }
    if (Files.isDirectory(resolved)) {
      problems.error(
          at,
          "file-unreadable",
          "`inventory: " + path + "` names a folder, not a file",
          Files.isRegularFile(resolved.resolve("inventory.yaml"))
              ? "did you mean `inventory: " + path.replaceAll("/+$", "") + "/inventory.yaml`?"
              : "name the inventory's YAML file, relative to the plan's folder");
      return Inventory.unknown(resolved);
    }
    if (!Files.isRegularFile(resolved) || !Files.isReadable(resolved)) {
      problems.error(
          at,
          "file-unreadable",
          "the inventory "
              + resolved
              + (Files.isRegularFile(resolved) ? " cannot be read" : " is not a regular file"),
          "check the file and its permissions");
      return Inventory.unknown(resolved);
    }
    if (resolved.equals(file.toAbsolutePath().normalize())) {
      problems.error(
          at,
          "file-unreadable",
          "the inventory is the plan file itself",
          "name the inventory file");
      return Inventory.unknown(resolved);
    }
    int errorsBefore = problems.errorCount();
    Inventory loaded = InventoryLoader.load(resolved, problems);
    if (problems.errorCount() > errorsBefore) {
      return Inventory.unknown(resolved);
    }
    if (loaded.size() == 0 && !problems.hasErrors()) {
      problems.error(
          at,
          "empty-inventory",
          "the inventory " + resolved.getFileName() + " has no hosts",
          "list hosts under sites → cells → hosts");
    }
    return loaded;
  }

  private void readReleases(Fields f) {
    if (!f.has("releases")) {
      problems.error(
          f.at(),
          "missing-key",
          "the plan needs `releases`, oldest first",
          "e.g. `releases: [grizzly, havana]`");
      return;
    }
    List<Node.Scalar> listed = f.scalars("releases");
    if (listed.isEmpty()) {
      problems.error(
          f.at("releases"),
          "missing-key",
          "`releases` lists no release",
          "e.g. `releases: [grizzly, havana]`");
    }
    for (Node.Scalar s : listed) {
      if (releases.contains(s.value())) {
        problems.error(
            s.at(), "duplicate-release", "release `" + s.value() + "` is listed twice", null);
      } else {
        releases.add(s.value());
      }
    }
  }

  /** Inventory versions outside the plan's releases cannot be ordered by compatibility rules. */
  private void warnUnknownVersions() {
    if (releases.isEmpty()) {
      return;
    }
    Set<String> reported = new HashSet<>();
    int[] runs = inventory.runs(); // hosts alike run the same versions: one of each run is enough
    for (int r = 0; r + 1 < runs.length; r++) {
      Host h = inventory.host(runs[r]);
      h.components()
          .forEach(
              (c, v) -> {
                if (!releases.contains(v) && reported.add(c + "@" + v)) {
                  problems.warning(
                      h.at(),
                      "unknown-version",
                      "`"
                          + c
                          + "` on "
                          + h.name()
                          + " is at `"
                          + v
                          + "`, which is not in the plan's `releases`",
                      "list it in `releases` so compatibility rules can order it");
                }
              });
    }
  }

  private String release(Fields f, String key) {
    if (!f.has(key)) {
      problems.error(
          f.at(), "missing-key", "the plan needs `" + key + ":`, one of `releases`", null);
      return null;
    }
    Optional<String> r = f.string(key);
    if (r.isPresent() && !releases.isEmpty() && !releases.contains(r.get())) {
      problems.error(
          f.at(key),
          "unknown-release",
          "`" + r.get() + "` is not in `releases`",
          Suggest.hint(r.get(), releases));
      return null;
    }
    return r.orElse(null);
  }

  private void readComponents(Fields list) {
    for (Node.Entry e : list.mapping().entries()) {
      String name = e.key().value();
      list.accept(name);
      Node value = e.value();
      if (value instanceof Node.Scalar s && s.isNull()) {
        components.put(name, new Component(name, List.of(), name, null, null, null, e.key().at()));
        continue;
      }
      Fields.of(
              value,
              "component `" + name + "`",
              problems,
              "packages",
              "service",
              "database",
              "sync",
              "balancer")
          .ifPresent(
              c -> {
                List<String> packages =
                    c.scalars("packages").stream().map(Node.Scalar::value).toList();
                String service = c.string("service").orElse(name);
                String database = c.string("database").orElse(null);
                String sync = c.string("sync").orElse(null);
                Balancer balancer =
                    c.node("balancer")
                        .flatMap(
                            b ->
                                Fields.of(
                                    b,
                                    "the `balancer` of `" + name + "`",
                                    problems,
                                    "haproxy",
                                    "backend",
                                    "server"))
                        .map(
                            b -> {
                              Balancer out =
                                  new Balancer(
                                      b.requiredString("haproxy").orElse(""),
                                      b.requiredString("backend").orElse(""),
                                      b.string("server").orElse("{{host}}"),
                                      b.at());
                              if (!out.backend().isEmpty() && !Balancer.validName(out.backend())) {
                                problems.error(
                                    b.at("backend"),
                                    "bad-value",
                                    "`backend: " + out.backend() + "` is not an HAProxy name",
                                    "letters, digits and . _ : - only");
                              }
                              b.finish();
                              return out;
                            })
                        .orElse(null);
                c.finish();
                components.put(
                    name,
                    new Component(name, packages, service, database, sync, balancer, e.key().at()));
                if (database != null) {
                  knownDatabases.add(database);
                }
              });
      knownComponents.add(name);
    }
    for (String used : knownComponents) {
      if (!components.containsKey(used)) {
        components.put(
            used, new Component(used, List.of(), used, null, null, null, Position.none(file)));
      }
    }
  }

  /** Where each capability's {@code uses} names stand, for the checks after all are read. */
  private final Map<String, List<Node.Scalar>> usesAt = new LinkedHashMap<>();

  private void readCapabilities(Fields list, Map<String, Capability> out) {
    readEachCapability(list, out);
    // `uses` names capabilities, and never goes round in a circle
    for (Map.Entry<String, List<Node.Scalar>> u : usesAt.entrySet()) {
      for (Node.Scalar s : u.getValue()) {
        if (!out.containsKey(s.value())) {
          problems.error(
              s.at(),
              "unknown-capability",
              "capability `" + u.getKey() + "` uses unknown capability `" + s.value() + "`",
              Suggest.hint(s.value(), out.keySet()));
        } else if (reaches(out, s.value(), u.getKey(), new HashSet<>())) {
          problems.error(
              s.at(),
              "capability-cycle",
              "capability `"
                  + u.getKey()
                  + "` uses `"
                  + s.value()
                  + "`, which uses `"
                  + u.getKey()
                  + "` in turn",
              "a capability cannot work through itself: remove one of the two `uses`");
        }
      }
    }
  }

  /** Whether capability {@code from} uses {@code to}, directly or through others. */
  private static boolean reaches(
      Map<String, Capability> all, String from, String to, Set<String> seen) {
    if (from.equals(to)) {
      return true;
    }
    Capability c = all.get(from);
    if (c == null || !seen.add(from)) {
      return false;
    }
    for (String next : c.uses()) {
      if (reaches(all, next, to, seen)) {
        return true;
      }
    }
    return false;
  }

  private void readEachCapability(Fields list, Map<String, Capability> out) {
    for (Node.Entry e : list.mapping().entries()) {
      String name = e.key().value();
      list.accept(name);
      Fields.of(
              e.value(),
              "capability `" + name + "`",
              problems,
              "needs",
              "needs-every",
              "on",
              "max-downtime",
              "probes",
              "uses")
          .ifPresent(
              c -> {
                boolean any = c.has("needs");
                boolean every = c.has("needs-every");
                if (any == every) {
                  problems.error(
                      c.at(),
                      "capability-needs",
                      "capability `" + name + "` needs exactly one of `needs` and `needs-every`",
                      "`needs`: at least one serving instance of each; `needs-every`: every instance serving");
                  c.finish();
                  return;
                }
                List<String> needed = new ArrayList<>();
                for (Node.Scalar s : c.scalars(every ? "needs-every" : "needs")) {
                  if (!knownComponents.contains(s.value()) && inventory.known()) {
                    problems.error(
                        s.at(),
                        "unknown-component",
                        "capability `" + name + "` needs unknown component `" + s.value() + "`",
                        Suggest.hint(s.value(), knownComponents));
                  }
                  needed.add(s.value());
                }
                Selector on = c.node("on").map(n -> selector(n)).orElse(null);
                long max =
                    c.parsed("max-downtime", "a duration such as `20m`", DurationModel::millis)
                        .orElse(-1L);
                List<Probe> probes = c.node("probes").map(this::probes).orElse(List.of());
                List<Node.Scalar> uses = c.has("uses") ? c.scalars("uses") : List.of();
                usesAt.put(name, uses);
                c.finish();
                noInstances(name, needed, on, c);
                out.put(
                    name,
                    new Capability(
                        name,
                        every,
                        List.copyOf(needed),
                        on,
                        max,
                        probes,
                        uses.stream().map(Node.Scalar::value).toList(),
                        e.key().at()));
              });
    }
  }

  /** The probes of a capability: a list of {@code {http|tcp|command, interval, timeout}}. */
  private List<Probe> probes(Node n) {
    List<Probe> out = new ArrayList<>();
    if (!(n instanceof Node.Sequence seq)) {
      problems.error(
          n.at(),
          "wrong-type",
          "`probes` must be a list, found " + n.describe(),
          "e.g. `probes: [{http: \"http://lb:9292/\", interval: 1s}]`");
      return out;
    }
    for (Node item : seq.items()) {
      Fields.of(
              item, "a probe", problems, "http", "expect", "tcp", "command", "interval", "timeout")
          .ifPresent(
              f -> {
                Optional<String> http = f.url("http");
                Optional<String> tcp = f.string("tcp");
                Optional<String> command = f.string("command");
                int kinds =
                    (http.isPresent() ? 1 : 0)
                        + (tcp.isPresent() ? 1 : 0)
                        + (command.isPresent() ? 1 : 0);
                if (kinds != 1) {
                  problems.error(
                      f.at(),
                      "probe-kind",
                      "a probe has exactly one of `http`, `tcp` and `command`",
                      "e.g. `{http: \"http://lb:9292/\", expect: 200, interval: 1s}`");
                }
                tcp.ifPresent(
                    a -> {
                      int colon = a.lastIndexOf(':');
                      boolean ok = colon > 0;
                      if (ok) {
                        try {
                          int port = Integer.parseInt(a.substring(colon + 1));
                          ok = port > 0 && port < 65536;
                        } catch (NumberFormatException x) {
                          ok = false;
                        }
                      }
                      if (!ok) {
                        problems.error(
                            f.at("tcp"),
                            "wrong-type",
                            "`tcp` must be HOST:PORT, found `" + a + "`",
                            "e.g. `tcp: \"10.1.0.5:3306\"`");
                      }
                    });
                int expect = f.integer("expect", 100, 599).orElse(200);
                long interval =
                    f.parsed("interval", "a duration such as `1s`", DurationModel::millis)
                        .orElse(1_000L);
                long timeout =
                    f.parsed("timeout", "a duration such as `2s`", DurationModel::millis)
                        .orElse(Math.max(interval, 1_000L));
                if (interval < 50) {
                  problems.error(
                      f.at("interval"),
                      "out-of-range",
                      "a probe's `interval` must be at least 50ms",
                      null);
                }
                if (timeout <= 0) {
                  problems.error(
                      f.at("timeout"), "out-of-range", "`timeout` must be longer than 0", null);
                }
                f.finish();
                if (kinds == 1) {
                  out.add(
                      new Probe(
                          http.orElse(null),
                          expect,
                          tcp.orElse(null),
                          command.orElse(null),
                          interval,
                          timeout,
                          f.at()));
                }
              });
    }
    return List.copyOf(out);
  }

  /** A capability about components that no (selected) host runs would be down, or up, forever. */
  private void noInstances(String name, List<String> needed, Selector on, Fields c) {
    if (inventory.size() == 0) {
      return;
    }
    BitSet hosts = on == null ? null : inventory.select(on);
    for (String component : needed) {
      boolean runs =
          inventory.hosts().stream()
              .anyMatch(
                  h ->
                      (hosts == null || hosts.get(h.index()))
                          && h.components().containsKey(component));
      if (!runs && knownComponents.contains(component)) {
        problems.error(
            c.at(),
            "no-instances",
            "capability `"
                + name
                + "` needs `"
                + component
                + "`, which no host"
                + (on == null ? "" : " selected by `" + on.text() + "`")
                + " runs",
            "check the capability's `on:` and the inventory's components");
      }
    }
  }

  private List<Fault> readFaults(Node n) {
    List<Fault> out = new ArrayList<>();
    if (!(n instanceof Node.Sequence seq)) {
      problems.error(n.at(), "wrong-type", "`faults` must be a list, found " + n.describe(), null);
      return out;
    }
    for (Node item : seq.items()) {
      Fields.of(item, "a fault", problems, "kind", "on", "probability")
          .ifPresent(f -> fault(f).ifPresent(out::add));
    }
    return out;
  }

  private Optional<Fault> fault(Fields f) {
    StepKind kind = null;
    Optional<String> k = f.string("kind");
    if (k.isPresent()) {
      kind = StepKind.byKey(k.get()).filter(StepKind::runsOnHosts).orElse(null);
      if (kind == null) {
        List<String> kinds = StepKind.keys().stream().filter(x -> !x.equals("approve")).toList();
        problems.error(
            f.at("kind"),
            "unknown-step-kind",
            "no fault can be injected into `" + k.get() + "` steps",
            Suggest.hint(k.get(), kinds));
      }
    }
    Selector on = f.node("on").map(this::selector).orElse(null);
    if (!f.has("probability")) {
      problems.error(f.at(), "missing-key", "a fault needs `probability`", "e.g. 0.05");
    }
    Optional<Double> p = f.parsed("probability", "a number from 0 to 1", PlanLoader::probability);
    f.finish();
    StepKind faultKind = kind;
    return p.map(v -> new Fault(faultKind, on, v, f.at()));
  }

  /** A probability from 0 to 1, or null. */
  public static Double probability(String s) {
    try {
      double v = Double.parseDouble(s.trim());
      return v >= 0 && v <= 1 ? v : null; // NaN fails both comparisons
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Parses a selector (text or list of texts) and checks it against the inventory. */
  private Selector selector(Node n) {
    return Selectors.read(n, inventory, problems);
  }
}
