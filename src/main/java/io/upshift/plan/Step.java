package io.upshift.plan;

import io.upshift.inventory.Selector;
import io.upshift.source.Position;
import java.util.List;

/**
 * One step of a stage: a kind with its subjects (components, databases, a command, a check or a
 * prompt), the hosts it runs on, how it rolls over them, how long it takes in rehearsal, and the
 * check that gates what comes after it.
 *
 * @param stage index of the stage in the plan
 * @param index index of the step in its stage
 * @param name a label for progress and reports (derived from the kind when not given)
 * @param subjects component or database names, for kinds that name them; for {@code repo}, the
 *     repositories as {@code disable:NAME} then {@code enable:NAME}; for {@code config-management},
 *     {@code pause} or {@code resume}
 * @param on the hosts, or null for the kind's default
 * @param prompt the question of an {@code approve}, or the reason of a {@code config-management}
 *     pause
 * @param run the command for {@code command} steps, or a command replacing the built-in rendering
 * @param check the check attached to the step, or null
 * @param version the version an {@code upgrade} or {@code db-sync} goes to (the plan's target when
 *     not given)
 * @param timeoutMillis how long one host may take before the step fails there
 * @param hosts the inventory indexes of the hosts the step runs on, in inventory order (resolved
 *     when the plan is loaded; empty for an approval)
 * @param undo the command that reverses the step on a host, run when the run is aborted with {@code
 *     --undo}; null when the step declares none
 * @param inDoubt what resume does with an action of this step that may or may not have run: the
 *     kind's default ({@link StepKind#inDoubt()}) unless the plan says otherwise
 * @param snapshot what a {@code snapshot} step captures, or what a {@code compare} step captures
 *     again (the definition of the snapshot it names); null for other kinds
 */
public record Step(
    int stage,
    int index,
    String name,
    StepKind kind,
    List<String> subjects,
    Selector on,
    Waves waves,
    DurationModel duration,
    String run,
    Check check,
    String prompt,
    String version,
    long timeoutMillis,
    int[] hosts,
    String undo,
    InDoubt inDoubt,
    Snapshot snapshot,
    Position at) {

  /** Whether a check attached to the step must pass on a host before the host is done with it. */
  public boolean gated() {
    return check != null && kind != StepKind.CHECK;
  }

  /** A stable id within the plan: {@code 2.3} is the fourth step of the third stage. */
  public String id() {
    return stage + "." + index;
  }

  /** The label with the step's position, for messages: {@code stage 2 step 3 "db-sync glance"}. */
  public String describe() {
    return "step " + (index + 1) + " `" + name + "`";
  }
}
