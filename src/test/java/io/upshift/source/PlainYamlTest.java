package io.upshift.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plain reader gives SnakeYAML's tree, positions and nulls included, or declines: on every YAML
 * file of the project, on the constructs it knows and the ones it leaves to SnakeYAML, and on
 * thousands of variants made by editing the project's files at random.
 */
class PlainYamlTest {
  private static final Path FILE = Path.of("test.yaml");

  /** SnakeYAML's tree of {@code text}, or null when it finds something wrong. */
  private static Node snake(String text) {
    Problems problems = new Problems();
    Node node = YamlSource.parse(FILE, new StringReader(text), problems).orElse(null);
    return problems.sorted().isEmpty() ? node : null;
  }

  /** Asserts that the plain reader agrees with SnakeYAML; returns whether it read the text. */
  private static boolean agrees(String text) {
    Node plain = PlainYaml.parse(FILE, text);
    if (plain != null) {
      assertThat(plain).as("the plain reader's tree of:\n%s", text).isEqualTo(snake(text));
    }
    return plain != null;
  }

  static List<Path> projectFiles() throws IOException {
    List<Path> out = new ArrayList<>();
    for (String dir : List.of("examples", "lab", "src/test/resources")) {
      try (Stream<Path> files = Files.walk(Path.of(dir))) {
        files.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(out::add);
      }
    }
    return out;
  }

