package io.upshift.source;

import java.nio.file.Path;

/**
 * A place in a user's file: the file, a 1-based line and a 1-based column. Every value read from a
 * plan or an inventory keeps one, so that an error can say where it comes from.
 */
public record Position(Path file, int line, int column) {

  /** A position for values that did not come from a file (defaults, command-line options). */
  public static Position none(Path file) {
    return new Position(file, 0, 0);
  }

  @Override
  public String toString() {
    String name = file == null ? "<input>" : file.toString();
    return line <= 0 ? name : name + ":" + line + ":" + column;
  }
}
