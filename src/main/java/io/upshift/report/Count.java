package io.upshift.report;

/**
 * Counts as Upshift prints them: {@code 2,164}, with a comma every three digits whatever the
 * machine's locale, so that a summary reads the same to a script on any host. Cheaper than {@code
 * %,d}, whose first use loads the locale's number formats.
 */
public final class Count {
  private Count() {}

  /** {@code n} with thousands separators. */
  public static String of(long n) {
    String digits = Long.toString(n);
    int sign = n < 0 ? 1 : 0;
    int len = digits.length() - sign;
    if (len <= 3) {
      return digits;
    }
    StringBuilder b = new StringBuilder(digits.length() + len / 3);
    b.append(digits, 0, sign);
    int first = len % 3 == 0 ? 3 : len % 3;
    b.append(digits, sign, sign + first);
    for (int i = sign + first; i < digits.length(); i += 3) {
      b.append(',').append(digits, i, i + 3);
    }
    return b.toString();
  }
}
