package io.upshift.source;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Finds the known word a user probably meant, for "did you mean" hints. */
public final class Suggest {
  private Suggest() {}

  /** The closest candidate within a small edit distance, if any is close enough. */
  public static Optional<String> closest(String typed, Collection<String> candidates) {
    String best = nearest(typed, candidates).orElse(null);
    int bestDistance = best == null ? Integer.MAX_VALUE : distance(lower(typed), lower(best));
    int allowed = Math.max(1, Math.min(3, typed.length() / 3));
    return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  /**
   * The candidate at the smallest edit distance (ignoring case), however far; the first of those at
   * that distance. Empty only without candidates.
   */
  public static Optional<String> nearest(String typed, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int d = distance(typed.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  /** "did you mean `x`?" or a list of the valid words when nothing is close. */
  public static String hint(String typed, Collection<String> candidates) {
    if (candidates.isEmpty()) {
      return null;
    }
    return closest(typed, candidates)
        .map(c -> "did you mean `" + c + "`?")
        .orElseGet(() -> "expected one of: " + String.join(", ", candidates));
  }

  /** Levenshtein distance with transpositions counted as one edit. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
