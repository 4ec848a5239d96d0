package io.upshift.source;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the keys of one YAML mapping, reporting wrong types where they stand and, when done, every
 * key nobody asked for as an unknown key with a "did you mean" hint.
 */
public final class Fields {
  private final Node.Mapping map;
  private final String what;
  private final Problems problems;
  private final Set<String> known;
  private final Set<String> read = new HashSet<>();

  private Fields(Node.Mapping map, String what, Problems problems, Set<String> known) {
    this.map = map;
    this.what = what;
    this.problems = problems;
    this.known = known;
  }

  /**
   * Opens {@code node} as a mapping describing {@code what} (for messages) with the given keys;
   * empty, with an error, when it is not a mapping.
   */
  public static Optional<Fields> of(Node node, String what, Problems problems, String... keys) {
    if (node instanceof Node.Mapping m) {
      return Optional.of(new Fields(m, what, problems, new LinkedHashSet<>(List.of(keys))));
    }
    problems.error(
        node.at(),
        "wrong-type",
        what + " must be a mapping of keys, found " + node.describe(),
        null);
    return Optional.empty();
  }

  public Node.Mapping mapping() {
    return map;
  }

  public Position at() {
    return map.at();
  }

  public Problems problems() {
    return problems;
  }

  /** Whether the key is present. Marks it as read. */
  public boolean has(String key) {
    read.add(key);
    return map.get(key).isPresent();
  }

  /** The raw value of a key. */
  public Optional<Node> node(String key) {
    read.add(key);
    return map.get(key);
  }

  /** The position of a key's value, or of the mapping when absent. */
  public Position at(String key) {
    return map.get(key).map(Node::at).orElse(map.at());
  }

  /** A text value; a wrong type is reported and reads as empty. */
  public Optional<String> string(String key) {
    return node(key).flatMap(n -> text(n, "`" + key + "`"));
  }

  /** A text value that must be an http:// or https:// URL; anything else is reported. */
  public Optional<String> url(String key) {
    Optional<String> v = string(key);
    v.ifPresent(
        u -> {
          if (!u.startsWith("http://") && !u.startsWith("https://")) {
            problems.error(
                at(key),
                "wrong-type",
                "`" + key + "` must be an http:// or https:// URL, found `" + u + "`",
                null);
          }
        });
    return v;
  }

  /** A text value that must be present. */
  public Optional<String> requiredString(String key) {
    if (!has(key)) {
      problems.error(map.at(), "missing-key", what + " needs `" + key + "`", null);
      return Optional.empty();
    }
    return string(key);
  }

  /** A value parsed by {@code parse}, which returns null for text it does not accept. */
  public <T> Optional<T> parsed(String key, String expected, Function<String, T> parse) {
    return node(key).flatMap(n -> parse(n, "`" + key + "`", expected, parse, problems));
  }

  /** A whole number within bounds. */
  public Optional<Integer> integer(String key, int min, int max) {
    return parsed(
        key,
        "a whole number from " + min + " to " + max,
        s -> {
          try {
            int v = Integer.parseInt(s.trim());
            return v >= min && v <= max ? v : null;
          } catch (NumberFormatException e) {
            return null;
          }
        });
  }

  /** One text value or a list of them. */
  public List<Node.Scalar> scalars(String key) {
    return node(key).map(n -> scalars(n, "`" + key + "`", problems)).orElse(List.of());
  }

  /** Reports every key that no reader asked for. */
  public void finish() {
    for (Node.Entry entry : map.entries()) {
      String key = entry.key().value();
      if (!read.contains(key) && !known.contains(key)) {
        problems.error(
            entry.key().at(),
            "unknown-key",
            "unknown key `" + key + "` in " + what,
            Suggest.hint(key, known));
      }
    }
  }

  /** Marks keys as handled elsewhere (so finish does not report them). */
  public void accept(String key) {
    read.add(key);
  }

  /** The text of a scalar node, reporting anything else. */
  public static Optional<String> text(Node n, String what, Problems problems) {
    if (n instanceof Node.Scalar s && !s.isNull()) {
      return Optional.of(s.value());
    }
    problems.error(n.at(), "wrong-type", what + " must be text, found " + n.describe(), null);
    return Optional.empty();
  }

  private Optional<String> text(Node n, String name) {
    return text(n, name, problems);
  }

  /** Parses a scalar with {@code parse}; null from it means "not accepted". */
  public static <T> Optional<T> parse(
      Node n, String name, String expected, Function<String, T> parse, Problems problems) {
    if (n instanceof Node.Scalar s && !s.isNull()) {
      T value = parse.apply(s.value());
      if (value != null) {
        return Optional.of(value);
      }
    }
    problems.error(
        n.at(), "wrong-type", name + " must be " + expected + ", found " + n.describe(), null);
    return Optional.empty();
  }

  /** A scalar or a list of scalars as a list. */
  public static List<Node.Scalar> scalars(Node n, String name, Problems problems) {
    List<Node.Scalar> out = new ArrayList<>();
    if (n instanceof Node.Scalar s && !s.isNull()) {
      out.add(s);
    } else if (n instanceof Node.Sequence seq) {
      for (Node item : seq.items()) {
        if (item instanceof Node.Scalar s && !s.isNull()) {
          out.add(s);
        } else {
          problems.error(
              item.at(),
              "wrong-type",
              "items of " + name + " must be text, found " + item.describe(),
              null);
        }
      }
    } else {
      problems.error(
          n.at(),
          "wrong-type",
          name + " must be text or a list of text, found " + n.describe(),
          null);
    }
    return out;
  }
}
