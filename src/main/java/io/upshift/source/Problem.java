package io.upshift.source;

/**
 * One thing wrong with a user's input: where it is, a stable rule id, what is wrong and what to do
 * about it. Printed as {@code FILE:LINE:COL: error[ID]: message} with the hint indented below.
 */
public record Problem(
    Position position, Severity severity, String id, String message, String hint) {

  /** The one-line form, then the hint on its own indented line when there is one. */
  public String render() {
    String head = position + ": " + severity.word() + "[" + id + "]: " + message;
    return hint == null || hint.isBlank() ? head : head + "\n  hint: " + hint;
  }
}
