package io.upshift.source;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects every problem found in an input instead of stopping at the first, so that a user fixes a
 * plan in one pass.
 */
public final class Problems {
  private static final int LIMIT = 500;
  private final List<Problem> list = new ArrayList<>();
  private int dropped;

  public void error(Position at, String id, String message, String hint) {
    add(new Problem(at, Severity.ERROR, id, message, hint));
  }

  public void warning(Position at, String id, String message, String hint) {
    add(new Problem(at, Severity.WARNING, id, message, hint));
  }

  public void add(Problem problem) {
    if (list.size() < LIMIT) {
      list.add(problem);
    } else {
      dropped++;
    }
  }

  public void addAll(Problems other) {
    other.list.forEach(this::add);
    dropped += other.dropped;
  }

  public boolean hasErrors() {
    return list.stream().anyMatch(p -> p.severity() == Severity.ERROR);
  }

  public int errorCount() {
    int errors = dropped;
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).severity() == Severity.ERROR) {
        errors++;
      }
    }
    return errors;
  }

  /** Problems sorted by file, line and column; errors before warnings at one place. */
  public List<Problem> sorted() {
    if (list.isEmpty()) {
      return List.of(); // the usual case, without linking the comparator's lambdas at start-up
    }
    return list.stream()
        .sorted(
            Comparator.comparing((Problem p) -> String.valueOf(p.position().file()))
                .thenComparingInt(p -> p.position().line())
                .thenComparingInt(p -> p.position().column())
                .thenComparing(Problem::severity))
        .toList();
  }

  /** How many problems were not kept because there were too many to be useful. */
  public int dropped() {
    return dropped;
  }

  /** Throws {@link InvalidInputException} when any error was collected. */
  public void throwIfErrors() {
    if (hasErrors()) {
      throw new InvalidInputException(this);
    }
  }
}
