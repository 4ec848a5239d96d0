package io.upshift.verify;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntBinaryOperator;

/**
 * For one rule, how many hosts of each scope are at each release, per slot (a component the rule
 * looks at), kept up to date as hosts change, so that a batch does not rescan its whole scope: the
 * hosts outside the batch are the tally minus the batch's own hosts.
 *
 * <p>A host's contribution to a slot is a release rank, or -1 for none. It is read through {@code
 * read(slot, host)} from the fleet; hosts whose state may have changed are marked {@link
 * #dirty(int)} and read again at the next {@link #refresh()}.
 */
final class Tally {
  private final Scopes scopes;
  private final int slots;
  private final int releases;
  private final IntBinaryOperator read;
  private final Map<String, Integer> keyIndex = new HashMap<>();
  private final int[] keyOfHost; // -1: not a member of any scope
  private final byte[][] seen; // [slot][host]: the contribution counted now
  private final int[][][] counts; // [key][slot][release]
  private final BitSet dirty = new BitSet();

  Tally(Scopes scopes, int hosts, int slots, int releases, IntBinaryOperator read) {
    this.scopes = scopes;
    this.slots = slots;
    this.releases = releases;
    this.read = read;
    this.keyOfHost = new int[hosts];
    Arrays.fill(keyOfHost, -1);
    for (String key : scopes.keys()) {
      int k = keyIndex.size();
      keyIndex.put(key, k);
      for (int h : scopes.members(key)) {
        keyOfHost[h] = k;
      }
    }
    this.counts = new int[keyIndex.size()][slots][releases];
    this.seen = new byte[slots][hosts];
    for (byte[] s : seen) {
      Arrays.fill(s, (byte) -1);
    }
    for (int h = 0; h < hosts; h++) {
      if (keyOfHost[h] >= 0) {
        dirty.set(h);
      }
    }
    refresh();
  }

  /** The host's state may have changed: read it again at the next refresh. */
  void dirty(int host) {
    if (keyOfHost[host] >= 0) {
      dirty.set(host);
    }
  }

  /** Reads every dirty host again. */
  void refresh() {
    for (int h = dirty.nextSetBit(0); h >= 0; h = dirty.nextSetBit(h + 1)) {
      int[][] c = counts[keyOfHost[h]];
      for (int s = 0; s < slots; s++) {
        int now = read.applyAsInt(s, h);
        if (now < 0 || now >= releases) {
          now = -1;
        }
        int before = seen[s][h];
        if (now != before) {
          if (before >= 0) {
            c[s][before]--;
          }
          if (now >= 0) {
            c[s][now]++;
          }
          seen[s][h] = (byte) now;
        }
      }
    }
    dirty.clear();
  }

  /**
   * Per slot and release, how many hosts of the scope outside {@code excluded} are at it (after a
   * refresh).
   */
  int[][] outside(String key, int[] excluded) {
    Integer k = keyIndex.get(key);
    int[][] out = new int[slots][];
    for (int s = 0; s < slots; s++) {
      out[s] = k == null ? new int[releases] : counts[k][s].clone();
    }
    if (k == null) {
      return out;
    }
    for (int h : excluded) {
      if (keyOfHost[h] == k) {
        for (int s = 0; s < slots; s++) {
          if (seen[s][h] >= 0) {
            out[s][seen[s][h]]--;
          }
        }
      }
    }
    return out;
  }

  /** Whether the host is a member of the scope {@code key}. */
  boolean in(String key, int host) {
    Integer k = keyIndex.get(key);
    return k != null && keyOfHost[host] == k;
  }

  Scopes scopes() {
    return scopes;
  }
}
