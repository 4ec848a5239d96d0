package io.upshift.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every hostile value in every place a value can go, rendered and run by a real /bin/sh (and bash
 * where there is one): the command prints the value byte for byte, and nothing in it ran (no file
 * {@code pwned} appears). A value that cannot go where it stands (a NUL; a line that would end its
 * here-document) is refused, and nothing runs.
 */
class ShellQuoteTest {
  @TempDir Path dir;

  private static final List<String> VALUES =
      List.of(
          "plain",
          "",
          "$(touch pwned)",
          "`touch pwned`",
          "'; touch pwned; '",
          "'",
          "\"; touch pwned; \"",
          "\\\"; touch pwned; #",
          "\\",
          "a\\",
          "\\\\'\\\"\\$\\`",
          "${PATH} $HOME $1 $$ ${x:-$(touch pwned)}",
          "* ? [a] ~ ~root",
          "line one\nline two\n",
          "\n",
          "\n\n",
          "a\tb\r\nc\r",
          "-n",
          "$'\\x41' $\"x\"",
          "!! #!/bin/sh",
          "}; touch pwned; {",
          ") ; touch pwned ; (",
          "$((1+1)) $[1+1]",
          "%s %n %%",
          "\u0001\u001b[2J\u007f",
          "ünï ☃ 𝄞 \u202e",
          "EOF",
          " EOF",
          "x\nEOF\ntouch pwned\nEOF\n",
          "x\nA\ntouch pwned\nA\n",
          "x\nB\ntouch pwned\nB\n",
          "x\n\tEOF\ntouch pwned\n",
          "x\n\ty",
          "a\u0000b");

  /** A place a value can go: a command, what it prints for a value, its here-documents. */
  private record Place(
      String command, UnaryOperator<String> prints, Set<String> delimiters, boolean strips) {
    Place(String command, UnaryOperator<String> prints) {
      this(command, prints, Set.of(), false);
    }

    /** Whether the value must be refused here. */
    boolean refuses(String value) {
      if (value.indexOf('\0') >= 0) {
        return true;
      }
      if (strips && value.contains("\n\t")) {
        return true;
      }
      String[] lines = value.split("\n", -1);
      // "[{{v}}]": the first and last line of a value share theirs with the command's text
      return Arrays.stream(lines, 1, Math.max(1, lines.length - 1))
          .map(l -> strips ? l.replaceFirst("^\t+", "") : l)
          .anyMatch(delimiters::contains);
    }
  }

  private static final List<Place> PLACES =
      List.of(
          new Place("printf '[%s]' {{v}}", v -> "[" + v + "]"),
          new Place("printf '[%s]' \"a {{v}} b\"", v -> "[a " + v + " b]"),
          new Place("printf '[%s]' 'a {{v}} b'", v -> "[a " + v + " b]"),
          new Place("x={{v}}; printf '[%s]' \"$x\"", v -> "[" + v + "]"),
          new Place("printf '[%s]' {{v}}\"{{v}}\"'{{v}}'", v -> "[" + v + v + v + "]"),
          new Place(
              "x=\"$(printf '%s.' \"{{v}}\")\"; printf '[%s]' \"${x%.}\"", v -> "[" + v + "]"),
          new Place("x=$(printf '%s.' '{{v}}'); printf '[%s]' \"${x%.}\"", v -> "[" + v + "]"),
          new Place("case {{v}} in *) printf '[%s]' {{v}};; esac", v -> "[" + v + "]"),
          new Place("cat <<EOF\n[{{v}}]\nEOF", v -> "[" + v + "]\n", Set.of("EOF"), false),
          new Place(
              "cat <<EOF\n\"{{v}}\" '{{v}}' $(printf '%s' x)\nEOF",
              v -> "\"" + v + "\" '" + v + "' x\n", Set.of("EOF"), false),
          new Place("cat <<-EOF\n\t[{{v}}]\n\tEOF", v -> "[" + v + "]\n", Set.of("EOF"), true),
          new Place("cat <<'EOF'\n[{{v}}]\nEOF", v -> "[" + v + "]\n", Set.of("EOF"), false),
          new Place(
              "cat <<A; cat <<\"B\"\n[{{v}}]\nA\n[{{v}}]\nB",
              v -> "[" + v + "]\n[" + v + "]\n",
              Set.of("A", "B"),
              false));

