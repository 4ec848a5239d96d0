package io.upshift.source;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads a YAML file into a tree of positioned {@link Node}s. Syntax errors, duplicate keys, and
 * inputs too large or too deep to be a plan become problems, never exceptions.
 */
public final class YamlSource {
  private static final int MAX_DEPTH = 64;
  private static final int MAX_CODE_POINTS = 32 * 1024 * 1024;

  /** The most values one file may stand for once aliases are expanded ("billion laughs"). */
  private static final int MAX_NODES = 2_000_000;

  private int nodes;

  /** Stops the conversion of a document that is too large; reported before it is thrown. */
  private static final class TooLarge extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super(null, null, false, false);
    }
  }

  private final Path file;
  private final Problems problems;

  private YamlSource(Path file, Problems problems) {
    this.file = file;
    this.problems = problems;
  }

  /**
   * Files up to this size are read whole and tried with {@link PlainYaml} first, which reads the
   * YAML plans are usually written in several times faster at start-up; the rest, and larger files,
   * go to SnakeYAML as a stream (with its limits).
   */
  private static final long PLAIN_MAX_BYTES = 1 << 20;

  /** Reads {@code file}; empty when it could not be read or parsed (the reason is in problems). */
  public static Optional<Node> read(Path file, Problems problems) {
    if (Files.isDirectory(file)) {
      problems.error(
          Position.none(file),
          "file-unreadable",
          "this is a folder, not a file",
          "name the YAML file");
      return Optional.empty();
    }
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      problems.error(
          Position.none(file),
          "file-unreadable",
          "this is not a regular file",
          "name the YAML file");
      return Optional.empty();
    }
    try {
      if (Files.size(file) <= PLAIN_MAX_BYTES) {
        String text;
        try {
          text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
          Characters.scan(file, problems); // says where
          return Optional.empty();
        }
        Characters.Found found = Characters.scan(file, text, problems);
        if (found == Characters.Found.UNREADABLE) {
          return Optional.empty(); // YAML would say only that the file holds such a character
        }
        Node plain = PlainYaml.parse(file, text);
        return plain != null ? Optional.of(plain) : parse(file, new StringReader(text), problems);
      }
      if (Characters.scan(file, problems) == Characters.Found.UNREADABLE) {
        return Optional.empty();
      }
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        return parse(file, reader, problems);
      }
    } catch (NoSuchFileException e) {
      problems.error(Position.none(file), "file-not-found", "no such file", "check the path");
    } catch (IOException | UncheckedIOException e) {
      problems.error(
          Position.none(file), "file-unreadable", "cannot read the file: " + e.getMessage(), null);
    }
    return Optional.empty();
  }

  /**
   * Tells nulls and merge keys from strings, and nothing else: every other scalar stays text, which
   * the readers convert themselves. Spares each scalar the checks for booleans, numbers and dates.
   */
  private static final Resolver SCALARS =
      new Resolver() {
        @Override
        protected void addImplicitResolvers() {
          addImplicitResolver(Tag.MERGE, MERGE, "<");
          addImplicitResolver(Tag.NULL, NULL, "~nN\0");
          addImplicitResolver(Tag.NULL, EMPTY, null);
        }
      };

  /** Parses YAML text that claims to come from {@code file}. */
  public static Optional<Node> parse(Path file, Reader reader, Problems problems) {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(100);
    options.setAllowRecursiveKeys(false);
    options.setNestingDepthLimit(MAX_DEPTH);
    options.setCodePointLimit(MAX_CODE_POINTS);
    YamlSource source = new YamlSource(file, problems);
    try {
      org.yaml.snakeyaml.nodes.Node root =
          new Composer(new ParserImpl(new StreamReader(reader), options), SCALARS, options)
              .getSingleNode();
      if (root == null) {
        problems.error(new Position(file, 1, 1), "empty-file", "the file is empty", null);
        return Optional.empty();
      }
      try {
        return Optional.ofNullable(source.convert(root, 0, new HashSet<>()));
      } catch (TooLarge e) {
        return Optional.empty();
      }
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      Position at = mark == null ? Position.none(file) : source.position(mark);
      String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
      problems.error(at, "yaml-syntax", "YAML syntax: " + oneLine(what), syntaxHint(e));
    } catch (YAMLException | IllegalArgumentException | IllegalStateException e) {
      Throwable cause = e.getCause();
      if (cause instanceof CharacterCodingException) {
        problems.error(
            Position.none(file),
            "file-unreadable",
            "the file is not UTF-8 text",
            "save it as UTF-8");
      } else if (cause instanceof IOException io) {
        problems.error(
            Position.none(file),
            "file-unreadable",
            "cannot read the file: " + io.getMessage(),
            null);
      } else if (String.valueOf(e.getMessage()).contains("Nesting Depth")) {
        problems.error(
            Position.none(file),
            "yaml-too-deep",
            "the document nests more than " + MAX_DEPTH + " levels deep",
            null);
      } else {
        problems.error(
            Position.none(file), "yaml-syntax", "YAML: " + oneLine(e.getMessage()), null);
      }
    }
    return Optional.empty();
  }

  private static String syntaxHint(MarkedYAMLException e) {
    String problem = String.valueOf(e.getProblem());
    if (problem.contains("got [") || problem.contains("'['")) {
      return "inside `{...}` a `[` starts a list: quote values with brackets, e.g. `name: \"hv-[001:210]\"`";
    }
    String context = e.getContext();
    if (context != null && context.contains("mapping")) {
      return "check the indentation and that every key is followed by `: `";
    }
    return "check the indentation and quoting near this place";
  }

  private static String oneLine(String s) {
    return s == null ? "unreadable input" : s.replaceAll("\\s+", " ").trim();
  }

  private Position position(Mark mark) {
    return new Position(file, mark.getLine() + 1, mark.getColumn() + 1);
  }

  private Node convert(
      org.yaml.snakeyaml.nodes.Node node, int depth, Set<org.yaml.snakeyaml.nodes.Node> path) {
    Position at = position(node.getStartMark());
    if (++nodes > MAX_NODES) {
      problems.error(
          at,
          "yaml-too-large",
          "the document stands for more than "
              + MAX_NODES
              + " values once its aliases are expanded",
          "use fewer aliases (`*name`); host ranges such as `hv-[0001:2100]` describe large fleets compactly");
      throw new TooLarge();
    }
    if (depth > MAX_DEPTH || !path.add(node)) {
      problems.error(
          at, "yaml-too-deep", "the document nests too deeply or refers to itself", null);
      return null;
    }
    // Type tests, not a switch on types: such a switch is linked through a class generated at
    // every start (the start-up cache cannot keep it), a few milliseconds of every command.
    try {
      if (node instanceof ScalarNode s) {
        return new Node.Scalar(at, s.getValue(), s.getTag().equals(Tag.NULL));
      }
      if (node instanceof SequenceNode s) {
        List<Node> items = new ArrayList<>();
        for (org.yaml.snakeyaml.nodes.Node item : s.getValue()) {
          Node converted = convert(item, depth + 1, path);
          if (converted != null) {
            items.add(converted);
          }
        }
        return new Node.Sequence(at, items);
      }
      if (node instanceof MappingNode m) {
        return mapping(m, at, depth, path);
      }
      problems.error(at, "yaml-unsupported", "unsupported YAML node", null);
      return null;
    } finally {
      path.remove(node);
    }
  }

  private Node mapping(
      MappingNode m, Position at, int depth, Set<org.yaml.snakeyaml.nodes.Node> path) {
    List<Node.Entry> entries = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (NodeTuple tuple : m.getValue()) {
      Position keyAt = position(tuple.getKeyNode().getStartMark());
      if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
        problems.error(keyAt, "yaml-key", "a key must be plain text", null);
        continue;
      }
      if (keyNode.getTag().equals(Tag.MERGE)) {
        problems.error(
            keyAt, "yaml-merge", "merge keys (`<<`) are not supported", "write the keys out");
        continue;
      }
      if (!seen.add(keyNode.getValue())) {
        problems.error(
            keyAt,
            "duplicate-key",
            "key `" + keyNode.getValue() + "` appears twice",
            "remove one of them");
        continue;
      }
      Node value = convert(tuple.getValueNode(), depth + 1, path);
      if (value != null) {
        entries.add(new Node.Entry(new Node.Scalar(keyAt, keyNode.getValue(), false), value));
      }
    }
    return new Node.Mapping(at, entries);
  }
}