  @Test
  void readsEveryYamlFileOfTheProjectAsSnakeYamlDoes() throws IOException {
    List<Path> files = projectFiles();
    assertThat(files).hasSizeGreaterThanOrEqualTo(8);
    for (Path p : files) {
      String text = Files.readString(p);
      assertThat(agrees(text)).as("the plain reader reads %s", p).isTrue();
      String crlf = text.replace("\n", "\r\n"); // as saved on Windows
      assertThat(agrees(crlf)).as("the plain reader reads %s with CRLF", p).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a: b\n",
        "a: b",
        "a:\n  b: c\n  d: e\nf: g\n",
        "a:\n- x\n- y\nb: z\n",
        "a:\n  - x\n  - {k: v, l: [1, 2]}\n",
        "a:\n  - name: x\n    roles: [r1, r2]\n  - name: y\n",
        "a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: ''\ng: \"\"\nh: nil\n",
        "\"quoted key\": 1\n'single': 2\n",
        "a: \"x \\\" \\\\ \\n \\t \\u00e9 /\"\n",
        "a: 'it''s'\n",
        "a: text with  two spaces   # and a comment\n",
        "# a comment\n\na: b # c\n  # indented comment\nc: d\n",
        "a: >\n  folded\n  text\n\n  second\nb: c\n",
        "a: |\n  literal\n    indented\n  text\nb: c\n",
        "a: >-\n  stripped\n\n\nb: c\n",
        "a: |+\n  kept\n\n\nb: c\n",
        "a: |\n  last\n",
        "a: [x, 'y', \"z\", [n], {m: o}]\n",
        "a: {}\nb: []\n",
        "a: -5\nb: ?x\nc: 50%\nd: 4m..6m\ne: http://x:8080/y\n",
        "a: \"http://{{address}}:8777/\"\n",
        "a: b#c\n",
        "a b: c\n",
        "a:    \n  b: c\n",
        "héllo: wörld ✓\n",
      })
  void readsWhatPlansAreWrittenInAsSnakeYamlDoes(String text) {
    assertThat(agrees(text)).as("the plain reader reads:\n%s", text).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "# only a comment\n",
        "a: &x 1\nb: *x\n",
        "a: !tag b\n",
        "a: plain\n  over two lines\n",
        "a: \"quoted\n  over two lines\"\n",
        "a:\tb\n",
        "a: b\rc: d\r",
        "---\na: b\n",
        "a: b\n...\n",
        "%YAML 1.1\n---\na: b\n",
        "- a\n- b\n",
        "scalar\n",
        "a: b\na: c\n",
        "<<: {a: b}\n",
        "a: [x,\n  y]\n",
        "a: b: c\n",
        "a: [x, ]\n",
        "a: {k}\n",
        "? complex\n: key\n",
        "a: >2\n   indented\n",
        "a: >\n  folded\n    more indented\n",
        "a: \"\\x41\"\n",
        "a: 😀\n",
        "a:\n -\n  b\n",
        "a: 'x' y\n",
        "a: [x] y\n",
        "  a: b\n",
        "a: b\n c: d\n",
      })
  void leavesTheRestToSnakeYaml(String text) {
    assertThat(PlainYaml.parse(FILE, text)).as("the plain reader declines:\n%s", text).isNull();
  }

  /** Characters that make and break YAML, for the variants below. */
  private static final String EDITS = " -:#'\"[]{},\n|>a~&*!?%\\\t0.";

  private static final String[] PIECES = {
    "- ",
    ": ",
    " #",
    "|-",
    ">+",
    "\"\\n\"",
    "{a: b}",
    "[x, y]",
    "''",
    "\n  ",
    "\n- ",
    "~",
    " : ",
    "? ",
    "'a''b'",
    "\"\\u0041\"",
    "|\n  x\n",
    ">\n  y\n\n  z\n",
    "x: |\n",
    "  # c\n"
  };

  @Test
  void agreesOnThousandsOfVariantsOfTheProjectsFiles() throws IOException {
    SplittableRandom random = new SplittableRandom(20261126);
    int read = 0;
    int variants = 0;
    for (Path p : projectFiles()) {
      String original = Files.readString(p);
      for (int i = 0; i < 300; i++) {
        String text = original;
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
          text = edit(text, random);
        }
        variants++;
        if (agrees(text)) {
          read++;
        }
      }
    }
    // most edits break the text or leave plain YAML; both kinds must be well represented
    assertThat(read).as("variants read by the plain reader").isGreaterThan(variants / 5);
    assertThat(variants - read).as("variants left to SnakeYAML").isGreaterThan(variants / 10);
  }

  @Test
  void agreesOnThousandsOfGeneratedDocuments() {
    Generator g = new Generator(new SplittableRandom(7));
    int read = 0;
    int documents = 2000;
    for (int i = 0; i < documents; i++) {
      String text = g.document();
      assertThat(snake(text)).as("a generated document is valid:\n%s", text).isNotNull();
      if (agrees(text)) {
        read++;
      }
    }
    assertThat(read).as("documents read by the plain reader").isGreaterThan(documents / 2);
  }

  /**
   * Valid YAML documents in the styles plans use: nested mappings and lists (some written at their
   * key's indentation), items that are mappings, plain, quoted and flow values, folded and literal
   * block scalars with each chomping, blank lines and comments.
   */
  private static final class Generator {
    private static final String[] PLAIN = {
      "a",
      "b c",
      "x-1",
      "50%",
      "4m..6m",
      "http://h:1/p",
      "~",
      "null",
      "it's",
      "a#b",
      "-5",
      "?x",
      "héllo",
      "a  b",
      "yes",
      "1.5",
      "v1"
    };
    private final SplittableRandom r;

    Generator(SplittableRandom r) {
      this.r = r;
    }

    String document() {
      StringBuilder b = new StringBuilder();
      int keys = 1 + r.nextInt(4);
      for (int k = 0; k < keys; k++) {
        node(b, 0, 0, "key" + k + ":");
      }
      return b.toString();
    }

    private String scalar() {
      String p = PLAIN[r.nextInt(PLAIN.length)];
      return switch (r.nextInt(6)) {
        case 0 -> "'" + p.replace("'", "''") + "'";
        case 1 -> "\"" + p.replace("\"", "\\\"") + (r.nextBoolean() ? "\\n\\t" : "") + "\"";
        default -> p;
      };
    }

    private String flow(int depth) {
      if (depth > 2 || r.nextInt(3) == 0) {
        String s = scalar();
        return s.contains(":") || s.contains("#") || s.contains("?") ? "'q'" : s;
      }
      List<String> items = new ArrayList<>();
      boolean list = r.nextBoolean();
      for (int i = r.nextInt(4); i > 0; i--) {
        items.add(list ? flow(depth + 1) : "k" + i + ": " + flow(depth + 1));
      }
      return list ? "[" + String.join(", ", items) + "]" : "{" + String.join(", ", items) + "}";
    }

    /** A node after {@code head} ("key:" or "-"), for a node indented by {@code indent}. */
    private void node(StringBuilder b, int indent, int depth, String head) {
      switch (depth > 3 ? 0 : r.nextInt(6)) {
        case 0, 1 ->
            b.append(head)
                .append(' ')
                .append(r.nextInt(4) == 0 ? flow(0) : scalar())
                .append(r.nextInt(5) == 0 ? " # c" : "")
                .append('\n');
        case 2 -> {
          b.append(head).append(r.nextBoolean() ? " |" : " >");
          b.append(new String[] {"", "-", "+"}[r.nextInt(3)]).append('\n');
          for (int i = 0; i < 1 + r.nextInt(4); i++) {
            if (i > 0 && r.nextInt(4) == 0) {
              b.append('\n');
            }
            b.append(" ".repeat(indent + 2)).append("line ").append(i);
            b.append(r.nextInt(6) == 0 ? " #x" : "").append('\n');
          }
          if (r.nextInt(3) == 0) {
            b.append('\n');
          }
        }
        case 3, 4 -> {
          b.append(head).append('\n');
          for (int i = 0; i < 1 + r.nextInt(3); i++) {
            if (r.nextInt(6) == 0) {
              b.append(" ".repeat(r.nextInt(indent + 3))).append("# comment\n");
            }
            node(b, indent + 2, depth + 1, " ".repeat(indent + 2) + "m" + i + ":");
          }
        }
        default -> {
          b.append(head).append('\n');
          int dash = head.endsWith(":") && r.nextBoolean() ? indent : indent + 2;
          for (int i = 0; i < 1 + r.nextInt(3); i++) {
            if (r.nextBoolean()) {
              node(b, dash + 2, depth + 1, " ".repeat(dash) + "-");
            } else {
              b.append(" ".repeat(dash)).append("- n").append(i).append(": ").append(scalar());
              b.append('\n');
              if (r.nextBoolean()) {
                node(b, dash + 2, depth + 1, " ".repeat(dash + 2) + "o" + i + ":");
              }
            }
          }
        }
      }
    }
  }

  private static String edit(String text, SplittableRandom random) {
    if (text.isEmpty()) {
      return "a: b\n";
    }
    String[] lines = text.split("\n", -1);
    int at = random.nextInt(text.length());
    int line = random.nextInt(lines.length);
    switch (random.nextInt(8)) {
      case 0 -> {
        return text.substring(0, at) + text.substring(at + 1); // delete a character
      }
      case 1 -> {
        char c = EDITS.charAt(random.nextInt(EDITS.length()));
        return text.substring(0, at) + c + text.substring(at); // insert one
      }
      case 2 -> lines[line] = "  " + lines[line]; // indent a line
      case 3 -> lines[line] = lines[line].replaceFirst("^ ", ""); // dedent it
      case 4 -> lines[line] = ""; // blank it
      case 7 -> { // insert a piece of YAML
        String piece = PIECES[random.nextInt(PIECES.length)];
        return text.substring(0, at) + piece + text.substring(at);
      }
      case 5 -> { // swap it with the next
        int next = Math.min(lines.length - 1, line + 1);
        String swap = lines[line];
        lines[line] = lines[next];
        lines[next] = swap;
      }
      default -> lines[line] = lines[line] + lines[line].strip(); // repeat its text
    }
    return String.join("\n", lines);
  }
}
