package io.upshift.plan;

import io.upshift.inventory.Host;
import io.upshift.source.Fields;
import io.upshift.source.Node;
import io.upshift.source.Position;
import io.upshift.source.Problems;
import io.upshift.source.YamlSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Durations learned from a real run ({@code upshift learn RUN}), by step and host class, that a
 * plan's rehearsal uses instead of the steps' own {@code duration} ({@code rehearsal: {durations:
 * FILE}}). A host's class is the values it takes for a few selector keys ({@code class-by}, by
 * default its roles and OS): hosts alike in those take alike durations.
 */
public final class LearnedDurations {
  /** No learned durations: every step's own model holds. */
  public static final LearnedDurations NONE = new LearnedDurations(List.of(), Map.of());

  /** The default keys of a host class. */
  public static final List<String> DEFAULT_CLASS_BY = List.of("role", "os");

  private final List<String> classBy;

  /** Models by "stage.step.phase", then by host class. */
  private final Map<String, Map<String, DurationModel>> models;

  private final Map<Host, String> classes = new ConcurrentHashMap<>();

  public LearnedDurations(List<String> classBy, Map<String, Map<String, DurationModel>> models) {
    this.classBy = List.copyOf(classBy);
    this.models = Map.copyOf(models);
  }

  public boolean isEmpty() {
    return models.isEmpty();
  }

  /** The keys a host class is made of. */
  public List<String> classBy() {
    return classBy;
  }

  /**
   * A host's class for {@code keys}: {@code role=compute,os=linux} (several values joined by +).
   */
  public static String classOf(Host host, List<String> keys) {
    StringBuilder b = new StringBuilder();
    for (String key : keys) {
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(key).append('=').append(String.join("+", host.values(key)));
    }
    return b.toString();
  }

  /** The key of a step's action or check in the table. */
  public static String key(int stage, int step, boolean check) {
    return stage + "." + step + (check ? ".check" : ".action");
  }

  /**
   * The model for an action ({@code check} false) or a check of {@code step} on {@code host}: the
   * learned one for its class, else {@code fallback} (the plan's own).
   */
  public DurationModel model(Step step, Host host, boolean check, DurationModel fallback) {
    if (models.isEmpty()) {
      return fallback;
    }
    Map<String, DurationModel> byClass = models.get(key(step.stage(), step.index(), check));
    if (byClass == null) {
      return fallback;
    }
    DurationModel m = byClass.get(classes.computeIfAbsent(host, h -> classOf(h, classBy)));
    return m != null ? m : fallback;
  }

  /**
   * Reads a file written by {@code upshift learn} for {@code stages}: each entry is matched to the
   * step of that stage and number, and kept only if the step still has the name it had (a warning
   * otherwise: the plan changed since).
   */
  public static LearnedDurations read(Path file, List<Stage> stages, Problems problems) {
    var root = YamlSource.read(file, problems);
    if (root.isEmpty()) {
      return NONE;
    }
    List<String> classBy = new ArrayList<>(DEFAULT_CLASS_BY);
    Map<String, Map<String, DurationModel>> models = new HashMap<>();
    Fields.of(
            root.get(),
            "the learned durations",
            problems,
            "upshift-durations",
            "plan",
            "run",
            "class-by",
            "steps")
        .ifPresent(
            f -> {
              f.integer("upshift-durations", 1, 1);
              f.string("plan");
              f.string("run");
              if (f.has("class-by")) {
                classBy.clear();
                f.scalars("class-by").forEach(s -> classBy.add(s.value()));
              }
              f.node("steps")
                  .ifPresent(
                      n -> {
                        if (n instanceof Node.Sequence seq) {
                          for (Node item : seq.items()) {
                            step(item, stages, models, problems);
                          }
                        } else {
                          problems.error(
                              n.at(),
                              "invalid-value",
                              "`steps` must be a list",
                              "write the file again with `upshift learn`");
                        }
                      });
              f.finish();
            });
    return new LearnedDurations(classBy, models);
  }

  private static void step(
      Node item,
      List<Stage> stages,
      Map<String, Map<String, DurationModel>> models,
      Problems problems) {
    Fields.of(item, "a learned step", problems, "stage", "step", "name", "phase", "classes")
        .ifPresent(
            f -> {
              String stageName = f.string("stage").orElse("");
              int number = f.integer("step", 1, 100_000).orElse(0);
              String name = f.string("name").orElse("");
              boolean check = "check".equals(f.string("phase").orElse("action"));
              Stage stage =
                  stages.stream().filter(s -> s.name().equals(stageName)).findFirst().orElse(null);
              Step step =
                  stage == null || number < 1 || number > stage.steps().size()
                      ? null
                      : stage.steps().get(number - 1);
              Position at = f.at();
              if (step == null || !step.name().equals(name)) {
                problems.warning(
                    at,
                    "learned-step-changed",
                    "stage `"
                        + stageName
                        + "` step "
                        + number
                        + " `"
                        + name
                        + "` is not in the plan as it was learned: its durations are not used",
                    "learn again from a run of the plan as it is now");
                f.accept("classes");
                f.finish();
                return;
              }
              Map<String, DurationModel> byClass =
                  models.computeIfAbsent(
                      key(step.stage(), step.index(), check), k -> new HashMap<>());
              f.node("classes")
                  .ifPresent(
                      n -> {
                        if (n instanceof Node.Sequence seq) {
                          for (Node c : seq.items()) {
                            modelOf(c, byClass, problems);
                          }
                        }
                      });
              f.finish();
            });
  }

  private static void modelOf(Node c, Map<String, DurationModel> byClass, Problems problems) {
    Fields.of(c, "a host class", problems, "class", "samples", "mean", "p95", "duration")
        .ifPresent(
            f -> {
              String cls = f.string("class").orElse("");
              f.integer("samples", 0, Integer.MAX_VALUE);
              f.string("mean");
              f.string("p95");
              f.parsed("duration", "a duration or range such as 2s..5s", DurationModel::parse)
                  .ifPresent(m -> byClass.put(cls, m));
              f.finish();
            });
  }

  /**
   * The uniform model whose mean and 95th percentile are the ones observed: {@code p95 = min + 0.95
   * (max - min)} and {@code mean = (min + max) / 2} give {@code max - min = (p95 - mean) / 0.45}.
   * Worked example: mean 10 s, p95 14.5 s: width 10 s, so 5 s..15 s. A minimum below zero is raised
   * to zero.
   */
  public static DurationModel fit(long meanMillis, long p95Millis) {
    long width = Math.max(0, Math.round((p95Millis - meanMillis) / 0.45));
    long min = Math.max(0, meanMillis - width / 2);
    return new DurationModel(min, Math.max(min, meanMillis + width / 2));
  }
}
