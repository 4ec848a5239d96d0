package io.upshift.plan;

/**
 * A count of hosts written either as a number ({@code 100}) or as a share of a whole ({@code 10%}).
 * Used for batch sizes and failure budgets.
 */
public record Amount(double value, boolean percent) {
  public static final Amount ALL = new Amount(100, true);
  public static final Amount NONE = new Amount(0, false);

  /**
   * The number of hosts this stands for out of {@code total}. A batch share rounds up and is at
   * least one (10% of 5 hosts is a batch of 1); use {@link #budgetOf} for failure budgets.
   */
  public int batchOf(int total) {
    if (!percent) {
      return (int) Math.max(1, Math.min(value, Integer.MAX_VALUE));
    }
    return (int) Math.max(1, Math.ceil(total * value / 100.0 - 1e-9));
  }

  /** A failure budget out of {@code total}: a share rounds down (2% of 1,000 hosts is 20). */
  public int budgetOf(int total) {
    return percent ? (int) Math.floor(total * value / 100.0 + 1e-9) : (int) value;
  }

  /** Parses {@code 100} or {@code 10%}; null when unreadable or negative. */
  public static Amount parse(String text) {
    String t = text.trim();
    boolean percent = t.endsWith("%");
    String number = percent ? t.substring(0, t.length() - 1).trim() : t;
    try {
      double v = Double.parseDouble(number);
      if (Double.isNaN(v)
          || v < 0
          || (percent && v > 100)
          || (!percent && v != Math.floor(v))
          || v > 1e9) {
        return null;
      }
      return new Amount(v, percent);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return percent
        ? (value == Math.floor(value) ? (long) value + "%" : value + "%")
        : Long.toString((long) value);
  }
}
