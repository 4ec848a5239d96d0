package io.upshift.source;

import java.util.List;
import java.util.Optional;

/**
 * A YAML value with the position it was read from. The plan and inventory loaders read these
 * instead of binding straight to classes, so that every error, including a wrong type, can point at
 * a line and column.
 */
public sealed interface Node {

  /** Where the value starts in its file. */
  Position at();

  /** A short name of the kind of value, for messages: "a mapping", "a list", "`text`". */
  String describe();

  /** A scalar: text, a number, a boolean, or null ({@code ~}, empty). */
  record Scalar(Position at, String value, boolean isNull) implements Node {
    @Override
    public String describe() {
      return isNull ? "nothing" : "`" + value + "`";
    }
  }

  /** A sequence of values. */
  record Sequence(Position at, List<Node> items) implements Node {
    @Override
    public String describe() {
      return "a list";
    }
  }

  /** A mapping, its entries in file order. */
  record Mapping(Position at, List<Entry> entries) implements Node {
    @Override
    public String describe() {
      return "a mapping";
    }

    // A loop, not a stream: every field of a plan is looked up here, mostly before the JIT has
    // compiled anything, and a stream costs the interpreter a pipeline of objects per lookup.
    public Optional<Entry> entry(String key) {
      for (Entry e : entries) {
        if (e.key().value().equals(key)) {
          return Optional.of(e);
        }
      }
      return Optional.empty();
    }

    public Optional<Node> get(String key) {
      for (Entry e : entries) {
        if (e.key().value().equals(key)) {
          return Optional.of(e.value());
        }
      }
      return Optional.empty();
    }
  }

  /** One key and its value. */
  record Entry(Scalar key, Node value) {}
}
