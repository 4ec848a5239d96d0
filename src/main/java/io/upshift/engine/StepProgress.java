package io.upshift.engine;

import io.upshift.inventory.Inventory;
import io.upshift.plan.Step;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How far the current step has gone: its hosts split into wave groups, the batch each group is in,
 * what is in flight, and the failures against the budget. Mutated only by {@link RunState}.
 */
public final class StepProgress {
  final Step step;
  final int[][] groups;
  final String[] groupNames;

  /** The group of each of the step's hosts, by host index. */
  final int[] groupOfHost;

  final int[] offset;
  final int[] batchRemaining;
  final int[] batches;
  final long[] resumeAt;

  /** Open groups whose next batch can start now, in the order they became ready. */
  final LinkedHashSet<Integer> ready = new LinkedHashSet<>();

  /** Open groups waiting out the pause before their next batch. */
  final LinkedHashSet<Integer> paused = new LinkedHashSet<>();

  /** Groups opened and not finished. */
  int openCount;

  int nextGroup;
  final ArrayDeque<Integer> checks = new ArrayDeque<>();

  /** Hosts whose action runs again (in doubt after a restart, or its settling check failed). */
  final ArrayDeque<Integer> redo = new ArrayDeque<>();

  /**
   * Hosts of a started batch whose action has not started yet. The engine records a batch's start
   * and its hosts' actions at one turn, but the journal may have kept only the first part when its
   * driver died: a resumed run starts these.
   */
  final BitSet unstarted = new BitSet();

  int unstartedCount;

  /**
   * Hosts whose action was cut off from them during the run and whose step asks the operator: the
   * step waits for the answer.
   */
  final Set<Integer> awaiting = new HashSet<>();

  /** Hosts whose in-doubt action is settled by the check now pending or running. */
  final Set<Integer> settling = new HashSet<>();

  /** For an approval gate: whether it was approved. */
  boolean approved;

  final int total;
  final int skipped;
  final int budget;
  int succeeded;
  int failed;

  /** The group and wave of the latest failure, for messages. */
  int lastFailedGroup = -1;

  int lastFailedWave;
  final long startedAt;

  StepProgress(Step step, int[] hosts, int skipped, Grouping grouping, long startedAt) {
    this.step = step;
    this.total = hosts.length;
    this.skipped = skipped;
    this.startedAt = startedAt;
    this.budget = step.waves().maxFailures().budgetOf(hosts.length);
    groups = grouping.groups();
    groupNames = grouping.names();
    groupOfHost = grouping.groupOfHost();
    offset = new int[groups.length];
    batchRemaining = new int[groups.length];
    batches = new int[groups.length];
    resumeAt = new long[groups.length];
    Arrays.fill(resumeAt, -1);
    int parallel = Math.min(step.waves().parallel(), groups.length);
    for (int i = 0; i < parallel; i++) {
      ready.add(i);
    }
    openCount = parallel;
    nextGroup = parallel;
  }

  /**
   * A step's hosts in wave groups: groups in the order their first host comes, hosts in inventory
   * order within each. Only read, so the steps on the same hosts, grouped by the same key, share
   * one (a walk groups the same thousands of hypervisors at step after step).
   */
  record Grouping(int[][] groups, String[] names, int[] groupOfHost) {
    static Grouping of(int[] hosts, String key, Inventory inventory) {
      String[] valueOf = key == null ? null : inventory.firstValues(key);
      Map<String, Integer> groupIndex = new HashMap<>();
      List<String> names = new ArrayList<>();
      int[] groupOf = new int[inventory.size()];
      int[] sizes = new int[Math.max(1, hosts.length)];
      String lastName = null; // hosts of a group mostly come in a row: look each name up once
      int lastGroup = -1;
      for (int h : hosts) {
        String name = key == null ? "" : valueOf[h];
        if (!name.equals(lastName)) {
          Integer g = groupIndex.get(name);
          if (g == null) {
            g = names.size();
            groupIndex.put(name, g);
            names.add(name);
          }
          lastName = name;
          lastGroup = g;
        }
        groupOf[h] = lastGroup;
        sizes[lastGroup]++;
      }
      int[][] groups = new int[names.size()][];
      for (int g = 0; g < groups.length; g++) {
        groups[g] = new int[sizes[g]];
      }
      int[] fill = new int[groups.length];
      for (int h : hosts) {
        groups[groupOf[h]][fill[groupOf[h]]++] = h;
      }
      return new Grouping(groups, names.toArray(String[]::new), groupOf);
    }
  }

  public Step step() {
    return step;
  }

  /** Hosts the step runs on (not counting skipped ones). */
  public int total() {
    return total;
  }

  /** Hosts done with the step, successfully or not. */
  public int done() {
    return succeeded + failed;
  }

  public int succeeded() {
    return succeeded;
  }

  public int failed() {
    return failed;
  }

  public int skipped() {
    return skipped;
  }

  /** How many failures the step may have before the run halts. */
  public int budget() {
    return budget;
  }

  public int groupCount() {
    return groups.length;
  }

  /** The number of the batch a group is in (1-based; 0 before its first). */
  public int batchOf(int group) {
    return batches[group];
  }

  /** The number of batches a group has in all. */
  public int batchesOf(int group) {
    int size = step.waves().batch().batchOf(groups[group].length);
    return (groups[group].length + size - 1) / size;
  }

  public String groupName(int group) {
    return groupNames[group];
  }

  public long startedAt() {
    return startedAt;
  }

  /** Whether every group has run all its batches and nothing is left in flight. */
  boolean allDone() {
    return openCount == 0
        && nextGroup >= groups.length
        && checks.isEmpty()
        && redo.isEmpty()
        && awaiting.isEmpty()
        && unstartedCount == 0;
  }

  int batchSize(int group) {
    return step.waves().batch().batchOf(groups[group].length);
  }
}
