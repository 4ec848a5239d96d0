package io.upshift.source;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A place in a user's file: the file, a 1-based line and a 1-based column. Every value read from a
 * plan or an inventory keeps one, so that an error can say where it comes from.
 */
public record Position(Path file, int line, int column) {

  /** A position for values that did not come from a file (defaults, command-line options). */
  public static Position none(Path file) {
    return new Position(file, 0, 0);
  }

  // Written out rather than generated: a record's generated equals and hashCode are linked at
  // their first call, which costs more at start-up than every later comparison of a plan load.
  @Override
  public boolean equals(Object o) {
    return o instanceof Position p
        && line == p.line
        && column == p.column
        && Objects.equals(file, p.file);
  }

  @Override
  public int hashCode() {
    return (Objects.hashCode(file) * 31 + line) * 31 + column;
  }

  @Override
  public String toString() {
    String name = file == null ? "<input>" : file.toString();
    return line <= 0 ? name : name + ":" + line + ":" + column;
  }
}
