package io.upshift.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands host name patterns with numeric ranges, as operators write them: {@code
 * hv-gva1-[0001:0210]} is 210 names from hv-gva1-0001 to hv-gva1-0210, keeping the zero padding of
 * the first bound. Several ranges in one name multiply.
 */
public final class HostRange {
  /** The most names one pattern may produce, to keep a typo from eating the heap. */
  public static final int MAX_NAMES = 1_000_000;

  private static final Pattern RANGE = Pattern.compile("\\[(\\d{1,9}):(\\d{1,9})]");

  private HostRange() {}

  private static String pad(long n, int width) {
    String digits = Long.toString(n);
    return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
  }

  /**
   * The names a pattern stands for.
   *
   * @throws IllegalArgumentException with a user-facing message when the range is malformed
   */
  public static List<String> expand(String pattern) {
    if (pattern.indexOf('[') < 0 && pattern.indexOf(']') < 0) {
      return List.of(pattern);
    }
    Matcher m = RANGE.matcher(pattern);
    if (!m.find()) {
      throw new IllegalArgumentException(
          "a range is written `[FIRST:LAST]` with numbers, as in `hv-[0001:0210]`");
    }
    String first = m.group(1);
    long from = Long.parseLong(first);
    long to = Long.parseLong(m.group(2));
    if (to < from) {
      throw new IllegalArgumentException(
          "range [" + first + ":" + m.group(2) + "] counts down; write the smaller number first");
    }
    int width = first.length() > 1 && first.startsWith("0") ? first.length() : 0;
    String head = pattern.substring(0, m.start());
    List<String> tails = expand(pattern.substring(m.end()));
    long count = (to - from + 1) * tails.size();
    if (count > MAX_NAMES) {
      throw new IllegalArgumentException(
          "pattern makes " + count + " names, more than " + MAX_NAMES);
    }
    List<String> out = new ArrayList<>((int) count);
    for (long i = from; i <= to; i++) {
      String number = pad(i, width);
      for (String tail : tails) {
        out.add(head + number + tail);
      }
    }
    return out;
  }
}
