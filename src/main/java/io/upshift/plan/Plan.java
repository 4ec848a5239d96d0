package io.upshift.plan;

import io.upshift.inventory.Host;
import io.upshift.inventory.Inventory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A loaded, checked plan with its inventory: what to upgrade, from which release to which, what
 * users must keep getting, which version mixes are safe, and the stages of steps that do it.
 *
 * @param learned durations learned from a real run, which rehearsals use instead of the steps' own
 *     (none unless the plan names a file under {@code rehearsal: durations})
 */
public record Plan(
    Path file,
    String name,
    Inventory inventory,
    List<String> releases,
    String from,
    String to,
    Map<String, Component> components,
    Map<String, Capability> capabilities,
    Map<String, Secret> secrets,
    Map<String, Database> databases,
    List<CompatRule> compatibility,
    List<Stage> stages,
    List<Fault> faults,
    long seed,
    LearnedDurations learned) {

  /** How long an action ({@code check} false) or a check of {@code step} takes on {@code host}. */
  public DurationModel duration(Step step, Host host, boolean check) {
    return learned.model(step, host, check, check ? step.check().duration() : step.duration());
  }

  /** Every step of the plan in order. */
  public List<Step> steps() {
    return stages.stream().flatMap(s -> s.steps().stream()).toList();
  }

  /** The position of a release in the ordered list, or -1. */
  public int releaseRank(String release) {
    return releases.indexOf(release);
  }
}
