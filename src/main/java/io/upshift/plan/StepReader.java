package io.upshift.plan;

import io.upshift.inventory.Host;
import io.upshift.inventory.Inventory;
import io.upshift.inventory.Selector;
import io.upshift.source.Fields;
import io.upshift.source.Node;
import io.upshift.source.Position;
import io.upshift.source.Problems;
import io.upshift.source.Suggest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads the {@code stages:} of a plan: stages, steps, waves, checks, and each step's hosts. */
final class StepReader {
  private static final Set<String> STEP_KEYS =
      Set.of("name", "on", "waves", "duration", "timeout", "version", "run", "in-doubt", "undo");

  /** A step may take an hour, or three times its longest expected duration, by default. */
  private static final long DEFAULT_TIMEOUT = 3_600_000;

  private final Problems problems;
  private final Inventory inventory;
  private final Set<String> components;
  private final Set<String> databases;
  private final List<String> releases;
  private final String to;
  private final PlaceholderCheck placeholders;

  /** Snapshots defined so far, by name, with the hosts they were taken on. */
  private final Map<String, Step> snapshots = new HashMap<>();

  StepReader(
      Problems problems,
      Inventory inventory,
      Set<String> components,
      Set<String> databases,
      List<String> releases,
      String to,
      Set<String> secrets) {
    this.placeholders = new PlaceholderCheck(problems, inventory, secrets);
    this.problems = problems;
    this.inventory = inventory;
    this.components = components;
    this.databases = databases;
    this.releases = releases;
    this.to = to;
  }

  List<Stage> stages(Node node) {
    List<Stage> stages = new ArrayList<>();
    if (!(node instanceof Node.Sequence seq)) {
      problems.error(
          node.at(), "wrong-type", "`stages` must be a list, found " + node.describe(), null);
      return stages;
    }
    Set<String> names = new HashSet<>();
    for (Node item : seq.items()) {
      Fields.of(item, "a stage", problems, "name", "steps", "rolling")
          .ifPresent(
              f -> {
                String name = f.requiredString("name").orElse("stage " + (stages.size() + 1));
                if (!names.add(name)) {
                  problems.error(
                      f.at("name"),
                      "duplicate-stage",
                      "stage `" + name + "` appears twice",
                      "stage names are unique");
                }
                List<Step> steps =
                    f.node("steps")
                        .map(n -> steps(stages.size(), n))
                        .orElseGet(
                            () -> {
                              problems.error(
                                  f.at(),
                                  "missing-key",
                                  "stage `" + name + "` needs `steps`",
                                  null);
                              return List.of();
                            });
                Amount rolling =
                    f.node("rolling")
                        .flatMap(n -> Fields.of(n, "`rolling`", problems, "batch"))
                        .map(
                            r -> {
                              Amount batch =
                                  r.parsed(
                                          "batch",
                                          "a number of hosts or a percentage such as `10%`",
                                          Amount::parse)
                                      .orElse(Amount.ALL);
                              if (!r.has("batch")) {
                                problems.error(
                                    r.at(),
                                    "missing-key",
                                    "`rolling` needs `batch`: how many hosts go through the stage's steps at a time",
                                    "e.g. `rolling: {batch: 1}`");
                              } else if (batch.value() == 0) {
                                problems.error(
                                    r.at("batch"),
                                    "out-of-range",
                                    "`batch` must be at least 1",
                                    null);
                              }
                              r.finish();
                              return batch;
                            })
                        .orElse(null);
                f.finish();
                List<Step> run =
                    rolling != null && rolling.value() > 0
                        ? rolled(stages.size(), steps, rolling)
                        : steps;
                stages.add(new Stage(stages.size(), name, run, f.at()));
              });
    }
    if (stages.isEmpty()) {
      problems.error(node.at(), "no-stages", "the plan has no stages", null);
    }
    return stages;
  }

