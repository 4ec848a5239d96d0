package io.upshift.source;

/**
 * Thrown when a user's input (a plan, an inventory, an option) cannot be used. It carries every
 * problem found; the command line prints them one per line and exits with code 1, never a stack
 * trace.
 */
public final class InvalidInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Problems problems;

  public InvalidInputException(Problems problems) {
    super(problems.errorCount() + " error(s)", null, false, false);
    this.problems = problems;
  }

  public Problems problems() {
    return problems;
  }
}