  static Stream<Arguments> placesAndShells() {
    List<String> shells =
        Files.isExecutable(Path.of("/bin/bash"))
            ? List.of("/bin/sh", "/bin/bash")
            : List.of("/bin/sh");
    return shells.stream()
        .flatMap(sh -> PLACES.stream().map(p -> Arguments.of(sh, p.command(), p)));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("placesAndShells")
  void everyValueArrivesByteForByteAndNothingRuns(String shell, String command, Place place)
      throws Exception {
    List<String> wrong = new ArrayList<>();
    List<String> rendered = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (String value : VALUES) {
      try {
        rendered.add(Template.shell(command, Map.of("v", value), n -> "label `" + n + "`"));
        values.add(value);
        if (place.refuses(value)) {
          wrong.add("not refused: " + show(value) + " as " + rendered.getLast());
        }
      } catch (RenderException e) {
        if (!place.refuses(value)) {
          wrong.add("refused: " + show(value) + ": " + e.getMessage());
        }
        if (!e.getMessage().startsWith("label `v`") || e.getMessage().contains("pwned")) {
          wrong.add("the message names no source, or shows the value: " + e.getMessage());
        }
      }
    }
    // all in one shell, each in a subshell; one at a time only to tell which one went wrong
    StringBuilder script = new StringBuilder();
    StringBuilder expected = new StringBuilder();
    for (int k = 0; k < values.size(); k++) {
      script.append("(\n").append(rendered.get(k)).append("\n)\nprintf '|'\n");
      expected.append(place.prints().apply(values.get(k))).append('|');
    }
    String all = new String(run(shell, script.toString()), StandardCharsets.UTF_8);
    if (!all.equals(expected.toString()) || Files.exists(dir.resolve("pwned"))) {
      for (int k = 0; k < values.size(); k++) {
        Files.deleteIfExists(dir.resolve("pwned"));
        String out = new String(run(shell, rendered.get(k)), StandardCharsets.UTF_8);
        if (!out.equals(place.prints().apply(values.get(k)))) {
          wrong.add(show(values.get(k)) + " printed " + show(out) + " from " + rendered.get(k));
        }
        if (Files.exists(dir.resolve("pwned"))) {
          wrong.add(show(values.get(k)) + " ran code: " + rendered.get(k));
        }
      }
      wrong.add("together they printed " + show(all));
    }
    assertThat(wrong).isEmpty();
    assertThat(values).hasSize((int) VALUES.stream().filter(v -> !place.refuses(v)).count());
  }

  private byte[] run(String shell, String command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(shell, "-c", command)
            .directory(dir.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    p.waitFor();
    return out;
  }

  private static String show(String value) {
    return "`" + value.replace("\n", "\\n").replace("\t", "\\t").replace("\0", "\\0") + "`";
  }

  @Test
  void aPlaceWhereNoQuotingIsSafeIsRefusedWhateverTheValue() {
    for (String command :
        List.of(
            "echo `echo {{v}}`",
            "echo $(({{v}} + 1))",
            "echo ${x:-{{v}}}",
            "echo \\{{v}}",
            "echo \"${{v}}\"",
            "echo # {{v}}",
            "cat <<{{v}}\nx\n{{v}}")) {
      assertThatThrownBy(() -> Template.shell(command, Map.of("v", "1"), n -> "label `v`"))
          .as(command)
          .isInstanceOf(RenderException.class)
          .hasMessageContaining("`{{v}}` stands")
          .hasMessageContaining("where no value can be quoted safely");
    }
  }

  @Test
  void onWindowsAPlaceholderMustStandOutsideQuotes() {
    UnaryOperator<String> ps = v -> "'" + v.replace("'", "''") + "'";
    assertThat(Template.powershell("Restart-Service {{v}}", Map.of("v", "a'b"), ps, n -> n))
        .isEqualTo("Restart-Service 'a''b'");
    assertThatThrownBy(
            () -> Template.powershell("echo \"{{v}}\"", Map.of("v", "$(x)"), ps, n -> "v"))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("on a Windows host");
  }
}
