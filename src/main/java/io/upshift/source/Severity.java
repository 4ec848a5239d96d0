package io.upshift.source;

import java.util.Locale;

/** How bad a problem is. */
public enum Severity {
  /** The input cannot be used as it is; the command fails with exit code 1. */
  ERROR,
  /** The input can be used, but probably does not say what its author meant. */
  WARNING;

  /** The lower-case word printed in front of a message, as compilers do. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
