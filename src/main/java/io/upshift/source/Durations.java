package io.upshift.source;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads durations as plans and inventories write them: {@code 250ms}, {@code 90s}, {@code 5m},
 * {@code 1h30m}, {@code 2d}. One reader for every file, so that a timeout and a step's duration
 * mean the same words.
 */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

  private Durations() {}

  /** Milliseconds of a single duration such as {@code 1h30m}; null when unreadable. */
  public static Long millis(String text) {
    String t = text.trim();
    if (t.isEmpty() || t.length() > 40) {
      return null;
    }
    if (t.equals("0")) {
      return 0L;
    }
    Matcher m = PART.matcher(t);
    long total = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        return null;
      }
      end = m.end();
      double n = Double.parseDouble(m.group(1));
      long unit =
          switch (m.group(2)) {
            case "ms" -> 1L;
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            default -> 86_400_000L;
          };
      total += Math.round(n * unit);
      if (total > 365L * 86_400_000L) {
        return null;
      }
    }
    return end == t.length() ? total : null;
  }
}
