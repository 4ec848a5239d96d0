package io.upshift.plan;

import io.upshift.source.Durations;
import java.util.SplittableRandom;

/**
 * How long a step takes on one host, for rehearsal and prediction: a fixed time ({@code 5m}) or a
 * range drawn uniformly ({@code 2m..8m}). Times are whole milliseconds so that the simulated
 * arithmetic is exact.
 */
public record DurationModel(long minMillis, long maxMillis) {
  public static DurationModel fixed(long millis) {
    return new DurationModel(millis, millis);
  }

  /** One draw from the model. */
  public long sample(SplittableRandom random) {
    return minMillis == maxMillis
        ? minMillis
        : minMillis + random.nextLong(maxMillis - minMillis + 1);
  }

  /** The mean of the model. */
  public long expectedMillis() {
    return (minMillis + maxMillis) / 2;
  }

  /** The 95th percentile of the model. */
  public long p95Millis() {
    return minMillis + Math.round((maxMillis - minMillis) * 0.95);
  }

  /**
   * Parses {@code 5m}, {@code 1h30m}, {@code 90s}, {@code 250ms} or a range {@code 2m..8m}; null
   * when the text is not a duration.
   */
  public static DurationModel parse(String text) {
    String t = text.trim();
    int dots = t.indexOf("..");
    if (dots >= 0) {
      Long min = millis(t.substring(0, dots));
      Long max = millis(t.substring(dots + 2));
      return min == null || max == null || max < min ? null : new DurationModel(min, max);
    }
    Long fixed = millis(t);
    return fixed == null ? null : fixed(fixed);
  }

  /** Milliseconds of a single duration such as {@code 1h30m}; null when unreadable. */
  public static Long millis(String text) {
    return Durations.millis(text);
  }

  /** A compact human form: {@code 45m}, {@code 1h05m}, {@code 2m..8m}. */
  public static String format(long millis) {
    long s = Math.round(millis / 1000.0);
    if (s < 60) {
      return millis < 1000 && millis > 0 ? millis + "ms" : s + "s";
    }
    long h = s / 3600;
    long m = (s % 3600) / 60;
    long sec = s % 60;
    if (h > 0) {
      return h + "h" + twoDigits(m) + "m";
    }
    return sec == 0 ? m + "m" : m + "m" + twoDigits(sec) + "s";
  }

  /** {@code 0..59} as two digits ({@code String.format}'s first use loads the locale's formats). */
  private static String twoDigits(long n) {
    return n < 10 ? "0" + n : Long.toString(n);
  }

  @Override
  public String toString() {
    return minMillis == maxMillis
        ? format(minMillis)
        : format(minMillis) + ".." + format(maxMillis);
  }
}