  /**
   * A rolling stage as the steps it runs: its hosts (those of all its steps, in inventory order)
   * cut into batches, and every step repeated for each batch on the batch's hosts, so that a batch
   * goes through all the steps before the next batch starts (drain, stop, upgrade, start, check,
   * undrain; next instance). Approvals are asked before each batch they stand in.
   */
  private List<Step> rolled(int stage, List<Step> steps, Amount batch) {
    BitSet all = new BitSet();
    for (Step step : steps) {
      for (int h : step.hosts()) {
        all.set(h);
      }
    }
    int[] hosts = Inventory.indexes(all);
    if (hosts.length == 0) {
      return steps;
    }
    int size = batch.batchOf(hosts.length);
    int batches = (hosts.length + size - 1) / size;
    List<Step> out = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      BitSet in = new BitSet();
      for (int i = b * size; i < Math.min(hosts.length, (b + 1) * size); i++) {
        in.set(hosts[i]);
      }
      String suffix =
          in.cardinality() == 1
              ? " on " + inventory.host(in.nextSetBit(0)).name()
              : " (batch " + (b + 1) + "/" + batches + ")";
      for (Step step : steps) {
        int[] mine =
            step.kind().runsOnHosts()
                ? Arrays.stream(step.hosts()).filter(in::get).toArray()
                : step.hosts();
        if (step.kind().runsOnHosts() && mine.length == 0) {
          continue;
        }
        out.add(
            new Step(
                stage,
                out.size(),
                step.name() + suffix,
                step.kind(),
                step.subjects(),
                step.on(),
                step.waves(),
                step.duration(),
                step.run(),
                step.check(),
                step.prompt(),
                step.version(),
                step.timeoutMillis(),
                mine,
                step.undo(),
                step.inDoubt(),
                step.snapshot(),
                step.at()));
      }
    }
    return List.copyOf(out);
  }

  private List<Step> steps(int stage, Node node) {
    List<Step> steps = new ArrayList<>();
    if (!(node instanceof Node.Sequence seq)) {
      problems.error(
          node.at(), "wrong-type", "`steps` must be a list, found " + node.describe(), null);
      return steps;
    }
    int[] previous = null;
    for (Node item : seq.items()) {
      Optional<Step> step = step(stage, steps.size(), item, previous);
      if (step.isPresent()) {
        steps.add(step.get());
        if (step.get().kind().runsOnHosts()) {
          previous = step.get().hosts();
        }
      }
    }
    return steps;
  }

  private Optional<Step> step(int stage, int index, Node node, int[] previous) {
    if (!(node instanceof Node.Mapping map)) {
      problems.error(
          node.at(),
          "wrong-type",
          "a step must be a mapping such as `- stop: glance-api`, found " + node.describe(),
          null);
      return Optional.empty();
    }
    List<String> kindKeys = new ArrayList<>();
    for (Node.Entry e : map.entries()) {
      if (StepKind.byKey(e.key().value()).isPresent()) {
        kindKeys.add(e.key().value());
      }
    }
    boolean attachedCheck = kindKeys.contains("check") && kindKeys.size() > 1;
    if (attachedCheck) {
      kindKeys.remove("check");
    }
    if (kindKeys.isEmpty()) {
      String first =
          map.entries().stream()
              .map(e -> e.key().value())
              .filter(k -> !STEP_KEYS.contains(k))
              .findFirst()
              .orElse("");
      Position at =
          map.entries().stream()
              .filter(e -> e.key().value().equals(first))
              .map(e -> e.key().at())
              .findFirst()
              .orElse(map.at());
      String hint =
          first.isEmpty()
              ? "start the step with its kind: " + String.join(", ", StepKind.keys())
              : Suggest.hint(first, StepKind.keys());
      problems.error(
          at,
          "unknown-step-kind",
          first.isEmpty() ? "the step has no kind" : "unknown step kind `" + first + "`",
          hint);
      return Optional.empty();
    }
    if (kindKeys.size() > 1) {
      problems.error(
          map.at(),
          "step-kinds",
          "a step has one kind; this one has " + String.join(" and ", kindKeys),
          "split it into one step per kind");
      return Optional.empty();
    }
    StepKind kind = StepKind.byKey(kindKeys.get(0)).orElseThrow();
    List<String> keys = new ArrayList<>(STEP_KEYS);
    keys.add(kind.key());
    if (attachedCheck) {
      keys.add("check");
    }
    Fields f =
        Fields.of(node, "a `" + kind.key() + "` step", problems, keys.toArray(String[]::new))
            .orElseThrow();
    Node value = f.node(kind.key()).orElseThrow();
    int errorsBefore = problems.errorCount();
    List<String> subjects = List.of();
    String run = f.string("run").orElse(null);
    Check check = null;
    String prompt = null;
    Snapshot snapshot = null;
    int[] snapshotHosts = null;
    switch (kind.subject()) {
      case COMPONENTS -> subjects = names(value, components, "component");
      case DATABASES -> subjects = names(value, databases, "database");
      default -> {}
    }
    if ((kind.subject() == StepKind.Subject.COMPONENTS
            || kind.subject() == StepKind.Subject.DATABASES)
        && subjects.isEmpty()
        && value instanceof Node.Sequence) {
      problems.error(
          value.at(),
          "wrong-type",
          "`"
              + kind.key()
              + "` names no "
              + kind.subject().name().toLowerCase(Locale.ROOT).replaceAll("s$", ""),
          "list at least one, e.g. `" + kind.key() + ": [glance-api]`");
    }
    switch (kind.subject()) {
      case COMPONENTS, DATABASES -> {}
      case COMMAND -> {
        if (run != null) {
          problems.error(
              f.at("run"),
              "step-run",
              "a `command` step takes its command as its value; `run` is for built-in steps",
              "write `- command: \"...\"` and drop `run:`");
        }
        run = Fields.text(value, "`command`", problems).orElse(run);
        if (run != null && run.isBlank()) {
          problems.error(value.at(), "wrong-type", "the command is empty", null);
        }
      }
      case CHECK -> check = check(value);
      case PROMPT -> {
        if (value instanceof Node.Scalar s) {
          prompt = s.isNull() ? "Continue?" : s.value();
        } else {
          problems.error(
              value.at(),
              "wrong-type",
              "`approve` takes the question to ask, found " + value.describe(),
              "e.g. `- approve: \"Start the Nova stage?\"`");
        }
      }
      case REPOSITORIES -> subjects = repositories(value);
      case SETTING -> {
        if (value instanceof Node.Scalar s
            && (s.value().equals("pause") || s.value().equals("resume"))) {
          subjects = List.of(s.value());
          prompt = s.value().equals("pause") ? "paused for an upgrade by Upshift" : null;
        } else if (value instanceof Node.Mapping) {
          Optional<Fields> m = Fields.of(value, "`config-management`", problems, "pause", "resume");
          if (m.isPresent()) {
            if (m.get().has("pause") == m.get().has("resume")) {
              problems.error(
                  value.at(),
                  "wrong-type",
                  "`config-management` takes one of `pause` and `resume`",
                  "e.g. `- config-management: {pause: \"upgrade to Havana\"}`");
            } else if (m.get().has("pause")) {
              subjects = List.of("pause");
              prompt = m.get().string("pause").orElse("paused for an upgrade by Upshift");
            } else {
              subjects = List.of("resume");
            }
            m.get().finish();
          }
        } else {
          problems.error(
              value.at(),
              "wrong-type",
              "`config-management` takes `pause`, `resume` or `{pause: REASON}`, found "
                  + value.describe(),
              "e.g. `- config-management: {pause: \"upgrade to Havana\"}`");
        }
      }
      case SNAPSHOT -> {
        if (run != null) {
          problems.error(
              f.at("run"),
              "step-run",
              "a `" + kind.key() + "` step captures what its snapshot says; it takes no `run:`",
              "put the command in the snapshot: `{name: ..., command: \"...\"}`");
        }
        if (kind == StepKind.SNAPSHOT) {
          snapshot = snapshot(value);
          if (snapshot != null && snapshot.sql() != null) {
            subjects = List.of(snapshot.database());
          }
        } else if (value instanceof Node.Scalar s && !s.isNull()) {
          Step taken = snapshots.get(s.value());
          if (taken == null) {
            problems.error(
                s.at(),
                "unknown-snapshot",
                "no earlier step takes a snapshot named `" + s.value() + "`",
                snapshots.isEmpty()
                    ? "take it first: `- snapshot: {name: " + s.value() + ", command: \"...\"}`"
                    : Suggest.hint(s.value(), snapshots.keySet()));
          } else {
            snapshot = taken.snapshot();
            snapshotHosts = taken.hosts();
          }
        } else {
          problems.error(
              value.at(),
              "wrong-type",
              "`compare` takes the name of a snapshot taken earlier, found " + value.describe(),
              "e.g. `- compare: volumes`");
        }
      }
      case NONE -> {
        if (!(value instanceof Node.Scalar s) || !(s.isNull() || s.value().equals("true"))) {
          problems.error(
              value.at(),
              "wrong-type",
              "`" + kind.key() + "` takes no value; write `- " + kind.key() + ": true`",
              null);
        }
      }
    }
    if (attachedCheck) {
      check = f.node("check").map(this::check).orElse(null);
    }
    String name = f.string("name").orElse(null);
    if (name == null) {
      name =
          snapshot != null ? kind.key() + " " + snapshot.name() : defaultName(kind, subjects, run);
    }
    Selector on = f.node("on").map(n -> Selectors.read(n, inventory, problems)).orElse(null);
    boolean readCleanly = problems.errorCount() == errorsBefore;
    Waves waves = f.node("waves").map(this::waves).orElse(Waves.DEFAULT);
    DurationModel duration =
        f.parsed(
                "duration",
                "a duration such as `5m` or a range such as `2m..8m`",
                DurationModel::parse)
            .orElse(
                kind == StepKind.CHECK && check != null
                    ? check.duration()
                    : kind.defaultDuration());
    long timeout =
        f.parsed("timeout", "a duration such as `10m`", DurationModel::millis)
            .orElse(Math.max(DEFAULT_TIMEOUT, 3 * duration.maxMillis()));
    if (timeout <= 0) {
      problems.error(
          f.at("timeout"),
          "out-of-range",
          "`timeout` must be longer than 0",
          "e.g. `timeout: 10m`");
    } else if (duration.maxMillis() > timeout) {
      problems.warning(
          f.at("timeout"),
          "timeout-shorter",
          "the step's `duration` ("
              + duration
              + ") can be longer than its `timeout` ("
              + DurationModel.format(timeout)
              + "): rehearsal will fail it",
          null);
    }
    String version = f.string("version").orElse(to);
    if (f.has("version") && version != null && !releases.contains(version)) {
      problems.error(
          f.at("version"),
          "unknown-release",
          "`" + version + "` is not in `releases`",
          Suggest.hint(version, releases));
    }
    f.finish();
    if (f.has("undo") && !kind.runsOnHosts()) {
      problems.error(
          f.at("undo"),
          "step-undo",
          "an `approve` step has nothing to undo",
          "give `undo:` to the steps that change hosts");
    }
    int[] hosts =
        snapshotHosts != null && on == null
            ? snapshotHosts
            : hosts(kind, subjects, on, previous, f, name, readCleanly);
    Host windows = windowsHost(hosts);
    PlaceholderCheck.Kind command = PlaceholderCheck.Kind.COMMAND;
    PlaceholderCheck.Kind other = PlaceholderCheck.Kind.OTHER;
    placeholders.check(
        run, f.at("run").equals(f.at()) ? value.at() : f.at("run"), command, windows);
    f.string("undo").ifPresent(u -> placeholders.check(u, f.at("undo"), command, windows));
    if (check != null) {
      placeholders.check(check.command(), check.at(), command, windows);
      placeholders.check(check.http(), check.at(), other, null);
    }
    if (snapshot != null) {
      placeholders.check(snapshot.command(), snapshot.at(), command, windows);
      placeholders.check(snapshot.sql(), snapshot.at(), other, null);
      placeholders.check(snapshot.http(), snapshot.at(), other, null);
    }
    Step made =
        new Step(
            stage,
            index,
            name,
            kind,
            subjects,
            on,
            waves,
            duration,
            run,
            check,
            prompt,
            version,
            timeout,
            hosts,
            f.string("undo").orElse(null),
            inDoubt(f, kind, check),
            snapshot,
            f.at());
    if (kind == StepKind.SNAPSHOT && snapshot != null) {
      if (snapshots.containsKey(snapshot.name())) {
        problems.error(
            snapshot.at(),
            "duplicate-snapshot",
            "a snapshot named `" + snapshot.name() + "` is taken twice",
            "give each snapshot its own name; `compare` names the one it checks against");
      }
      snapshots.put(snapshot.name(), made);
    }
    return Optional.of(made);
  }

  /** {@code {disable: [A], enable: [B]}}: as {@code disable:A}, {@code enable:B}. */
  private List<String> repositories(Node value) {
    List<String> out = new ArrayList<>();
    Fields.of(value, "`repo`", problems, "disable", "enable")
        .ifPresent(
            f -> {
              for (String key : List.of("disable", "enable")) {
                for (Node.Scalar s : f.scalars(key)) {
                  if (!s.value().matches("[A-Za-z0-9._:@+-]+")) {
                    problems.error(
                        s.at(),
                        "bad-value",
                        "`" + s.value() + "` is not a repository id",
                        "repository ids are letters, digits and . _ : @ + -");
                  }
                  out.add(key + ":" + s.value());
                }
              }
              if (out.isEmpty()) {
                problems.error(
                    f.at(),
                    "missing-key",
                    "`repo` needs `disable`, `enable` or both",
                    "e.g. `- repo: {disable: openstack-grizzly, enable: openstack-havana}`");
              }
              f.finish();
            });
    return List.copyOf(out);
  }

  /** {@code {name: N, command: ...}}, {@code {name: N, sql: ..., database: D}} or {@code http}. */
  private Snapshot snapshot(Node n) {
    return Fields.of(n, "a snapshot", problems, "name", "command", "sql", "database", "http")
        .map(
            f -> {
              String name = f.requiredString("name").orElse(null);
              Optional<String> command = f.string("command");
              Optional<String> sql = f.string("sql");
              Optional<String> http = f.url("http");
              int kinds =
                  (command.isPresent() ? 1 : 0)
                      + (sql.isPresent() ? 1 : 0)
                      + (http.isPresent() ? 1 : 0);
              if (kinds != 1) {
                problems.error(
                    f.at(),
                    "snapshot-kind",
                    "a snapshot captures exactly one of `command`, `sql` and `http`",
                    "e.g. `- snapshot: {name: volumes, command: \"cinder list --all-tenants\"}`");
              }
              String database = f.string("database").orElse(null);
              if (sql.isPresent() && database == null) {
                problems.error(
                    f.at(),
                    "missing-key",
                    "an `sql` snapshot needs the `database` it queries",
                    "e.g. `{name: rows, database: glance, sql: \"select id from images\"}`");
              } else if (database != null && sql.isEmpty()) {
                problems.error(
                    f.at("database"), "snapshot-kind", "`database` goes with `sql`", null);
              } else if (database != null && !databases.contains(database) && inventory.known()) {
                problems.error(
                    f.at("database"),
                    "unknown-database",
                    "unknown database `" + database + "`",
                    Suggest.hint(database, databases));
              }
              f.finish();
              if (name == null || kinds != 1 || (sql.isPresent() && database == null)) {
                return null;
              }
              return new Snapshot(
                  name,
                  command.orElse(null),
                  sql.orElse(null),
                  database,
                  http.orElse(null),
                  f.at());
            })
        .orElse(null);
  }

  /** The step's in-doubt policy: its own `in-doubt:` (rerun, check or ask), else its kind's. */
  private InDoubt inDoubt(Fields f, StepKind kind, Check check) {
    Optional<String> given = f.string("in-doubt");
    if (given.isEmpty()) {
      return kind.inDoubt();
    }
    InDoubt d = InDoubt.of(given.get());
    if (d != InDoubt.RERUN && d != InDoubt.CHECK && d != InDoubt.ASK) {
      problems.error(
          f.at("in-doubt"),
          "bad-value",
          "`in-doubt` must be rerun, check or ask, found `" + given.get() + "`",
          Suggest.hint(given.get(), List.of("rerun", "check", "ask")));
      return kind.inDoubt();
    }
    if (d == InDoubt.CHECK && (check == null || kind == StepKind.CHECK)) {
      problems.error(
          f.at("in-doubt"),
          "bad-value",
          "`in-doubt: check` needs the step's `check` to settle it",
          "add a `check:` that tells whether the step took effect, or use rerun or ask");
    }
    return d;
  }

  /** A Windows host among a step's, or null: its commands are PowerShell, quoted apart. */
  private Host windowsHost(int[] hosts) {
    if (anyWindows == null) {
      anyWindows = false;
      for (int h = 0; h < inventory.size() && !anyWindows; h++) {
        anyWindows = "windows".equals(inventory.host(h).os());
      }
    }
    if (anyWindows) {
      for (int h : hosts) {
        if ("windows".equals(inventory.host(h).os())) {
          return inventory.host(h);
        }
      }
    }
    return null;
  }

  private Boolean anyWindows;

  private int[] hosts(
      StepKind kind,
      List<String> subjects,
      Selector on,
      int[] previous,
      Fields f,
      String name,
      boolean readCleanly) {
    if (!kind.runsOnHosts() || inventory.size() == 0) {
      return new int[0];
    }
    BitSet picked;
    if (on != null) {
      picked = inventory.select(on);
      if (kind.subject() == StepKind.Subject.COMPONENTS && kind != StepKind.UPGRADE) {
        picked.and(running(subjects, false));
      } else if (kind.subject() == StepKind.Subject.DATABASES
          || (kind.subject() == StepKind.Subject.SNAPSHOT && !subjects.isEmpty())) {
        picked.and(running(subjects, true)); // only the hosts that hold the database
      }
    } else {
      switch (kind.subject()) {
        case COMPONENTS -> picked = running(subjects, false);
        case DATABASES -> picked = running(subjects, true);
        default -> {
          if (kind.subject() == StepKind.Subject.SNAPSHOT && !subjects.isEmpty()) {
            picked = running(subjects, true); // an SQL snapshot: the hosts holding its database
            break;
          }
          if (previous == null) {
            problems.error(
                f.at(),
                "missing-key",
                "step `" + name + "` needs `on:` to say which hosts it runs on",
                "e.g. `on: role=compute`; without it a step runs on the hosts of the step before it");
            return new int[0];
          }
          return previous;
        }
      }
    }
    if (picked.isEmpty() && readCleanly) {
      problems.error(
          on != null ? on.at() : f.at(),
          "no-hosts",
          "step `" + name + "` selects no hosts",
          on != null
              ? "check the selector `" + on.text() + "` against the inventory"
              : kind.subject() == StepKind.Subject.DATABASES
                  ? "no host holds "
                      + String.join(", ", subjects)
                      + "; list it under `databases:` of its host in the inventory"
                  : "no host runs " + String.join(", ", subjects));
    }
    // steps on the same hosts (all the hypervisors, say) share one array: made once, never changed
    return selections.computeIfAbsent(picked, Inventory::indexes);
  }

  private final Map<BitSet, int[]> selections = new HashMap<>();

  private BitSet running(List<String> subjects, boolean databases) {
    return inventory.having(databases ? "database" : "component", subjects);
  }

  private List<String> names(Node value, Set<String> known, String what) {
    List<String> out = new ArrayList<>();
    for (Node.Scalar s : Fields.scalars(value, "the " + what + "s of the step", problems)) {
      if (!known.contains(s.value()) && inventory.known()) {
        problems.error(
            s.at(),
            "unknown-" + what,
            "unknown " + what + " `" + s.value() + "`",
            Suggest.hint(s.value(), known));
      }
      out.add(s.value());
    }
    return List.copyOf(out);
  }

  private static String defaultName(StepKind kind, List<String> subjects, String run) {
    return switch (kind.subject()) {
      case COMPONENTS, DATABASES -> kind.key() + " " + String.join(", ", subjects);
      case REPOSITORIES, SETTING -> kind.key() + " " + String.join(" ", subjects);
      case COMMAND ->
          run == null ? kind.key() : (run.length() > 60 ? run.substring(0, 57) + "..." : run);
      default -> kind.key();
    };
  }

  private Check check(Node n) {
    if (n instanceof Node.Scalar s && !s.isNull()) {
      return new Check(s.value(), null, 200, 0, null, StepKind.CHECK.defaultDuration(), s.at());
    }
    return Fields.of(n, "a check", problems, "command", "http", "expect", "output", "duration")
        .map(
            f -> {
              Optional<String> command = f.string("command");
              Optional<String> http = f.url("http");
              if (command.isPresent() == http.isPresent()) {
                problems.error(
                    f.at(),
                    "check-kind",
                    "a check has either `command` or `http`",
                    "e.g. `check: {http: \"http://{{host}}:9292/\", expect: 200}`");
              }
              int expect = f.integer("expect", 0, 599).orElse(http.isPresent() ? 200 : 0);
              String output = f.string("output").orElse(null);
              if (output != null) {
                try {
                  Pattern.compile(output);
                } catch (PatternSyntaxException e) {
                  problems.error(
                      f.at("output"),
                      "bad-regex",
                      "`output` is not a regular expression: " + e.getDescription(),
                      null);
                }
              }
              DurationModel d =
                  f.parsed("duration", "a duration such as `15s`", DurationModel::parse)
                      .orElse(StepKind.CHECK.defaultDuration());
              f.finish();
              return new Check(
                  command.orElse(null),
                  http.orElse(null),
                  http.isPresent() ? expect : 200,
                  http.isPresent() ? 0 : expect,
                  output,
                  d,
                  f.at());
            })
        .orElse(null);
  }

  private Waves waves(Node n) {
    return Fields.of(
            n, "`waves`", problems, "batch", "group-by", "parallel", "pause", "max-failures")
        .map(
            f -> {
              Amount batch =
                  f.parsed(
                          "batch", "a number of hosts or a percentage such as `10%`", Amount::parse)
                      .orElse(Amount.ALL);
              if (batch.value() == 0) {
                problems.error(f.at("batch"), "out-of-range", "`batch` must be at least 1", null);
              }
              String groupBy = f.string("group-by").orElse(null);
              if (groupBy != null
                  && inventory.size() > 0
                  && !inventory.selectorKeys().contains(groupBy)) {
                problems.error(
                    f.at("group-by"),
                    "unknown-selector",
                    "cannot group by unknown key `" + groupBy + "`",
                    Suggest.hint(groupBy, inventory.selectorKeys()));
              }
              int parallel = f.integer("parallel", 1, 100_000).orElse(1);
              long pause =
                  f.parsed("pause", "a duration such as `2m`", DurationModel::millis).orElse(0L);
              Amount maxFailures =
                  f.parsed(
                          "max-failures",
                          "a number of hosts or a percentage such as `2%`",
                          Amount::parse)
                      .orElse(Amount.NONE);
              f.finish();
              return new Waves(batch, groupBy, parallel, pause, maxFailures);
            })
        .orElse(Waves.DEFAULT);
  }
}
