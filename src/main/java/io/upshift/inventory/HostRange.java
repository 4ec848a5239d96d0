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
    // one builder for every name: a range of thousands is expanded before the JIT compiles this
    StringBuilder b = new StringBuilder(head);
    for (long i = from; i <= to; i++) {
      b.setLength(head.length());
      String digits = Long.toString(i);
      for (int pad = width - digits.length(); pad > 0; pad--) {
        b.append('0');
      }
      b.append(digits);
      int length = b.length();
      for (String tail : tails) {
        b.setLength(length);
        out.add(b.append(tail).toString());
      }
    }
    return out;
  }
}
