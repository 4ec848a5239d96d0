package io.upshift.plan;

/**
 * How a step rolls over its hosts. The hosts are split into groups (by {@code groupBy}, e.g. one
 * group per cell; one group when null), {@code parallel} groups run at once, and inside a group the
 * hosts go in batches: a batch starts when the previous one has finished and {@code pause} has
 * passed. A host that fails counts against {@code maxFailures}; when the failures of the step
 * exceed it, no new batch starts and the run halts.
 *
 * <p>Worked example: 1,000 hosts, batch 100, one group: 10 batches one after the other; with a
 * fixed 60 s step the step takes 10 × 60 s = 600 s. With {@code groupBy: cell}, 10 cells of 100
 * hosts, {@code parallel: 10} and batch 10: each cell runs 10 batches of 10, all cells at once,
 * again 600 s.
 */
public record Waves(
    Amount batch, String groupBy, int parallel, long pauseMillis, Amount maxFailures) {
  /** Every host at once, no pause, no failure allowed. */
  public static final Waves DEFAULT = new Waves(Amount.ALL, null, 1, 0, Amount.NONE);
}
